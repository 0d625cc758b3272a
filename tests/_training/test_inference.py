"""Inference: a row's output does not depend on its position in X, in any call path."""

import numpy as np
import pytest

from skdeep import ANNClassifier
from skdeep._training import _inference
from skdeep._training._inference import forward


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


def test_chunked_calls_are_permutation_invariant_too(fitted, monkeypatch):
    est, X = fitted
    monkeypatch.setattr(_inference, "DIRECT_CALL_MAX_VALUES", 8 * 64)  # 64 rows per call
    Xn = X[np.arange(333) % len(X)]
    base = forward(est.model_, Xn, batch_size=32)
    order = np.random.default_rng(0).permutation(len(Xn))
    np.testing.assert_array_equal(forward(est.model_, Xn[order], batch_size=32), base[order])


def test_compiled_inference_agrees_with_the_eager_model_within_an_ulp(fitted):
    import keras

    est, X = fitted
    eager = keras.ops.convert_to_numpy(est.model_(X[:64], training=False))
    np.testing.assert_allclose(forward(est.model_, X[:64], 32), eager, rtol=0, atol=2.4e-7)


def test_one_compiled_function_serves_every_length(fitted):
    import keras

    if keras.backend.backend() != "tensorflow":
        pytest.skip("TensorFlow tracing count")
    est, X = fitted
    call = _inference.compiled_call(est.model_)
    for n in (1, 7, 33, 64, 150, 199):
        forward(est.model_, X[:n], 32)
    assert _inference.compiled_call(est.model_) is call
    infer = call.__closure__[0].cell_contents  # the tf.function
    assert infer.experimental_get_tracing_count() == 1


def test_threads_predicting_at_once_get_the_serial_results(fitted):
    from concurrent.futures import ThreadPoolExecutor

    est, X = fitted
    chunks = [X[i : i + 25] for i in range(0, 200, 25)]
    serial = [est.predict_proba(c) for c in chunks]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(est.predict_proba, chunks * 4))
    for i, out in enumerate(parallel):
        np.testing.assert_array_equal(out, serial[i % 8])


def test_padding_never_exceeds_a_small_bound(fitted):
    est, X = fitted
    # a bound below one row block: calls of at most max_samples rows, no padding to 32
    out = forward(est.model_, X[:10], batch_size=32, max_samples=4)
    np.testing.assert_allclose(out[:, 0], est.predict_proba(X[:10])[:, 1], atol=1e-6)
