"""The bad-input matrix: every case fails before training with an error naming the culprit."""

import keras
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from skdeep import ANNClassifier

rng = np.random.default_rng(0)
X = rng.normal(size=(40, 4))
Y = np.arange(40) % 2


def _with(arr, index, value, dtype=float):
    arr = arr.astype(dtype).copy()
    arr.flat[index] = value
    return arr


# (id, estimator params, fit args (X, y, sample_weight), exception type, message pattern)
CASES = [
    ("nan-X", {}, (_with(X, 5, np.nan), Y, None), ValueError, "NaN"),
    ("inf-X", {}, (_with(X, 5, np.inf), Y, None), ValueError, "infinity"),
    ("empty-X", {}, (X[:0], Y[:0], None), ValueError, "0 sample"),
    ("length-mismatch", {}, (X, Y[:-1], None), ValueError, "40 samples, y with 39"),
    ("one-class", {}, (X, np.zeros(40, int), None), ValueError, "one class only"),
    ("1d-X", {}, (X[:, 0], Y, None), ValueError, r"Reshape your data.*\(40,\)"),
    ("3d-X-for-ann", {}, (X.reshape(40, 2, 2), Y, None), ValueError, "dim 3"),
    ("string-X", {}, (np.full((40, 4), "a"), Y, None), ValueError, "could not convert"),
    ("complex-X", {}, (X + 1j, Y, None), ValueError, "Complex data not supported"),
    ("sparse-X", {}, (sp.csr_matrix(X), Y, None), TypeError, "[Ss]parse"),
    ("y-none", {}, (X, None, None), ValueError, "y to be passed"),
    ("y-2d", {}, (X, np.column_stack([Y, Y]), None), ValueError, r"shape \(40, 2\)"),
    ("y-continuous", {}, (X, Y + 0.5, None), ValueError, "Unknown label type"),
    ("y-nan", {}, (X, _with(Y, 3, np.nan), None), ValueError, "NaN"),
    ("epochs-0", {"epochs": 0}, (X, Y, None), ValueError, "'epochs'.*Got 0"),
    ("dropout-1.5", {"dropout": 1.5}, (X, Y, None), ValueError, "'dropout'.*Got 1.5"),
    ("lr-negative", {"learning_rate": -0.1}, (X, Y, None), ValueError, "'learning_rate'"),
    ("units-float", {"units": 64.5}, (X, Y, None), ValueError, "'units'.*Got 64.5"),
    ("n_layers-negative", {"n_layers": -1}, (X, Y, None), ValueError, "'n_layers'"),
    ("patience-negative", {"patience": -2}, (X, Y, None), ValueError, "'patience'"),
    ("unknown-optimizer", {"optimizer": "adamz"}, (X, Y, None), ValueError, "adamz"),
    ("unknown-activation", {"activation": "swishy"}, (X, Y, None), ValueError, "swishy"),
    ("unknown-initializer", {"kernel_initializer": "xavier"}, (X, Y, None), ValueError, "xavier"),
    ("class-weight-string", {"class_weight": "auto"}, (X, Y, None), ValueError, "auto"),
    ("class-weight-unknown-label", {"class_weight": {5: 2.0}}, (X, Y, None), ValueError, "5: 2"),
    ("class-weight-negative", {"class_weight": {1: -1.0}}, (X, Y, None), ValueError, "-1.0"),
    (
        "es-without-validation",
        {"early_stopping": True, "validation_fraction": 0.0},
        (X, Y, None),
        ValueError,
        "validation_fraction=0",
    ),
    ("validation-fraction-1", {"validation_fraction": 1.0}, (X, Y, None), ValueError, "1.0"),
    ("sample-weight-length", {}, (X, Y, np.ones(39)), ValueError, "length 39"),
    ("sample-weight-zeros", {}, (X, Y, np.zeros(40)), ValueError, "at least one non-zero"),
    ("sample-weight-negative", {}, (X, Y, -np.ones(40)), ValueError, "non-negative"),
    ("sampler-not-a-sampler", {"sampler": "smote"}, (X, Y, None), ValueError, "'sampler'"),
]


