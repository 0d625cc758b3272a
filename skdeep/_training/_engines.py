"""Reuse of compiled Keras models across fits ("engines").

Why this exists (measured, see docs/design-notes.md): with the TensorFlow backend every new
model traces fresh train/predict graphs, and those graphs are never freed, whatever
``clear_session()`` or ``gc`` does. A search is hundreds of fits of a handful of
architectures, so skdeep keeps the compiled model of each architecture and, for the next fit of
the same architecture, only resets its state: weights (copied from a freshly built, seeded model,
so results are identical to a cold build), optimizer slots and iteration counter, learning rate.
Graphs are traced once per architecture instead of once per fit.

An engine belongs to one owner at a time (held through a weak reference). While a fit runs,
the owner is that fit's :class:`Lease`; when the fit succeeds the estimator becomes the owner of
the engines its ``model_`` uses (:meth:`EnginePool.commit`), and when it fails the lease dies and
its engines are free again. A fit never trains in an engine that another estimator, or the
fitting estimator's previous ``model_``, still uses: a fitted estimator's ``model_`` is never
touched by anyone else's fit, and a refit that fails leaves the previous network intact.

Parking (:func:`park_state` / :func:`load_state`) keeps a fitted network's training state as
NumPy arrays so that its compiled model can go back to the pool (``EpochHalvingSearchCV`` keeps
hundreds of fold models between rungs this way, with one compiled model per architecture).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Hashable
from dataclasses import dataclass, field

import keras
import numpy as np

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


@dataclass(eq=False)  # an engine is itself: the pool finds and removes it by identity
class Engine:
    """A compiled model and the snapshot needed to reset its optimizer."""

    key: Hashable
    model: keras.Model
    optimizer_state: list[np.ndarray] = field(default_factory=list)
    owner: weakref.ReferenceType | None = None
    uses: int = 0
    nbytes: int = 0

    def measure(self) -> None:
        """Set :attr:`nbytes`: the engine's weights, its optimizer slots and their snapshot."""
        weights = sum(int(np.prod(v.shape)) * _itemsize(v.dtype) for v in self.model.variables)
        self.nbytes = weights + 2 * sum(value.nbytes for value in self.optimizer_state)


def _itemsize(dtype) -> int:
    try:
        return np.dtype(dtype).itemsize
    except TypeError:  # a dtype NumPy does not know (a quantized variable): count it as float32
        return 4


class Lease:
    """The owner of the engines one fit acquires until it commits (see the module docs)."""


def _owner_of(engine: Engine) -> object | None:
    return engine.owner() if engine.owner is not None else None


def _uses(model: keras.Model | None, engine_model: keras.Model) -> bool:
    if model is None:
        return False
    return model is engine_model or any(layer is engine_model for layer in model.layers)


class EnginePool:
    """A thread-safe pool of compiled models keyed by architecture.

    Idle engines (owned by no one) are kept, least recently used evicted first, while there are
    at most ``max_idle`` of them and their weights and optimizer slots take at most
    ``max_idle_bytes``. The bound is generous on purpose: with TensorFlow, evicting an engine
    frees its variables but not its traced graphs (TensorFlow keeps them), so a search that
    comes back to an evicted architecture pays a new trace (~0.7 s for a small network, ~5 s to
    fine-tune a MobileNet) *and* more memory. Small networks are therefore kept by the
    dozen; large ones by the memory bound (a MobileNet's 3.2 million weights alone take 13 MB).
    """

    def __init__(self, max_idle: int = 64, max_idle_bytes: int = 512 * 2**20) -> None:
        self.max_idle = max_idle
        self.max_idle_bytes = max_idle_bytes
        self._engines: list[Engine] = []
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._engines)

    def acquire(self, key: Hashable, owner: object) -> Engine | None:
        """Return a free engine for ``key``, now owned by ``owner``, or None."""
        with self._lock:
            for engine in self._engines:
                if engine.key == key and _owner_of(engine) is None:
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
            engine.measure()
            self._engines.append(engine)
            self._evict()
        return engine

    def _evict(self) -> None:
        idle = [e for e in self._engines if _owner_of(e) is None]  # least recently used first
        count, total = len(idle), sum(e.nbytes for e in idle)
        for engine in idle:
            if count <= self.max_idle and total <= self.max_idle_bytes:
                break
            self._engines.remove(engine)
            count, total = count - 1, total - engine.nbytes

    def commit(self, lease: Lease, owner: object, model: keras.Model | None) -> None:
        """End a successful fit: ``owner`` keeps the engines of its new ``model``.

        Engines of the lease pass to ``owner``; engines ``owner`` held before and that
        ``model`` no longer uses are freed.
        """
        with self._lock:
            freed = []
            for engine in self._engines:
                current = _owner_of(engine)
                if current is lease:
                    engine.owner = weakref.ref(owner)
                elif current is owner and not _uses(model, engine.model):
                    engine.owner = None
                    freed.append(engine)
            self._used_now(freed)

    def release(self, owner: object) -> None:
        """Free every engine owned by ``owner``."""
        with self._lock:
            freed = [e for e in self._engines if _owner_of(e) is owner]
            for engine in freed:
                engine.owner = None
            self._used_now(freed)

    def _used_now(self, engines: list[Engine]) -> None:
        """Move ``engines`` (just given back) to the most recently used end."""
        for engine in engines:
            self._engines.remove(engine)
        self._engines.extend(engines)

    def owned_by(self, owner: object) -> list[Engine]:
        with self._lock:
            return [e for e in self._engines if _owner_of(e) is owner]

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


def reset_engine(engine: Engine, fresh: keras.Model) -> bool:
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
    engine.model.stop_training = False
    return True


def park_state(model: keras.Model) -> dict:
    """The training state of ``model`` as NumPy: its variables and its optimizer's."""
    return {
        "input_shape": tuple(model.input_shape[1:]),
        "variables": [keras.ops.convert_to_numpy(v) for v in model.variables],
        "optimizer": [keras.ops.convert_to_numpy(v) for v in model.optimizer.variables]
        if model.optimizer is not None and model.optimizer.built
        else [],
    }


def load_state(model: keras.Model, state: dict) -> None:
    """Load a state from :func:`park_state` into a compiled model of the same architecture."""
    optimizer = model.optimizer
    if not optimizer.built:
        optimizer.build(model.trainable_variables)
    for variable, value in zip(model.variables, state["variables"], strict=True):
        variable.assign(value)
    if not state["optimizer"]:  # saved before the optimizer was built: nothing to restore
        return
    for variable, value in zip(optimizer.variables, state["optimizer"], strict=True):
        variable.assign(value)
