"""Inference: a row's output does not depend on its position in X, in any call path."""

import numpy as np
import pytest

from skdeep import ANNClassifier
from skdeep._training import _inference
from skdeep._training._inference import ROW_BLOCK, forward


@pytest.fixture(scope="module")
def fitted(binary_data):
    X, y = binary_data
    return ANNClassifier(epochs=5, units=16, random_state=0).fit(X, y), X


@pytest.mark.parametrize("n", [1, 5, 13, 20, 33, 100, 150, 199])
def test_outputs_are_bit_identical_under_row_permutations(fitted, n):
    est, X = fitted
    Xn = X[np.arange(n) % len(X)]
    base = est.predict_proba(Xn)
    rng = np.random.default_rng(n)
    for _ in range(5):
        order = rng.permutation(n)
        np.testing.assert_array_equal(est.predict_proba(Xn[order]), base[order])


def test_a_row_alone_gives_what_it_gives_in_a_batch(fitted):
    est, X = fitted
    batch = est.predict_proba(X[:50])
    alone = np.concatenate([est.predict_proba(X[i : i + 1]) for i in range(50)])
    np.testing.assert_array_equal(alone, batch)


def test_batched_path_is_permutation_invariant_too(fitted, monkeypatch):
    est, X = fitted
    monkeypatch.setattr(_inference, "DIRECT_CALL_MAX_VALUES", 8 * 64)  # 64 rows per call
    Xn = X[np.arange(333) % len(X)]
    sizes = []
    real = est.model_.predict

    def spy(x, batch_size, verbose):
        sizes.append((len(x), batch_size))
        return real(x, batch_size=batch_size, verbose=verbose)

    monkeypatch.setattr(est.model_, "predict", spy)
    base = forward(est.model_, Xn, batch_size=32)
    order = np.random.default_rng(0).permutation(len(Xn))
    np.testing.assert_array_equal(forward(est.model_, Xn[order], batch_size=32), base[order])
    assert all(n % batch == 0 and batch % ROW_BLOCK == 0 for n, batch in sizes)


def test_padding_never_exceeds_a_small_bound(fitted):
    est, X = fitted
    # a bound below one row block: calls of at most max_samples rows, no padding to 32
    out = forward(est.model_, X[:10], batch_size=32, max_samples=4)
    np.testing.assert_allclose(out[:, 0], est.predict_proba(X[:10])[:, 1], atol=1e-6)
