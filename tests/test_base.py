"""The fit contract owned by skdeep.base.SkdeepClassifier, exercised through ANNClassifier."""

import gc
import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone, is_classifier
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.model_selection import GridSearchCV, StratifiedKFold, check_cv
from sklearn.utils._param_validation import InvalidParameterError

from skdeep import ANNClassifier
from skdeep._training._head import ClassifierHead
from skdeep._training._inference import forward
from skdeep.exceptions import (
    DataError,
    NotFittedError,
    ParameterError,
    TrainingDivergedError,
)
from skdeep.model_selection import inner_split

FAST = {"epochs": 3, "units": 16, "random_state": 0}


# ----------------------------------------------------------------------------- classifier-ness
def test_is_classifier_and_tags():
    est = ANNClassifier()
    tags = est.__sklearn_tags__()
    assert is_classifier(est)
    assert tags.estimator_type == "classifier"
    assert tags.target_tags.required


def test_grid_search_cv5_stratifies(binary_data):
    X, y = binary_data
    assert isinstance(check_cv(5, y, classifier=is_classifier(ANNClassifier())), StratifiedKFold)
    # end to end: every test fold of GridSearchCV(cv=5) keeps the class ratio of sorted data
    order = np.argsort(y, kind="stable")
    X, y = X[order], y[order]
    seen = []

    def spy(est, X_test, y_test):
        seen.append(np.bincount(y_test, minlength=2))
        return 0.0

    GridSearchCV(ANNClassifier(epochs=1, units=4), {"units": [4]}, cv=5, scoring=spy).fit(X, y)
    ratios = [c[1] / c.sum() for c in seen]
    assert len(seen) == 5
    assert np.ptp(ratios) < 0.05 and abs(np.mean(ratios) - y.mean()) < 0.05


# ----------------------------------------------------------------------------- inner split
def test_inner_split_is_stratified_shuffled_seeded():
    y = np.array([0] * 80 + [1] * 20)  # tail is all class 1: Keras' validation_split would
    train, val = inner_split(y, 0.2, random_state=0)  # validate on class 1 only
    assert len(val) == 20 and len(np.intersect1d(train, val)) == 0
    assert np.bincount(y[val]).tolist() == [16, 4]
    assert not np.array_equal(val, np.arange(80, 100))
    assert np.array_equal(val, inner_split(y, 0.2, random_state=0)[1])
    assert not np.array_equal(val, inner_split(y, 0.2, random_state=1)[1])


def test_inner_split_falls_back_when_a_class_is_tiny():
    y = np.array([0] * 30 + [1])
    with pytest.warns(UserWarning, match="could not be stratified"):
        train, val = inner_split(y, 0.2, random_state=0)
    assert len(train) + len(val) == 31


def test_early_stopping_restores_best_weights_on_the_inner_split(cancer):
    X, y = cancer
    est = ANNClassifier(
        epochs=60, early_stopping=True, patience=3, learning_rate=0.01, units=64, random_state=3
    ).fit(X, y)
    h = est.history_
    assert set(h) == {"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"}
    assert est.n_epochs_ == len(h["loss"]) < 60  # stopped early
    assert est.best_epoch_ == int(np.argmin(h["val_loss"])) + 1
    assert est.n_epochs_ == est.best_epoch_ + 4  # patience=3: 4 epochs without improvement
    # the restored weights are those of the best epoch, on exactly the seeded inner split
    _, val = inner_split(y, 0.1, 3)  # validation_fraction=None: 0.1 with early stopping
    raw = forward(est.model_, X[val], 32)
    loss = ClassifierHead.for_classes(2).validation_logs(raw, y[val], None)["val_loss"]
    assert loss == pytest.approx(min(h["val_loss"]), rel=1e-4)


def test_early_stopping_needs_validation_data(binary_data):
    X, y = binary_data
    with pytest.raises(ParameterError, match="validation_fraction=0"):
        ANNClassifier(early_stopping=True, validation_fraction=0.0).fit(X, y)


