"""Training input for the TensorFlow backend: one shuffled pass per epoch, built once per fit.

Keras turns NumPy training arrays into a ``tf.data`` pipeline whose iterator it creates twice
per epoch (once at the start of the epoch and once more, unused, at its end). Each creation
instantiates the pipeline's functions: about 10 ms, more than the whole training work of an
epoch of a small tabular network (breast_cancer, 12 batches: about 5 ms). Its shuffle is a
``tf.random.shuffle`` inside the pipeline, which under a fixed global seed gives *the same
order every epoch* (each new iterator restarts the op's seed stream).

:func:`epoch_dataset` is the pipeline skdeep hands to ``model.fit`` instead, with
``steps_per_epoch`` so that Keras creates one iterator per epoch: one seeded permutation of the
row indices per epoch (a new order every pass, deterministic for a given seed), cut into
batches and gathered from the arrays. A permutation costs 8 bytes a row; a ``tf.data`` shuffle
buffer, which holds every index as a tensor of its own, cost about 180 MB and most of the fit's
time at a million rows (``benchmarks/bench_large_data.py``). A 30-epoch fit of a
Dense(64)-Dense(32) network on breast_cancer took 0.45 s this way and 1.03 s from NumPy arrays
(same compiled model, same machine).
On the JAX and torch backends Keras iterates NumPy batches without these costs, and
:func:`epoch_dataset` returns ``None`` (the arrays are passed as they are).
"""

from __future__ import annotations

import keras
import numpy as np

__all__ = ["epoch_dataset"]


def epoch_dataset(
    arrays: tuple[np.ndarray, ...], batch_size: int, seed: int | None, *, endless: bool = False
) -> tuple[object, int] | None:
    """A ``tf.data.Dataset`` of one shuffled epoch of ``arrays``, and its number of batches.

    Parameters
    ----------
    arrays : tuple of ndarray
        ``(x, y)`` or ``(x, y, sample_weight)``, all with the same first dimension.
    batch_size : int
        Samples per batch; the last batch of an epoch holds the remainder.
    seed : int or None
        Seed of the shuffling. Every iteration of the dataset (every epoch) draws a new order
        from it; None draws a nondeterministic seed.
    endless : bool, default=False
        Repeat the epochs without end (a new order each): read through one iterator for a
        whole fit, when each compiled training call runs exactly one epoch.

    Returns
    -------
    (dataset, steps) or None
        None when the Keras backend is not TensorFlow.
    """
    if keras.backend.backend() != "tensorflow":
        return None
    import tensorflow as tf

    n = len(arrays[0])
    batch_size = max(1, min(int(batch_size), n))
    # the arrays enter the pipeline as one repeated element, not as captured constants
    # (which would be serialised into the pipeline's graph)
    data = tf.data.Dataset.from_tensors(tuple(arrays)).repeat()
    # one seeded permutation per epoch, as a [steps, batch_size] table of indices (padded with
    # -1) whose rows are the batches: a shuffle buffer of n elements would hold each index as a
    # tensor of its own (about 180 bytes a row, and slower to fill than a permutation to draw)
    epochs = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True)
    if not endless:
        epochs = epochs.take(1)  # Keras iterates the dataset once per epoch: a new draw each
    steps = -(-n // batch_size)
    pad = steps * batch_size - n

    def table(draw):
        seed_pair = tf.stack([draw, tf.constant(n, tf.int64)])
        order = tf.random.experimental.stateless_shuffle(tf.range(n, dtype=tf.int64), seed_pair)
        order = tf.concat([order, tf.fill([pad], tf.constant(-1, tf.int64))], 0)
        return tf.reshape(order, [steps, batch_size])

    # unbatch hides the length; Keras needs it to start a new pass at every epoch
    length = tf.data.INFINITE_CARDINALITY if endless else steps
    order = epochs.map(table).unbatch().apply(tf.data.experimental.assert_cardinality(length))

    def gather(indices, tensors):
        if pad:  # the last batch of an epoch is padded
            indices = tf.boolean_mask(indices, indices >= 0)
        return tuple(tf.gather(t, indices) for t in tensors)

    # a sequential map: gathering a batch is cheap, and a parallel map made fits of small
    # networks ~5% slower (CNN epochs on Fashion-MNIST: the same time either way)
    dataset = tf.data.Dataset.zip((order, data)).map(gather)
    options = tf.data.Options()
    # static graph rewrites cost more at iterator creation than they save on small pipelines
    options.experimental_optimization.apply_default_optimizations = False
    options.deterministic = True
    return dataset.with_options(options).prefetch(2), steps
