"""Seeding of a fit on every Keras backend; the only skdeep module touching Keras internals.

Every random draw of a skdeep fit is seeded explicitly: Keras layers and initializers from
their ``SeedGenerator`` state (Keras' global seed), the shuffling by
:func:`skdeep._training._input.epoch_dataset` (its own seed per training run), the inner split
and samplers from the estimator's ``random_state``. TensorFlow's global seed is left alone:
``tf.random.set_seed`` would add nothing, but it clears TensorFlow's eager kernel cache, which
made the following fit about 0.1-0.3 s slower (every eager op re-created).
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Iterator
from numbers import Integral

import keras
import numpy as np

try:  # where Keras draws every default seed (initializers, dropout, augmentation layers)
    from keras.src.backend.common import global_state as _keras_global_state
    from keras.src.random import seed_generator as _keras_seed_module
    from keras.src.utils import rng_utils as _keras_rng_utils
except ImportError:  # pragma: no cover - a Keras layout we do not know: global RNG only
    _keras_seed_module = _keras_global_state = _keras_rng_utils = None

__all__ = ["data_seed", "fit_seed", "seeded", "set_random_seed"]

_BUILD_LOCK = threading.RLock()
_INT32_MAX = np.iinfo(np.int32).max


def set_random_seed(seed: int) -> None:
    """``keras.utils.set_random_seed`` without TensorFlow's global seed (see module docs)."""
    if _keras_global_state is None:  # pragma: no cover - a Keras layout we do not know
        keras.utils.set_random_seed(seed)
        return
    _keras_global_state.set_global_attribute(_keras_rng_utils.GLOBAL_RANDOM_SEED, seed)
    _keras_global_state.set_global_attribute(_keras_seed_module.GLOBAL_SEED_GENERATOR, None)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002
    if keras.backend.backend() == "torch":  # pragma: no cover - torch is not a CI backend
        import torch

        torch.manual_seed(seed)


@contextlib.contextmanager
def seeded(seed: int | None, *, private_keras_seeds: bool = False) -> Iterator[None]:
    """Seed Python, NumPy and the Keras backend; restore the global Python/NumPy state after.

    With ``private_keras_seeds`` (used while building a model), Keras' default seeds are drawn
    from a private ``random.Random(seed)`` instead of the process-wide ``random`` module: other
    threads of the process (a Dask worker's event loop, for one) also draw from that module,
    which made initial weights depend on their timing.
    """
    if seed is None:
        yield
        return
    py_state, np_state = random.getstate(), np.random.get_state()  # noqa: NPY002
    set_random_seed(seed)
    patch = private_keras_seeds and hasattr(_keras_seed_module, "python_random")
    if patch:
        _BUILD_LOCK.acquire()
        shared_rng = _keras_seed_module.python_random
        _keras_seed_module.python_random = random.Random(seed)
    try:
        yield
    finally:
        if patch:
            _keras_seed_module.python_random = shared_rng
            _BUILD_LOCK.release()
        random.setstate(py_state)
        np.random.set_state(np_state)  # noqa: NPY002


def fit_seed(random_state) -> int | None:
    """The integer seed of one fit from an estimator's ``random_state`` (None stays None).

    Examples
    --------
    >>> fit_seed(3), fit_seed(None)
    (3, None)
    """
    if random_state is None:
        return None
    if isinstance(random_state, Integral):
        return int(random_state)
    from sklearn.utils import check_random_state

    return int(check_random_state(random_state).randint(_INT32_MAX))


def data_seed(seed: int | None, initial_epoch: int) -> int:
    """Seed of the shuffling of one training run.

    Continuing runs (warm start, ``partial_fit``) get their own stream, so they do not replay
    the first run's epoch orders; ``seed=None`` follows NumPy's global RNG, like scikit-learn.

    Examples
    --------
    >>> data_seed(0, 0) == data_seed(0, 0) != data_seed(0, 5)
    True
    """
    if seed is None:
        return int(np.random.randint(_INT32_MAX))  # noqa: NPY002
    return int(np.random.SeedSequence([seed, initial_epoch]).generate_state(1)[0] >> 1)
