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


def _stable_ids(mark):
    """scikit-learn's check ids without object addresses (``<function f at 0x...>``), so that
    every test process collects the same test names (pytest-xdist requires it)."""
    names, params = mark.mark.args
    sklearn_id = mark.mark.kwargs["ids"]

    def stable(value):
        return re.sub(r"at0x[0-9a-f]+", "", sklearn_id(value))

    return pytest.mark.parametrize(names, params, ids=stable)


@_stable_ids(
    parametrize_with_checks(list(_instances()), expected_failed_checks=lambda e: EXPECTED_FAILURES)
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def test_expected_failures_are_documented():
    assert all(len(reason) > 40 for reason in EXPECTED_FAILURES.values())


@pytest.mark.parametrize("est", list(_instances()), ids=lambda e: type(e).__name__)
def test_is_classifier_or_regressor(est):
    from sklearn.base import is_classifier, is_regressor

    assert is_regressor(est) if type(est).__name__.endswith("Regressor") else is_classifier(est)
