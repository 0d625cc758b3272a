"""Training input for the TensorFlow backend: one shuffled pass per epoch, built once per fit.

Keras turns NumPy training arrays into a ``tf.data`` pipeline whose iterator it creates twice
per epoch (once at the start of the epoch and once more, unused, at its end). Each creation
instantiates the pipeline's functions: about 10 ms, more than the whole training work of an
epoch of a small tabular network (breast_cancer, 12 batches: about 5 ms). Its shuffle is a
``tf.random.shuffle`` inside the pipeline, which under a fixed global seed gives *the same
order every epoch* (each new iterator restarts the op's seed stream).

:func:`epoch_dataset` is the pipeline skdeep hands to ``model.fit`` instead, with
``steps_per_epoch`` so that Keras creates one iterator per epoch: batches of row indices
reshuffled at every pass (a new, seeded order per epoch: deterministic for a given seed) and
gathered from the arrays. A 30-epoch fit of a Dense(64)-Dense(32) network on breast_cancer
takes 0.45 s this way and 1.03 s from NumPy arrays (same compiled model, same machine).
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
    order = (
        tf.data.Dataset.range(n)
        .shuffle(n, seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
    )
    if endless:
        order = order.repeat()

    def gather(indices, tensors):
        return tuple(tf.gather(t, indices) for t in tensors)

    # a sequential map: gathering a batch is cheap, and a parallel map made fits of small
    # networks ~5% slower (CNN epochs on Fashion-MNIST: the same time either way)
    dataset = tf.data.Dataset.zip((order, data)).map(gather)
    options = tf.data.Options()
    # static graph rewrites cost more at iterator creation than they save on small pipelines
    options.experimental_optimization.apply_default_optimizations = False
    options.deterministic = True
    return dataset.with_options(options).prefetch(2), -(-n // batch_size)
