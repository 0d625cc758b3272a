"""Inference-mode outputs of a Keras model as NumPy, in bounded calls.

``model.predict`` costs milliseconds of set-up per call (a data adapter, an iterator, a
compiled predict loop), more than a small network's whole forward pass on a few hundred rows.
Small inputs therefore take one direct model call; large inputs go through ``predict`` in
whole batches only, the last one padded (a ragged last batch recompiles on JAX).

**A row's output does not depend on where it sits in X.** The CPU matrix-product kernels
compute rows in panels of several rows and the rows of a last, partial panel through another
code path: the same row's output differed by one float32 ulp (about 1e-7 relative) between
positions (measured here: 149 of 1,200 outputs differed over 30 permutations of 20 rows; plain
Keras does the same), which made scikit-learn's ``check_methods_sample_order_invariance``
(``rtol=1e-7``) pass or fail with the data and the machine's load. Every call is therefore
padded (with copies of the last row) to a multiple of :data:`ROW_BLOCK` rows, so that every
row is computed in a full panel: 0 differences over permutations of 5 to 1,000 rows
(``tests/_training/test_inference.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np

__all__ = ["DIRECT_CALL_MAX_VALUES", "compute_in_chunks", "forward"]

#: Inputs up to this many values are predicted with one direct model call.
DIRECT_CALL_MAX_VALUES = 1 << 21
#: Every inference call holds a multiple of this many rows (see the module docs).
ROW_BLOCK = 32


def forward(
    model: keras.Model, X: np.ndarray, batch_size: int, max_samples: int | None = None
) -> np.ndarray:
    """Inference-mode outputs of ``model`` on ``X`` as float32 NumPy.

    ``max_samples`` bounds the samples of one call (direct or batch); by default a call holds
    up to :data:`DIRECT_CALL_MAX_VALUES` input values, right for networks whose activations
    scale with their input.

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> forward(model, np.zeros((5, 3), "float32"), batch_size=32).shape
    (5, 2)
    """
    n = len(X)
    if n == 0:
        return np.zeros((0, model.output_shape[-1]), np.float32)
    per_call = max(1, DIRECT_CALL_MAX_VALUES // max(1, X[0].size))
    if max_samples is not None:
        per_call = max(1, min(per_call, max_samples))
    block = ROW_BLOCK if per_call >= ROW_BLOCK else 1
    rows = -(-n // block) * block
    if rows <= per_call:
        out = model(_padded(X, rows), training=False)
        return keras.ops.convert_to_numpy(out)[:n].astype(np.float32, copy=False)
    batch = max(min(batch_size, n), per_call // block * block)
    batch = min(max(block, batch // block * block), per_call)
    out = model.predict(_padded(X, -(-n // batch) * batch), batch_size=batch, verbose=0)
    return np.asarray(out[:n], dtype=np.float32)


def _padded(X: np.ndarray, rows: int) -> np.ndarray:
    """``X`` followed by copies of its last row, ``rows`` rows in all."""
    pad = rows - len(X)
    return X if pad <= 0 else np.concatenate([X, np.repeat(X[-1:], pad, axis=0)])


def compute_in_chunks(
    compute: Callable[[np.ndarray], np.ndarray], X: np.ndarray, chunk: int
) -> np.ndarray:
    """``compute`` over chunks of ``chunk`` rows of ``X``, concatenated (float32).

    Examples
    --------
    >>> import numpy as np
    >>> compute_in_chunks(lambda x: x * 2, np.ones((5, 1)), chunk=2).ravel().tolist()
    [2.0, 2.0, 2.0, 2.0, 2.0]
    """
    if len(X) == 0:
        return np.zeros((0, 0), dtype=np.float32)
    parts = [
        np.asarray(compute(X[start : start + chunk]), dtype=np.float32)
        for start in range(0, len(X), chunk)
    ]
    return np.concatenate(parts)
