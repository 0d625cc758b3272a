"""Reuse of compiled Keras models across fits ("engines").

Why this exists (measured, see docs/design-notes.md): with the TensorFlow backend every new
model traces fresh train/predict graphs, and those graphs are never freed, whatever
``clear_session()`` or ``gc`` does. A search is hundreds of fits of a handful of
architectures, so skdeep keeps the compiled model of each architecture and, for the next fit of
the same architecture, only resets its state: weights (copied from a freshly built, seeded model,
so results are identical to a cold build), optimizer slots and iteration counter, learning rate.
Graphs are traced once per architecture instead of once per fit.

An engine belongs to one estimator at a time (held through a weak reference): it becomes free
again when that estimator is garbage collected or refits with another architecture, so a fitted
estimator's ``model_`` is never touched by someone else's fit.
"""

from __future__ import annotations

from . import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
import threading
import weakref
from collections.abc import Hashable
from dataclasses import dataclass, field

import keras
import numpy as np


def _dead() -> None:
    return None


#: Models built between two clears of TensorFlow's eager kernel cache.
KERNEL_CACHE_BUILDS = 64
_builds = 0
_builds_lock = threading.Lock()


def note_model_built() -> bool:
    """Count a newly built Keras model; every ``KERNEL_CACHE_BUILDS`` clear the kernel cache.

    TensorFlow caches one eager kernel per distinct op and attributes, and each new variable
    has its own (its resource name): every model built for its seeded initial weights added
    ~0.15 MB that was never freed (45 MB over 300 fits). ``tf.random.set_seed`` used to clear
    the cache as a side effect, at every fit, which made the next fit ~0.25 s slower while
    kernels were re-created. Clearing every 64 builds bounds the cache at ~10 MB for ~4 ms per
    fit. Returns whether the cache was cleared.
    """
    global _builds
    if keras.backend.backend() != "tensorflow":
        return False
    with _builds_lock:
        _builds += 1
        if _builds < KERNEL_CACHE_BUILDS:
            return False
        _builds = 0
    try:
        from tensorflow.python.eager import context
    except ImportError:  # pragma: no cover - a TensorFlow layout we do not know
        return False
    context.context().clear_kernel_cache()
    return True


@dataclass
class Engine:
    """A compiled model and the snapshot needed to reset its optimizer."""

    key: Hashable
    model: keras.Model
    optimizer_state: list[np.ndarray] = field(default_factory=list)
    owner: weakref.ReferenceType | None = None
    uses: int = 0

    def is_free_for(self, owner: object) -> bool:
        current = self.owner() if self.owner is not None else None
        return current is None or current is owner


class EnginePool:
    """A small, thread-safe pool of compiled models keyed by architecture."""

    def __init__(self, max_idle: int = 8) -> None:
        self.max_idle = max_idle
        self._engines: list[Engine] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._engines)

    def acquire(self, key: Hashable, owner: object) -> Engine | None:
        """Return a free engine for ``key`` now owned by ``owner``, or None."""
        with self._lock:
            for engine in self._engines:
                if engine.key == key and engine.is_free_for(owner):
                    engine.owner = weakref.ref(owner)
                    engine.uses += 1
                    self._engines.remove(engine)
                    self._engines.append(engine)  # most recently used last
                    return engine
        return None

    def register(self, engine: Engine, owner: object) -> Engine:
        """Add a newly compiled engine owned by ``owner``; evict idle engines beyond the bound."""
        with self._lock:
            engine.owner = weakref.ref(owner)
            engine.uses = 1
            self._engines.append(engine)
            idle = [e for e in self._engines if e.owner is None or e.owner() is None]
            for stale in idle[: max(0, len(idle) - self.max_idle)]:
                self._engines.remove(stale)
        return engine

    def release(self, owner: object) -> None:
        """Free every engine owned by ``owner`` (it is about to build another one)."""
        with self._lock:
            for engine in self._engines:
                if engine.owner is not None and engine.owner() is owner:
                    engine.owner = None

    def clear(self) -> None:
        """Forget every engine (models still referenced by estimators stay usable)."""
        with self._lock:
            self._engines.clear()


POOL = EnginePool()


def snapshot_optimizer(model: keras.Model) -> list[np.ndarray]:
    """Build the optimizer's slots now and return their initial values."""
    optimizer = model.optimizer
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    return [keras.ops.convert_to_numpy(v) for v in optimizer.variables]


def reset_engine(engine: Engine, fresh: keras.Model, learning_rate: float | None) -> bool:
    """Load ``fresh``'s initial state into the engine; False when the two do not match."""
    target, source = engine.model.variables, fresh.variables
    if len(target) != len(source) or any(
        tuple(a.shape) != tuple(b.shape) for a, b in zip(target, source)
    ):
        return False
    for t, s in zip(target, source):
        t.assign(s.value)
    optimizer = engine.model.optimizer
    for variable, value in zip(optimizer.variables, engine.optimizer_state):
        variable.assign(value)
    if learning_rate is not None:
        optimizer.learning_rate = learning_rate
    engine.model.stop_training = False
    return True
