"""scikit-learn's own estimator checks on every skdeep estimator."""

import re

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdeep import (
    ANNClassifier,
    ANNRegressor,
    CNNClassifier,
    CNNRegressor,
    KerasClassifier,
    KerasRegressor,
)

# Each expected failure: the check, why it cannot hold for a stochastic neural network, and
# the test that pins what users get instead.
EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data": (
        "mini-batch SGD with shuffling: weight 2 is not the same update sequence as a repeated "
        "row; tests/test_base.py::test_sample_weight_changes_the_fit and tests/estimators/"
        "test_regressors.py::test_sample_weight_moves_predictions pin that weights act"
    ),
}


def small_mlp(meta, units=16):
    """A user's network: any input shape, the output the classes need."""
    import keras

    n_outputs = meta["n_outputs"]
    return keras.Sequential(
        [
            keras.Input(meta["input_shape"]),
            keras.layers.Flatten(),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(n_outputs, activation="sigmoid" if n_outputs == 1 else "softmax"),
        ]
    )


def small_regression_mlp(meta, units=16):
    """A user's regression network: linear outputs, one per target column."""
    import keras

    return keras.Sequential(
        [
            keras.Input(meta["input_shape"]),
            keras.layers.Flatten(),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(meta["n_outputs"]),
        ]
    )


def _regressors():
    yield ANNRegressor(epochs=10, learning_rate=0.01, random_state=0)
    yield KerasRegressor(small_regression_mlp, epochs=10, learning_rate=0.01, random_state=0)
    yield CNNRegressor(
        n_blocks=1,
        filters=8,
        dense_units=16,
        dropout=0.0,
        epochs=10,
        batch_size=16,
        learning_rate=0.01,
        random_state=0,
    )


def _instances():
    yield from _regressors()
    yield ANNClassifier(epochs=10, learning_rate=0.01, random_state=0)
    yield KerasClassifier(small_mlp, model__units=16, epochs=10, learning_rate=0.01, random_state=0)
    # tabular X in the checks: one-row images (1, n_features, 1), see CNNClassifier's docstring
    yield CNNClassifier(
        n_blocks=1,
        filters=8,
        dense_units=16,
        dropout=0.0,
        epochs=10,
        batch_size=16,
        learning_rate=0.01,
        random_state=0,
    )


#: Checks of how well and how consistently an estimator trains. Their code is the shared
#: training core (skdeep.base, skdeep._training), which they check in full on one classifier
#: (KerasClassifier, whose network is the user's) and one regressor (ANNRegressor) in
#: `make test`; on the other estimators they run in `make test-all` (each family's own code,
#: its input, parameters, tags and saving, is checked by the other checks, in `make test` too).
TRAINING_CHECKS = re.compile(
    r"check_(classifiers_(train|classes|one_label|regression_target|multilabel)|class_weight"
    r"|sample_weight|fit_idempotent|pipeline_consistency|supervised_y_2d|regressors_(train|int"
    r"|no_decision)|regressor_multioutput|decision_proba|fit_check_is_fitted|methods_s"
    r"|estimators_partial_fit|fit2d_predict1d)"
)
#: The estimators whose training checks run in `make test`.
REFERENCE = ("ANNRegressor", "KerasClassifier")
#: Regressors made of parts checked on other estimators in `make test`: the input of
#: CNNClassifier / KerasClassifier, the regression target of ANNRegressor (and both together
#: by tests/estimators/test_regressors.py). `make test` runs their checks that fit nothing
#: (construction, parameters, tags); `make test-all` runs them all.
COMPOSED = {"CNNRegressor": "CNNClassifier", "KerasRegressor": "KerasClassifier"}
NO_FIT_CHECKS = re.compile(
    r"check_(parameters_default_constructible|no_attributes_set_in_init|get_params_invariance"
    r"|set_params|estimator_repr|estimator_cloneable|estimator_tags_renamed|valid_tag_types"
    r"|mixin_order|do_not_raise_errors_in_init_or_set_params|estimators_unfitted)$"
)


def _check_name(check) -> str:
    return getattr(check, "func", check).__name__


def _slow(estimator_name: str, check_name: str) -> bool:
    if estimator_name in COMPOSED:
        return not NO_FIT_CHECKS.match(check_name)
    return estimator_name not in REFERENCE and bool(TRAINING_CHECKS.match(check_name))


def _stable_ids(mark):
    """scikit-learn's check ids without object addresses (``<function f at 0x...>``), so that
    every test process collects the same test names (pytest-xdist requires it); the training
    checks of the non-reference estimators marked slow."""
    names, params = mark.mark.args
    sklearn_id = mark.mark.kwargs["ids"]

    def stable(value):
        return re.sub(r"at0x[0-9a-f]+", "", sklearn_id(value))

    def marked(param):
        values, marks = (
            (param.values, list(param.marks))
            if hasattr(param, "values")
            else (
                param,
                [],
            )
        )
        estimator, check = values
        if _slow(type(estimator).__name__, _check_name(check)):
            marks.append(pytest.mark.slow)
        return pytest.param(*values, marks=marks)

    return pytest.mark.parametrize(names, [marked(p) for p in params], ids=stable)


_ESTIMATORS = list(_instances())
_CHECKS = parametrize_with_checks(_ESTIMATORS, expected_failed_checks=lambda e: EXPECTED_FAILURES)


def _check_names(estimator) -> set[str]:
    pairs = (p.values if hasattr(p, "values") else p for p in _CHECKS.mark.args[1])
    return {_check_name(check) for est, check in pairs if est is estimator}


@_stable_ids(_CHECKS)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_expected_failures_are_documented():
    assert all(len(reason) > 40 for reason in EXPECTED_FAILURES.values())


def test_every_check_left_to_make_test_all_runs_in_make_test_on_the_same_code():
    """The split above: a training check left out runs in `make test` on a reference estimator,
    a composed regressor's check on its parts; the patterns name real checks."""
    checks = {type(est).__name__: _check_names(est) for est in _ESTIMATORS}
    assert set(REFERENCE) <= set(checks) and len(checks) == 6
    training = {c for names in checks.values() for c in names if TRAINING_CHECKS.match(c)}
    assert len(training) >= 20  # the pattern matches real check names
    assert training <= checks["KerasClassifier"] | checks["ANNRegressor"]
    for name, names in checks.items():  # each training check left out runs on a reference
        task = "ANNRegressor" if name.endswith("Regressor") else "KerasClassifier"
        assert {c for c in names if _slow(name, c) and TRAINING_CHECKS.match(c)} <= checks[task]
    fast = {name: {c for c in names if not _slow(name, c)} for name, names in checks.items()}
    assert fast["CNNClassifier"] and all(fast[name] for name in COMPOSED)
    for name, part in COMPOSED.items():  # each check left out runs on the parts
        assert checks[name] - fast[name] <= fast[part] | fast["ANNRegressor"], name
        assert len(NO_FIT_CHECKS.pattern.split("|")) <= len(fast[name])  # the names are real


@pytest.mark.parametrize("est", _ESTIMATORS, ids=lambda e: type(e).__name__)
def test_is_classifier_or_regressor(est):
    from sklearn.base import is_classifier, is_regressor

    assert is_regressor(est) if type(est).__name__.endswith("Regressor") else is_classifier(est)