# ----------------------------------------------------------------------------- weights, samplers
def test_balanced_class_weight_is_computed_on_the_training_part():
    rng = np.random.default_rng(0)
    y = np.array([0] * 90 + [1] * 30)
    X = rng.normal(size=(120, 4)).astype("float32") + y[:, None]
    est = ANNClassifier(
        epochs=1, units=4, class_weight="balanced", early_stopping=True, validation_fraction=0.25
    )
    est.set_params(random_state=0).fit(X, y)
    train, _ = inner_split(y, 0.25, 0)
    counts = np.bincount(y[train])
    expected = {0: len(train) / (2 * counts[0]), 1: len(train) / (2 * counts[1])}
    assert est.class_weight_ == pytest.approx(expected)
    assert ANNClassifier(epochs=1, units=4).fit(X, y).class_weight_ is None


def test_class_weight_dict_with_string_labels(binary_data):
    X, y = binary_data
    labels = np.where(y == 1, "yes", "no")
    est = ANNClassifier(epochs=1, units=4, class_weight={"yes": 3.0}).fit(X, labels)
    assert est.class_weight_ == {"no": 1.0, "yes": 3.0}


def test_class_weight_unknown_label_names_it(binary_data):
    X, y = binary_data
    with pytest.raises(ParameterError, match=r"class_weight=\{7: 2.0\}"):
        ANNClassifier(epochs=1, class_weight={7: 2.0}).fit(X, y)


def test_class_weight_shifts_predictions_towards_the_weighted_class(binary_data):
    X, y = binary_data
    plain = ANNClassifier(**FAST).fit(X, y).predict(X).mean()
    heavy = ANNClassifier(**FAST, class_weight={1: 20.0}).fit(X, y).predict(X).mean()
    assert heavy > plain


class SpySampler:
    """An imblearn-style sampler that records the rows it was given, then oversamples class 1."""

    seen: list = []

    def __init__(self, random_state=None):
        self.random_state = random_state

    def get_params(self, deep=True):
        return {"random_state": self.random_state}

    def set_params(self, **params):
        self.random_state = params.get("random_state", self.random_state)
        return self

    def fit_resample(self, X, y):
        SpySampler.seen.append(X.copy())
        extra = X[y == 1]
        return np.vstack([X, extra]), np.concatenate([y, np.ones(len(extra), int)])


def test_sampler_sees_only_the_training_part(binary_data):
    X, y = binary_data
    X = X + np.arange(len(X))[:, None] * 1e-3  # make rows unique
    SpySampler.seen = []
    est = ANNClassifier(
        epochs=1, units=4, sampler=SpySampler(), early_stopping=True, validation_fraction=0.2
    )
    est.set_params(random_state=0).fit(X, y)
    (seen,) = SpySampler.seen
    train, val = inner_split(y, 0.2, 0)
    assert len(seen) == len(train)
    seen_rows = {r.tobytes() for r in seen}
    assert not any(X[i].tobytes() in seen_rows for i in val)
    # balanced weights are computed after resampling: class 1 was doubled
    assert est.class_weight_ is None


def test_smote_in_fit_and_in_imblearn_pipeline(binary_data):
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import make_pipeline as make_imb_pipeline
    from sklearn.preprocessing import StandardScaler

    X, y = binary_data
    keep = np.concatenate([np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:20]])
    X, y = X[keep], y[keep]
    params = {**FAST, "epochs": 20}
    est = ANNClassifier(**params, sampler=SMOTE(k_neighbors=3), early_stopping=True).fit(X, y)
    assert est.score(X, y) > 0.8
    pipe = make_imb_pipeline(StandardScaler(), SMOTE(k_neighbors=3), ANNClassifier(**params))
    assert pipe.fit(X, y).score(X, y) > 0.8


def test_sample_weight_changes_the_fit(binary_data):
    X, y = binary_data
    a = ANNClassifier(**FAST).fit(X, y).predict_proba(X)
    w = np.where(y == 1, 5.0, 1.0)
    b = ANNClassifier(**FAST).fit(X, y, sample_weight=w).predict_proba(X)
    assert b[:, 1].mean() > a[:, 1].mean()


