"""The TensorFlow training input: shuffled, seeded, a new order every epoch, no global seeding."""

import keras
import numpy as np
import pytest

from skdeep import ANNClassifier
from skdeep._training._input import epoch_dataset
from skdeep._training._seeding import data_seed as _data_seed

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="the tf.data input of the TensorFlow backend"
)


def _orders(dataset, epochs):
    return [np.concatenate([batch[0][:, 0].numpy() for batch in dataset]) for _ in range(epochs)]


def test_every_epoch_is_a_new_permutation_of_all_rows():
    X = np.arange(50, dtype="float32")[:, None]
    y = np.arange(50) % 2
    w = np.linspace(0.5, 1.5, 50).astype("float32")
    dataset, steps = epoch_dataset((X, y, w), batch_size=8, seed=3)
    assert steps == 7
    sizes = [len(batch[0]) for batch in dataset]
    assert sizes == [8] * 6 + [2]
    orders = _orders(dataset, 3)
    for order in orders:
        np.testing.assert_array_equal(np.sort(order), np.arange(50))
    # Keras' own pipeline repeats one order every epoch under a fixed global seed
    assert not np.array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[1], orders[2])
    # rows stay aligned with their targets and weights
    for x_b, y_b, w_b in dataset:
        rows = x_b[:, 0].numpy().astype(int)
        np.testing.assert_array_equal(y_b.numpy(), y[rows])
        np.testing.assert_allclose(w_b.numpy(), w[rows])


def test_same_seed_same_orders_other_seed_other_orders():
    X = np.arange(40, dtype="float32")[:, None]
    y = np.zeros(40)
    first = _orders(epoch_dataset((X, y), 16, seed=0)[0], 2)
    again = _orders(epoch_dataset((X, y), 16, seed=0)[0], 2)
    other = _orders(epoch_dataset((X, y), 16, seed=1)[0], 2)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])


def test_batch_size_larger_than_the_data_gives_one_batch():
    X = np.ones((5, 2), "float32")
    dataset, steps = epoch_dataset((X, np.zeros(5)), batch_size=64, seed=0)
    assert steps == 1 and [len(b[0]) for b in dataset] == [5]


def test_continuing_runs_get_their_own_shuffling_stream():
    assert _data_seed(0, 0) == _data_seed(0, 0)
    assert len({_data_seed(0, 0), _data_seed(0, 4), _data_seed(1, 0)}) == 3
    np.random.seed(7)  # seed=None follows the global NumPy RNG
    a = _data_seed(None, 0)
    np.random.seed(7)
    assert _data_seed(None, 0) == a


def test_fits_do_not_set_tensorflows_global_seed(monkeypatch):
    # tf.random.set_seed clears TensorFlow's eager kernel cache (slowing the next fit) and adds
    # nothing: every random draw of a fit is seeded explicitly
    import tensorflow as tf

    def forbidden(seed):
        raise AssertionError("tf.random.set_seed called during a fit")

    monkeypatch.setattr(tf.random, "set_seed", forbidden)
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 3)).astype("float32"), np.arange(60) % 2
    a = ANNClassifier(epochs=3, dropout=0.2, random_state=0).fit(X, y).predict_proba(X)
    b = ANNClassifier(epochs=3, dropout=0.2, random_state=0).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)


def test_a_million_rows_are_shuffled_without_a_buffer_of_a_million_tensors():
    # a tf.data shuffle buffer holds each index as a tensor of its own (~100 bytes a row);
    # one permutation per epoch costs 8 bytes a row
    import gc

    def rss_mb():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096 / 1e6

    n = 1_000_000
    X, y = np.zeros((n, 1), "float32"), np.zeros(n, "uint8")
    dataset, steps = epoch_dataset((X, y), batch_size=n // 4, seed=0)
    gc.collect()
    start = rss_mb()
    rows = sum(len(batch[1]) for batch in dataset)
    growth = rss_mb() - start
    assert steps == 4 and rows == n
    assert growth < 60, f"RSS grew {growth:.0f} MB for one epoch of indices"


@pytest.mark.parametrize("endless", [False, True])
def test_keras_trains_on_every_batch_of_every_epoch(endless):
    # Keras starts a new pass per epoch only over a dataset whose length it knows; otherwise
    # epochs after the first find it exhausted and train on nothing (loss 0.0)
    X = np.random.default_rng(0).normal(size=(50, 3)).astype("float32")
    y = (X[:, 0] > 0).astype("float32")
    dataset, steps = epoch_dataset((X, y), batch_size=16, seed=0, endless=endless)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    history = model.fit(dataset, epochs=4, steps_per_epoch=steps, shuffle=False, verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 4 * steps == 16
    assert all(loss > 0 for loss in history.history["loss"])
