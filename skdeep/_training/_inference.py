"""Inference-mode outputs of a Keras model as NumPy, in bounded calls.

``model.predict`` costs milliseconds of set-up per call (a data adapter, an iterator, a
compiled predict loop), more than a small network's whole forward pass on a few hundred rows.
Small inputs therefore take one direct model call; large inputs go through ``predict`` in
whole batches only, the last one padded (a ragged last batch recompiles on JAX).
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np

__all__ = ["DIRECT_CALL_MAX_VALUES", "compute_in_chunks", "forward"]

#: Inputs up to this many values are predicted with one direct model call.
DIRECT_CALL_MAX_VALUES = 1 << 21


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
    if n <= per_call:
        out = model(X, training=False)
        return keras.ops.convert_to_numpy(out).astype(np.float32, copy=False)
    batch = max(min(batch_size, n), per_call)
    if max_samples is not None:
        batch = min(batch, max_samples)
    pad = (-n) % batch
    if pad:
        X = np.concatenate([X, np.repeat(X[-1:], pad, axis=0)])
    out = model.predict(X, batch_size=batch, verbose=0)
    return np.asarray(out[:n], dtype=np.float32)


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