def test_sample_weight_with_synthetic_sampler_is_refused(binary_data):
    from imblearn.over_sampling import SMOTE

    X, y = binary_data
    with pytest.raises(ParameterError, match="sample_indices_"):
        ANNClassifier(epochs=1, sampler=SMOTE()).fit(X, y, sample_weight=np.ones(len(y)))


# ----------------------------------------------------------------------------- seeding
def test_same_seed_same_predictions_different_seed_different(binary_data):
    X, y = binary_data
    params = {"epochs": 3, "units": 16, "dropout": 0.3, "early_stopping": True}
    p1 = ANNClassifier(**params, random_state=7).fit(X, y).predict_proba(X)
    p2 = ANNClassifier(**params, random_state=7).fit(X, y).predict_proba(X)
    p3 = ANNClassifier(**params, random_state=8).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(p1, p2)
    assert not np.allclose(p1, p3)


def test_seeding_is_immune_to_other_threads_drawing_random_numbers(binary_data):
    import random
    import threading

    X, y = binary_data
    params = {"epochs": 1, "units": 16, "dropout": 0.3, "random_state": 5}
    expected = ANNClassifier(**params).fit(X, y).predict_proba(X)
    stop = threading.Event()

    def draw():  # what a Dask worker's event loop does between our seeding and building
        while not stop.is_set():
            random.random()

    thread = threading.Thread(target=draw, daemon=True)
    thread.start()
    try:
        for _ in range(3):
            np.testing.assert_array_equal(
                ANNClassifier(**params).fit(X, y).predict_proba(X), expected
            )
    finally:
        stop.set()
        thread.join()


def test_seeding_restores_global_numpy_state(binary_data):
    X, y = binary_data
    np.random.seed(123)
    expected = np.random.rand()
    np.random.seed(123)
    ANNClassifier(epochs=1, random_state=0).fit(X, y)
    assert np.random.rand() == expected


def test_random_state_instance_is_accepted(binary_data):
    X, y = binary_data
    a = ANNClassifier(epochs=1, random_state=np.random.RandomState(3)).fit(X, y)
    b = ANNClassifier(epochs=1, random_state=np.random.RandomState(3)).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))


# ----------------------------------------------------------------------------- data types
@pytest.mark.parametrize(
    "labels",
    [
        np.array(["cat", "dog"]),
        np.array([3, 9]),
        np.array([False, True]),
        np.array(["a", "b", "c"]),
        np.array([-1, 0, 5]),
    ],
    ids=["str-binary", "int-binary", "bool", "str-multi", "int-multi"],
)
def test_label_types_round_trip(multiclass_data, labels):
    X, y = multiclass_data
    y = labels[y % len(labels)]
    est = ANNClassifier(epochs=2, units=8, random_state=0).fit(X, y)
    pred = est.predict(X)
    assert pred.dtype == y.dtype
    assert set(np.unique(pred)) <= set(labels.tolist())
    np.testing.assert_array_equal(est.classes_, np.unique(labels))
    proba = est.predict_proba(X)
    assert proba.shape == (len(X), len(labels))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)


def test_pandas_input_records_feature_names(binary_data):
    X, y = binary_data
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    est = ANNClassifier(epochs=1).fit(df, pd.Series(y))
    assert est.feature_names_in_.tolist() == list(df.columns)
    assert est.n_features_in_ == X.shape[1]
    with pytest.raises(ValueError, match="feature names"):
        est.predict(df[df.columns[::-1]])


def test_multiclass_scores_well(multiclass_data):
    X, y = multiclass_data
    est = ANNClassifier(epochs=30, random_state=0).fit(X, y)
    assert est.score(X, y) > 0.9
    assert est.model_.output_shape == (None, 3)


def test_defaults_reach_095_on_breast_cancer(cancer):
    from sklearn.model_selection import cross_val_score

    X, y = cancer
    scores = cross_val_score(ANNClassifier(random_state=0), X, y, cv=3)
    assert scores.mean() >= 0.95