@pytest.mark.parametrize(
    "params, args, error, match", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_fails_before_training(monkeypatch, params, args, error, match):
    calls = []
    monkeypatch.setattr(keras.Model, "fit", lambda *a, **k: calls.append(1))
    X_, y_, w_ = args
    est = ANNClassifier(**params)
    with pytest.raises(error, match=match) as info:
        est.fit(X_, y_, sample_weight=w_)
    assert calls == [], "training started before the input was rejected"
    assert len(str(info.value)) < 1200, "error message dumps data"


def test_matrix_is_large_enough():
    assert len(CASES) >= 25


def test_class_missing_from_a_training_fold_is_named():
    from sklearn.model_selection import KFold, cross_val_score

    y = np.array([0] * 20 + [1] * 20)  # KFold(2) without shuffling: each fold one class
    with pytest.raises(ValueError, match="one class only"):
        cross_val_score(ANNClassifier(epochs=1), X, y, cv=KFold(2), error_score="raise")


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    n_samples=st.integers(4, 24),
    n_features=st.integers(1, 5),
    dtype=st.sampled_from(["float32", "float64", "int64", "uint8", "bool"]),
    labels=st.sampled_from(
        [np.array([0, 1]), np.array(["x", "y", "z"]), np.array([True, False]), np.array([7, -2])]
    ),
    data=st.data(),
)
def test_fuzz_shapes_dtypes_labels(n_samples, n_features, dtype, labels, data):
    X_ = data.draw(
        hnp.arrays(
            dtype,
            (n_samples, n_features),
            elements={
                "allow_nan": False,
                "allow_infinity": False,
                "min_value": -1e3,
                "max_value": 1e3,
            }
            if dtype.startswith("float")
            else None,
        )
    )
    y_ = labels[np.arange(n_samples) % len(labels)]
    est = ANNClassifier(epochs=1, units=2, n_layers=1, random_state=0).fit(X_, y_)
    pred = est.predict(X_)
    proba = est.predict_proba(X_)
    assert pred.shape == (n_samples,) and set(pred.tolist()) <= set(labels.tolist())
    assert proba.shape == (n_samples, len(labels))
    assert np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1.0, atol=1e-5)


IMAGES = np.zeros((10, 8, 8))
IMAGE_Y = np.arange(10) % 2
IMAGE_CASES = [
    (
        "cnn-image-shape-mismatch",
        "CNNClassifier",
        {"image_shape": (7, 7)},
        IMAGES.reshape(10, -1),
        r"49 columns.*\(10, 64\)",
    ),
    ("cnn-rank-5", "CNNClassifier", {}, np.zeros((10, 2, 8, 8, 1)), r"\(10, 2, 8, 8, 1\)"),
    ("cnn-unknown-pooling", "CNNClassifier", {"pooling": "min"}, IMAGES, "'pooling'.*'min'"),
    ("transfer-unknown-base", "TransferClassifier", {"base": "vgg99"}, IMAGES, "'base'"),
    (
        "transfer-missing-weights",
        "TransferClassifier",
        {"weights": "/nope.weights.h5"},
        IMAGES,
        "weights='/nope.weights.h5'",
    ),
    ("transfer-two-channels", "TransferClassifier", {}, np.zeros((10, 8, 8, 2)), r"\(8, 8, 2\)"),
]


@pytest.mark.parametrize(
    "name, params, X_, match", [c[1:] for c in IMAGE_CASES], ids=[c[0] for c in IMAGE_CASES]
)
def test_bad_image_input_fails_before_training(monkeypatch, name, params, X_, match):
    import skdeep

    calls = []
    monkeypatch.setattr(keras.Model, "fit", lambda *a, **k: calls.append(1))
    defaults = {"weights": None, "input_size": 32} if name == "TransferClassifier" else {}
    est = getattr(skdeep, name)(**{**defaults, **params})
    with pytest.raises(ValueError, match=match):
        est.fit(X_, IMAGE_Y)
    assert calls == []
