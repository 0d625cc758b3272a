"""Inference-mode outputs of a Keras model as NumPy, in bounded, compiled calls.

``model.predict`` costs milliseconds of set-up per call (a data adapter, an iterator, a
compiled predict loop), more than a small network's whole forward pass on a few hundred rows,
and an eager ``model(x)`` call costs Keras' Python per layer (about 2-4 ms of CPU for a small
dense net on 32 rows). skdeep calls one compiled function per network instead (a
``tf.function`` with an unknown batch size on TensorFlow, ``jax.jit`` of the stateless call on
JAX: 0.4 ms for the same call), in chunks of at most the call bound, each padded to whole row
blocks (JAX: to a power-of-two number of blocks, so that a few shapes serve every length: no
recompiles). The function reads the network's variables, so it stays valid while the network
trains, and it is made once per network, under a lock (threads may predict at once). Compiled
and eager outputs agree to about one float32 ulp, not to the bit: graph mode fuses the
matrix product with its bias and activation. Other backends call the model eagerly.

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

import threading
import weakref
from collections.abc import Callable

import keras
import numpy as np

__all__ = ["DIRECT_CALL_MAX_VALUES", "ROW_BLOCK", "compiled_call", "compute_in_chunks", "forward"]

#: Inputs up to this many values are predicted with one direct model call.
DIRECT_CALL_MAX_VALUES = 1 << 21
#: Every inference call holds a multiple of this many rows (see the module docs).
ROW_BLOCK = 32


def forward(
    model: keras.Model, X: np.ndarray, batch_size: int, max_samples: int | None = None
) -> np.ndarray:
    """Inference-mode outputs of ``model`` on ``X`` as float32 NumPy.

    ``max_samples`` bounds the samples of one call; by default a call holds up to
    :data:`DIRECT_CALL_MAX_VALUES` input values, right for networks whose activations scale
    with their input. ``batch_size`` is kept for the signature (calls are sized by the bound).

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
    chunk = per_call // block * block
    call = compiled_call(model)
    parts = []
    for start in range(0, n, chunk):
        part = X[start : start + chunk]
        rows = _bucket(len(part), block, chunk)
        parts.append(call(_padded(part, rows))[: len(part)])
    out = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return out.astype(np.float32, copy=False)


def _bucket(n: int, block: int, limit: int) -> int:
    """Rows of a call on ``n`` rows: whole blocks; on JAX a power-of-two number of them."""
    blocks = -(-n // block)
    if keras.backend.backend() == "jax":
        blocks = 1 << (blocks - 1).bit_length()
    return min(blocks * block, max(limit, n))


def _padded(X: np.ndarray, rows: int) -> np.ndarray:
    """``X`` followed by copies of its last row, ``rows`` rows in all."""
    pad = rows - len(X)
    return X if pad <= 0 else np.concatenate([X, np.repeat(X[-1:], pad, axis=0)])


_CALLS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_CALLS_LOCK = threading.Lock()


def compiled_call(model: keras.Model) -> Callable[[np.ndarray], np.ndarray]:
    """The compiled inference function of ``model`` (made once; see the module docs)."""
    with _CALLS_LOCK:
        call = _CALLS.get(model)
        if call is None:
            call = _CALLS[model] = _compile(weakref.ref(model))
    return call


def _compile(ref: weakref.ReferenceType) -> Callable[[np.ndarray], np.ndarray]:
    model = ref()
    backend = keras.backend.backend()
    single = not isinstance(model.input_shape, list)
    if backend == "tensorflow" and single:
        import tensorflow as tf

        spec = tf.TensorSpec([None, *model.input_shape[1:]], tf.float32)

        @tf.function(input_signature=[spec], reduce_retracing=True)
        def infer(x):
            return ref()(x, training=False)

        # each network's function traces once; TensorFlow counts the traces of all of them
        # (one code object) and would warn of "retracing" after a few networks
        infer._omit_frequent_tracing_warning = True
        return lambda x: infer(x).numpy()
    if backend == "jax" and single:
        import jax

        def stateless(trainable, non_trainable, x):
            return ref().stateless_call(trainable, non_trainable, x, training=False)[0]

        jitted = jax.jit(stateless)

        def infer_jax(x):
            net = ref()
            trainable = [v.value for v in net.trainable_variables]
            non_trainable = [v.value for v in net.non_trainable_variables]
            return np.asarray(jitted(trainable, non_trainable, x))

        return infer_jax
    return lambda x: keras.ops.convert_to_numpy(ref()(x, training=False))


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
