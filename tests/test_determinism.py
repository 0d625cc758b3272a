"""Same random_state -> identical predictions on CPU for every estimator; another seed differs."""

import numpy as np
import pytest
from _transfer_weights import small_base_registered

import skdeep

rng = np.random.default_rng(0)
IMAGES = rng.random((48, 8, 8, 1)).astype("float32")
LABELS = (IMAGES.mean(axis=(1, 2, 3)) > 0.5).astype(int)
TABLE = rng.normal(size=(80, 5)).astype("float32")
TABLE_Y = (TABLE[:, 0] > 0).astype(int)


def _cases():
    yield (
        "ann",
        lambda seed: skdeep.ANNClassifier(
            epochs=2, dropout=0.3, gaussian_noise=0.1, early_stopping=True, random_state=seed
        ),
        TABLE,
        TABLE_Y,
    )
    if hasattr(skdeep, "CNNClassifier"):
        yield (
            "cnn-augmented",
            lambda seed: skdeep.CNNClassifier(
                epochs=2,
                n_blocks=1,
                filters=4,
                dense_units=8,
                dropout=0.2,
                flip="horizontal",
                rotation=0.1,
                translation=0.1,
                random_state=seed,
            ),
            IMAGES,
            LABELS,
        )
    if hasattr(skdeep, "TransferClassifier"):
        yield (
            "transfer",
            lambda seed: skdeep.TransferClassifier(
                base="small",  # a random base of five convolutions, see tests/_transfer_weights
                weights=None,
                input_size=32,
                epochs=1,
                fine_tune_epochs=1,
                trainable_layers=2,
                dense_units=8,
                rotation=0.1,
                random_state=seed,
            ),
            np.repeat(IMAGES, 4, axis=1).repeat(4, axis=2),
            LABELS,
        )


@pytest.mark.parametrize(
    "name, make, X, y", list(_cases()), ids=lambda v: v if isinstance(v, str) else ""
)
def test_same_seed_same_predictions(name, make, X, y):
    with small_base_registered(weights=None):
        _same_seed_same_predictions(make, X, y)


def _same_seed_same_predictions(make, X, y):
    a = make(11).fit(X, y).predict_proba(X)
    b = make(11).fit(X, y).predict_proba(X)
    c = make(12).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
