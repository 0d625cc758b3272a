"""CNNClassifier: input layouts, uint8 scaling, training-only augmentation, searches, errors."""

import numpy as np
import pandas as pd
import pytest
from imblearn.over_sampling import RandomOverSampler
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils._param_validation import InvalidParameterError

from skdeep import CNNClassifier
from skdeep.builders import build_cnn
from skdeep.exceptions import DataError, ImageShapeError, ParameterError

FAST = {"n_blocks": 2, "filters": 4, "dense_units": 8, "epochs": 2, "batch_size": 16}
AUGMENTATION = {
    "flip": "horizontal_and_vertical",
    "rotation": 0.1,
    "zoom": 0.1,
    "translation": 0.1,
    "contrast": 0.2,
    "gaussian_noise": 0.1,
}


def _images(n=60, size=8, channels=None, seed=0):
    """Bright top half (class 0), bright bottom half (1) or bright left half (2), with noise."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 3
    X = rng.random((n, size, size)).astype(np.float32) * 0.3
    half = size // 2
    X[y == 0, :half, :] += 0.7
    X[y == 1, half:, :] += 0.7
    X[y == 2, :, :half] += 0.7
    if channels is not None:
        X = np.repeat(X[..., None], channels, axis=-1)
    return X, y


@pytest.fixture(scope="module")
def images():
    return _images()


def test_learns_a_real_image_task():
    X, y = _images(n=150)
    X_test, y_test = _images(n=60, seed=1)
    est = CNNClassifier(
        filters=8, dense_units=16, epochs=5, batch_size=16, learning_rate=0.01, random_state=0
    )
    est.fit(X, y)
    assert est.score(X_test, y_test) >= 0.9
    assert est.predict_proba(X_test).shape == (60, 3)


def test_three_layouts_train_the_same_network(images):
    X, y = images
    est3 = CNNClassifier(random_state=0, **FAST).fit(X, y)
    p3 = est3.predict_proba(X)
    # a fitted model accepts every layout of its images
    np.testing.assert_array_equal(est3.predict_proba(X[..., None]), p3)
    np.testing.assert_array_equal(est3.predict_proba(X.reshape(60, 64)), p3)
    est4 = CNNClassifier(random_state=0, **FAST).fit(X[..., None], y)
    flat = CNNClassifier(image_shape=(8, 8), random_state=0, **FAST).fit(X.reshape(60, 64), y)
    np.testing.assert_allclose(est4.predict_proba(X[..., None]), p3, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(flat.predict_proba(X.reshape(60, 64)), p3, rtol=1e-5, atol=1e-6)
    for est in (est4, flat):
        assert est.image_shape_ == (8, 8, 1)
        assert est.n_features_in_ == 64
        assert est.model_.input_shape == (None, 8, 8, 1)


def test_color_images_and_flat_color_images():
    X, y = _images(channels=3)
    est = CNNClassifier(random_state=0, **FAST).fit(X, y)
    assert est.image_shape_ == (8, 8, 3)
    assert est.n_features_in_ == 192
    flat = CNNClassifier(image_shape=(8, 8, 3), random_state=0, **FAST).fit(X.reshape(60, -1), y)
    np.testing.assert_allclose(
        flat.predict_proba(X.reshape(60, -1)), est.predict_proba(X), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize(
    ("n_features", "expected"),
    [(64, (8, 8, 1)), (10, (1, 10, 1))],
)
def test_flat_input_without_image_shape(n_features, expected):
    rng = np.random.default_rng(0)
    X, y = rng.random((30, n_features)), np.arange(30) % 2
    est = CNNClassifier(n_blocks=3, filters=2, dense_units=4, epochs=1, random_state=0)
    est.fit(X, y)
    assert est.image_shape_ == expected
    assert est.predict_proba(X).shape == (30, 2)


def test_uint8_images_are_divided_by_255(images):
    X, y = images
    X8 = np.round(X / X.max() * 255).astype(np.uint8)
    scaled = X8.astype(np.float32) / 255
    from_uint8 = CNNClassifier(random_state=0, **FAST).fit(X8, y)
    from_float = CNNClassifier(random_state=0, **FAST).fit(scaled, y)
    np.testing.assert_allclose(from_uint8.predict_proba(X8), from_float.predict_proba(scaled))
    np.testing.assert_allclose(from_float.predict_proba(X8), from_float.predict_proba(scaled))
    # a DataFrame of uint8 columns is scaled too; other integer types are not
    frame = pd.DataFrame(X8.reshape(60, 64))
    np.testing.assert_allclose(from_float.predict_proba(frame), from_float.predict_proba(scaled))
    as_int64 = from_float.predict_proba(X8.astype(np.int64))
    assert not np.allclose(as_int64, from_float.predict_proba(scaled))


def test_augmentation_is_identity_at_inference(images):
    X, y = images
    X = X[..., None]
    est = CNNClassifier(dropout=0.0, random_state=0, **FAST, **AUGMENTATION).fit(X, y)
    plain = build_cnn(
        input_shape=(8, 8, 1),
        n_classes=3,
        **{
            **est._builder_params(),
            **{
                "flip": None,
                "rotation": 0.0,
                "zoom": 0.0,
                "translation": 0.0,
                "contrast": 0.0,
                "gaussian_noise": 0.0,
            },
        },
    )
    assert len(plain.layers) == len(est.model_.layers) - 6
    plain.set_weights(est.model_.get_weights())
    expected = np.asarray(plain(X, training=False))
    np.testing.assert_allclose(est.predict_proba(X), expected, rtol=1e-6, atol=1e-7)
    # ... while the same network does augment in training mode (dropout is off)
    augmented = np.asarray(est.model_(X, training=True))
    assert np.abs(augmented - expected).max() > 1e-3


def test_augmentation_params_only_change_training(images):
    """Same seed, augmentation on vs off: training differs, so the fitted models differ."""
    X, y = images
    with_aug = CNNClassifier(translation=0.2, random_state=0, **FAST).fit(X, y)
    without = CNNClassifier(random_state=0, **FAST).fit(X, y)
    assert not np.allclose(with_aug.predict_proba(X), without.predict_proba(X))
    assert [type(layer).__name__ for layer in with_aug.model_.layers[:2]] == [
        "InputLayer",
        "RandomTranslation",
    ]


def test_grid_search_over_augmentation_and_dropout_in_a_pipeline(images):
    X, y = images
    flat = X.reshape(60, 64)
    pipe = make_pipeline(
        FunctionTransformer(lambda Z: Z * 2.0 - 1.0),  # a transformer before the CNN: flat X
        CNNClassifier(image_shape=(8, 8), random_state=0, **{**FAST, "epochs": 1}),
    )
    grid = [  # an augmentation knob and dropout, searched together
        {"cnnclassifier__translation": [0.0], "cnnclassifier__dropout": [0.0]},
        {"cnnclassifier__translation": [0.1], "cnnclassifier__dropout": [0.3]},
    ]
    search = GridSearchCV(pipe, grid, cv=2, error_score="raise").fit(flat, y)
    scores = search.cv_results_["mean_test_score"]
    assert len(scores) == 2 and np.all(np.isfinite(scores))
    best = search.best_estimator_[-1]
    assert search.best_params_ == {k: getattr(best, k.split("__")[1]) for k in search.best_params_}
    assert best.image_shape_ == (8, 8, 1)
    assert search.predict(flat).shape == (60,)


def test_binary_string_labels_and_sampler(images):
    X, _ = images
    y = np.where(np.arange(60) < 45, "cat", "dog")
    est = CNNClassifier(sampler=RandomOverSampler(), random_state=0, **FAST).fit(X, y)
    assert est.model_.output_shape == (None, 1)
    assert set(est.predict(X)) <= {"cat", "dog"}
    assert est.predict_proba(X).shape == (60, 2)


def test_partial_fit_and_warm_start_keep_the_image_shape(images):
    X, y = images
    est = CNNClassifier(random_state=0, **FAST)
    est.partial_fit(X, y).partial_fit(X[..., None], y)
    assert est.n_epochs_ == 2
    with pytest.raises(ImageShapeError, match=r"\(60, 4, 16\)"):
        est.partial_fit(X.reshape(60, 4, 16), y)
    warm = CNNClassifier(warm_start=True, random_state=0, **FAST).fit(X, y).fit(X, y)
    assert warm.n_epochs_ == 4


def test_tiny_images_with_many_blocks():
    rng = np.random.default_rng(0)
    X, y = rng.random((20, 3, 3)), np.arange(20) % 2
    est = CNNClassifier(n_blocks=5, filters=2, dense_units=4, epochs=1, random_state=0).fit(X, y)
    pools = [layer for layer in est.model_.layers if "Pooling" in type(layer).__name__]
    assert len(pools) == 1  # 3x3 -> 1x1, then no more pooling
    assert est.predict(X).shape == (20,)


# ---------------------------------------------------------------------------- errors
def test_predict_images_of_another_shape_names_the_shape(images):
    X, y = images
    est = CNNClassifier(random_state=0, **FAST).fit(X, y)
    with pytest.raises(ImageShapeError, match=r"Expected images of shape \(8, 8, 1\).*\(5, 9, 9\)"):
        est.predict(np.zeros((5, 9, 9)))
    with pytest.raises(ImageShapeError, match=r"\(5, 8, 8, 3\)"):
        est.predict(np.zeros((5, 8, 8, 3)))
    with pytest.raises(ValueError, match="X has 63 features, but CNNClassifier is expecting 64"):
        est.predict(np.zeros((5, 63)))


def test_flat_x_that_does_not_match_image_shape(images):
    X, y = images
    est = CNNClassifier(image_shape=(9, 9), **FAST)
    with pytest.raises(ImageShapeError, match=r"= 81 columns .*Received: X with shape \(60, 64\)"):
        est.fit(X.reshape(60, 64), y)


def test_images_that_do_not_match_image_shape(images):
    X, y = images
    est = CNNClassifier(image_shape=(8, 8, 3), **FAST)
    with pytest.raises(
        ImageShapeError, match=r"Expected images of shape \(8, 8, 3\).*\(60, 8, 8, 1\)"
    ):
        est.fit(X, y)


def test_rank_5_input():
    with pytest.raises(
        ImageShapeError, match=r"rank 3 .* or 4 .*Received: X with shape \(4, 2, 2, 2, 1\)"
    ):
        CNNClassifier(**FAST).fit(np.zeros((4, 2, 2, 2, 1)), [0, 1, 0, 1])


def test_complex_x():
    with pytest.raises(DataError, match="Complex data not supported"):
        CNNClassifier(**FAST).fit(np.zeros((4, 8, 8)) + 1j, [0, 1, 0, 1])


def test_image_shape_is_recovered_from_the_network(images):
    X, y = images
    est = CNNClassifier(random_state=0, **FAST).fit(X, y)
    proba = est.predict_proba(X)
    del est.image_shape_  # as after loading from a file that does not store it
    np.testing.assert_array_equal(est.predict_proba(X.reshape(60, 64)), proba)
    with pytest.raises(ImageShapeError, match=r"\(8, 8, 1\)"):
        est.predict(np.zeros((2, 9, 9)))


def test_one_dimensional_x():
    with pytest.raises(DataError, match=r"Reshape your data.*Received: X with shape \(4,\)"):
        CNNClassifier(**FAST).fit(np.zeros(4), [0, 1, 0, 1])


@pytest.mark.parametrize("bad", [(28,), (28, 28, 1, 1), (28, -1), (28.0, 28), (0, 28)])
def test_invalid_image_shape(bad):
    with pytest.raises(ParameterError, match=r"image_shape must be \(height, width\)"):
        CNNClassifier(image_shape=bad, **FAST).fit(np.zeros((4, 28, 28)), [0, 1, 0, 1])


@pytest.mark.parametrize(
    ("param", "value"),
    [("flip", "diagonal"), ("rotation", 1.0), ("zoom", -0.1), ("pooling", "min"), ("n_blocks", -1)],
)
def test_invalid_architecture_params(param, value):
    with pytest.raises(InvalidParameterError, match=param):
        CNNClassifier(**{**FAST, param: value}).fit(np.zeros((4, 8, 8)), [0, 1, 0, 1])