# ----------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "make_xy, match",
    [
        (lambda X, y: (np.where(np.arange(X.size).reshape(X.shape) == 5, np.nan, X), y), "NaN"),
        (lambda X, y: (np.where(np.arange(X.size).reshape(X.shape) == 5, np.inf, X), y), "inf"),
        (lambda X, y: (X[:, 0], y), r"Reshape your data.*\(200,\)"),
        (lambda X, y: (X, y[:-3]), "X with 200 samples, y with 197 samples"),
        (lambda X, y: (X, np.zeros_like(y)), "one class only, 0"),
        (lambda X, y: (X, y + 0.5), "Unknown label type"),
        (lambda X, y: (X, None), "y to be passed"),
        (lambda X, y: (X, np.column_stack([y, y])), r"y with shape \(200, 2\)"),
        (lambda X, y: (X[:0], y[:0]), "0 sample"),
    ],
    ids=["nan", "inf", "1d", "length", "one-class", "continuous-y", "y-none", "2d-y", "empty"],
)
def test_bad_data_is_named(binary_data, make_xy, match):
    X, y = binary_data
    X, y = make_xy(X.astype("float64"), y)
    with pytest.raises(ValueError, match=match):
        ANNClassifier(epochs=1).fit(X, y)


def test_1d_error_does_not_dump_the_array(cancer):
    X, y = cancer
    with pytest.raises(DataError) as info:
        ANNClassifier().fit(X[:, 0], y)
    assert len(str(info.value)) < 300


@pytest.mark.parametrize(
    "params, name",
    [
        ({"epochs": 0}, "epochs"),
        ({"learning_rate": -1.0}, "learning_rate"),
        ({"dropout": 1.0}, "dropout"),
        ({"units": 0}, "units"),
        ({"optimizer": "adamm"}, "optimizer"),
        ({"activation": "rellu"}, "activation"),
        ({"class_weight": "balance"}, "class_weight"),
        ({"validation_fraction": 1.0}, "validation_fraction"),
        ({"batch_size": 0}, "batch_size"),
        ({"momentum": 1.5}, "momentum"),
        ({"kernel_initializer": "he"}, "kernel_initializer"),
        ({"sampler": "smote"}, "sampler"),
    ],
)
def test_bad_parameters_are_named_before_training(binary_data, params, name):
    X, y = binary_data
    est = ANNClassifier(**params)  # __init__ never validates
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        est.fit(X, y)
    assert not hasattr(est, "model_")


def test_divergence_raises_instead_of_returning_garbage(cancer):
    X, y = cancer
    with pytest.raises(TrainingDivergedError, match="learning_rate=1e\\+20"):
        ANNClassifier(optimizer="sgd", learning_rate=1e20, epochs=3, random_state=0).fit(X, y)


def test_predict_before_fit():
    est = ANNClassifier()
    with pytest.raises(NotFittedError, match="not fitted yet"):
        est.predict(np.zeros((2, 3)))
    with pytest.raises(SklearnNotFittedError):
        est.predict_proba(np.zeros((2, 3)))


def test_wrong_feature_count_at_predict(binary_data):
    X, y = binary_data
    est = ANNClassifier(epochs=1).fit(X, y)
    with pytest.raises(ValueError, match="X has 7 features, but ANNClassifier is expecting 8"):
        est.predict(X[:, :7])


def test_momentum_with_adam_warns(binary_data):
    X, y = binary_data
    with pytest.warns(UserWarning, match="momentum=0.9 is ignored"):
        ANNClassifier(epochs=1, momentum=0.9, units=5).fit(X, y)


# ----------------------------------------------------------------------------- persistence
def test_pickle_round_trip_and_clone(binary_data):
    X, y = binary_data
    est = ANNClassifier(epochs=2, dropout=0.2, random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(est.predict_proba(X), restored.predict_proba(X))
    assert restored.history_ == est.history_
    fresh = clone(est)
    assert fresh.get_params() == est.get_params() and not hasattr(fresh, "model_")


def test_fitted_model_is_not_touched_by_later_fits(binary_data):
    X, y = binary_data
    first = ANNClassifier(**FAST).fit(X, y)
    before = first.predict_proba(X)
    ANNClassifier(**{**FAST, "random_state": 1}).fit(X, y)  # same architecture
    np.testing.assert_array_equal(first.predict_proba(X), before)


# ----------------------------------------------------------------------------- training modes
def test_warm_start_continues_training(binary_data):
    X, y = binary_data
    est = ANNClassifier(epochs=2, warm_start=True, random_state=0).fit(X, y)
    model = est.model_
    est.fit(X, y)
    assert est.model_ is model
    assert est.n_epochs_ == 4 and len(est.history_["loss"]) == 4
    cold = ANNClassifier(epochs=2, random_state=0).fit(X, y)
    cold.fit(X, y)
    assert cold.n_epochs_ == 2


def test_warm_start_rejects_new_labels(binary_data):
    X, y = binary_data
    est = ANNClassifier(epochs=1, warm_start=True).fit(X, y)
    with pytest.raises(DataError, match=r"new labels \[2\]"):
        est.fit(X, np.where(y == 1, 2, 0))


def test_partial_fit_adds_one_epoch_each_call(multiclass_data):
    X, y = multiclass_data
    est = ANNClassifier(epochs=7, early_stopping=True)
    est.partial_fit(X[:100], y[:100], classes=[0, 1, 2])
    est.partial_fit(X[100:], y[100:])
    assert est.n_epochs_ == 2 and est.epochs == 7 and est.early_stopping is True
    assert est.predict_proba(X).shape == (300, 3)


# ----------------------------------------------------------------------------- performance
def test_small_predict_does_not_call_model_predict(binary_data, monkeypatch):
    X, y = binary_data
    est = ANNClassifier(epochs=1).fit(X, y)

    def boom(*args, **kwargs):
        raise AssertionError("model.predict called for a small input")

    monkeypatch.setattr(est.model_, "predict", boom)
    assert est.predict(X[:10]).shape == (10,)


def _spy_calls(monkeypatch):
    """Record the row count of every compiled inference call."""
    import skdeep._training._inference as inference

    sizes = []
    real = inference.compiled_call

    def spying(model):
        call = real(model)

        def record(x):
            sizes.append(len(x))
            return call(x)

        return record

    monkeypatch.setattr(inference, "compiled_call", spying)
    return inference, sizes


def test_large_predict_goes_in_bounded_calls_of_whole_blocks(monkeypatch):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(103, 4)).astype("float32"), np.arange(103) % 2
    est = ANNClassifier(epochs=1, units=4, random_state=0).fit(X, y)
    direct = est.predict_proba(X)
    inference, sizes = _spy_calls(monkeypatch)
    monkeypatch.setattr(inference, "DIRECT_CALL_MAX_VALUES", 4 * 64)  # 64 rows per call
    np.testing.assert_array_equal(est.predict_proba(X), direct)
    assert sizes == [64, 64]  # 64 rows, then the 39 left padded to whole 32-row blocks


def test_max_samples_bounds_every_call(monkeypatch):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 4)).astype("float32"), np.arange(50) % 2
    est = ANNClassifier(epochs=1, units=4, random_state=0).fit(X, y)
    direct = est.predict_proba(X)
    _, sizes = _spy_calls(monkeypatch)
    out = forward(est.model_, X, batch_size=32, max_samples=8)
    np.testing.assert_allclose(out[:, 0], direct[:, 1], atol=1e-6)
    assert sizes == [8] * 6 + [2]  # calls of at most 8 rows (below one block: no padding)
    sizes.clear()
    assert forward(est.model_, X[:8], batch_size=32, max_samples=8).shape == (8, 1)
    assert sizes == [8]


def test_repeated_fits_reuse_one_compiled_model(binary_data, pool):
    X, y = binary_data
    models = set()
    for seed in range(5):
        est = ANNClassifier(epochs=1, units=8, random_state=seed).fit(X, y)
        models.add(id(est.model_))
        del est
    assert len(models) == 1 and len(pool) == 1
    # a different learning rate is not a different architecture
    ANNClassifier(epochs=1, units=8, learning_rate=0.05).fit(X, y)
    assert len(pool) == 1


@pytest.mark.skipif(
    __import__("keras").backend.backend() != "tensorflow", reason="TensorFlow graph count"
)
def test_repeated_fits_do_not_trace_new_graphs(binary_data):
    from tensorflow.python.eager import context

    X, y = binary_data
    for seed in range(2):
        ANNClassifier(epochs=1, units=8, random_state=seed).fit(X, y).predict(X)
    gc.collect()  # graphs of earlier tests' objects that are only waiting for collection
    before = len(context.context().list_function_names())
    for seed in range(5):
        ANNClassifier(epochs=1, units=8, random_state=seed).fit(X, y).predict(X)
    gc.collect()
    assert len(context.context().list_function_names()) == before


def test_warm_start_uses_the_new_learning_rate(binary_data):
    X, y = binary_data
    est = ANNClassifier(epochs=1, warm_start=True, learning_rate=1e-3, random_state=0).fit(X, y)
    est.set_params(learning_rate=0.05).fit(X, y)
    rate = float(keras_numpy(est.model_.optimizer.learning_rate))
    assert rate == pytest.approx(0.05)


def keras_numpy(value):
    import keras

    return keras.ops.convert_to_numpy(value)


def test_best_epoch_counts_from_the_first_fit_when_warm_starting(cancer):
    X, y = cancer
    est = ANNClassifier(
        epochs=4, early_stopping=True, patience=100, warm_start=True, random_state=0
    ).fit(X, y)
    est.fit(X, y)
    assert est.n_epochs_ == 8 and len(est.history_["val_loss"]) == 8
    assert 1 <= est.best_epoch_ <= est.n_epochs_
    assert est.best_epoch_ == int(np.argmin(est.history_["val_loss"][4:])) + 5


# ------------------------------------------------------------------------ parked training state
def test_parked_state_continues_exactly_like_a_live_model(binary_data):
    X, y = binary_data
    params = dict(epochs=3, dropout=0.2, warm_start=True, random_state=0)
    live = ANNClassifier(**params).fit(X, y).fit(X, y)
    parked = ANNClassifier(**params).fit(X, y)
    assert parked._park_training_state()
    assert not hasattr(parked, "model_")
    with pytest.raises(NotFittedError):
        parked.predict(X)
    parked = pickle.loads(pickle.dumps(parked))  # travels to a worker process as NumPy
    parked.fit(X, y)
    assert parked.n_epochs_ == live.n_epochs_ == 6
    np.testing.assert_allclose(parked.history_["loss"], live.history_["loss"], rtol=1e-6)
    np.testing.assert_allclose(parked.predict_proba(X), live.predict_proba(X), atol=1e-6)


def test_parked_state_rejects_other_inputs_and_is_dropped_by_a_cold_fit(binary_data):
    X, y = binary_data
    est = ANNClassifier(epochs=1, warm_start=True, random_state=0).fit(X, y)
    est._park_training_state()
    with pytest.raises(ValueError, match="features"):
        est.fit(X[:, :2], y)
    # a state can only continue in a network of its own input shape (checked again where
    # it is loaded, and the parked state survives the refusal)
    from skdeep._training._networks import phase_network
    from skdeep._training._prepare import prepare
    from skdeep._training._state import fit_transaction

    data = prepare(X[:, :2], y, None, validation_fraction=None, seed=0)
    with pytest.raises(DataError, match=r"Expected samples of shape \(\d+,\)\. Received: \(2,\)"):
        with fit_transaction(est) as transaction:
            phase_network(est, None, data, est._run_settings(False), transaction)
    assert est._parked_state is not None
    est.set_params(warm_start=False).fit(X, y)
    assert est._parked_state is None and est.n_epochs_ == 1
