"""``memory=``: a fit whose inputs match a stored one loads that network instead of training.

With ``memory`` (a folder, or a ``joblib.Memory`` whose location is used, as in scikit-learn's
``Pipeline(memory=...)``), every completed fit is written to ``<folder>/skdeep-fits/<key>.skdeep``
in skdeep's safe file format, atomically, and a later fit with the same key loads it (through
the safe loader: no code from the file runs) instead of training. A search, a study or a script
killed half-way therefore resumes: rerun it and only the fits that had not finished train, and
the results are those of an uninterrupted run (the stored networks are the same bit for bit).

The key is a digest of everything that determines the trained network: the estimator's class
and parameters (``memory`` and ``verbose`` aside), the data it trains on (X, y and sample
weights by value: bytes, shapes, dtypes, column names), the labels, the seed, and the skdeep,
Keras and backend versions. Keras objects among the parameters count by their config, callbacks
by their class and settings (those that only record a fit, such as ``CSVLogger``,
``TensorBoard`` or ``ModelCheckpoint``, do not count), and a model function by its code, its
defaults, its closure and the plain global values it names; a change inside *another* function
it calls is not seen (as with ``joblib.Memory``): empty the folder after such a change. A fit
is cached only when it is reproducible and self-contained:

* ``random_state`` must be an integer (``None`` draws new weights at every fit, by design; a
  ``RandomState`` instance changes with every draw);
* a fit that continues a network (``warm_start`` after a first fit, ``partial_fit``, the rungs
  of ``EpochHalvingSearchCV``) adds the digest of that network's weights, optimizer state and
  epoch count to its key: it is found again exactly when it continues the same network;
* callbacks do not run for a fit loaded from the cache (no logs or checkpoints are written).

Stored files are never deleted by skdeep; the folder grows by one file per distinct fit (the
size of a saved estimator: the network's weights plus a few kilobytes).

Hashing costs little against training: about 0.2 s for 60,000 x 784 float32 images (measured by
``benchmarks/bench_resume.py``).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
from numbers import Integral
from pathlib import Path

import keras
import numpy as np

from ..exceptions import DataError, ParameterError, describe
from . import _engines

__all__ = ["FitCache", "engine_for", "fit_cache", "store_fit"]

#: Parameters that do not change the trained network (``callbacks``: see _canonical_callbacks).
_UNKEYED = frozenset({"memory", "verbose", "callbacks"})
#: Callbacks that only record a fit.
_OBSERVERS = (
    keras.callbacks.CSVLogger,
    keras.callbacks.TensorBoard,
    keras.callbacks.ModelCheckpoint,
    keras.callbacks.ProgbarLogger,
    keras.callbacks.History,
    keras.callbacks.RemoteMonitor,
)


def _folder(memory) -> Path | None:
    if memory is None:
        return None
    location = getattr(memory, "location", memory)  # joblib.Memory
    if location is None:
        return None
    if not isinstance(location, str | os.PathLike):
        raise ParameterError(
            "memory must be None, a folder or a joblib.Memory. Expected e.g. memory="
            f"'cache/'. Received: memory={describe(memory)}"
        )
    return Path(location).expanduser() / "skdeep-fits"


def _canonical(value) -> object:
    """A stable description of a parameter value (no object ids)."""
    if isinstance(value, keras.optimizers.Optimizer):
        config = {k: v for k, v in value.get_config().items() if k != "name"}  # sgd_1, ...
        return ["optimizer", type(value).__name__, _canonical(config)]
    if isinstance(value, keras.Model):
        return ["keras-model", value.to_json()]
    if hasattr(value, "get_params") and hasattr(value, "fit_resample"):
        params = {k: _canonical(v) for k, v in value.get_params(deep=False).items()}
        return ["sampler", type(value).__name__, params]
    if callable(value) and hasattr(value, "__code__"):
        return _canonical_function(value)
    if isinstance(value, keras.callbacks.Callback):
        settings = {k: v for k, v in vars(value).items() if k != "model" and k[0] != "_"}
        return ["callback", type(value).__module__, type(value).__qualname__, _canonical(settings)]
    if isinstance(value, np.ndarray):
        return ["array", value.dtype.str, list(value.shape), _digest_array(value)]
    if hasattr(value, "get_config") and not isinstance(value, type):
        try:  # Keras initializers, regularizers, schedules, losses, layers
            return ["keras", type(value).__qualname__, _canonical(value.get_config())]
        except (NotImplementedError, TypeError, ValueError):
            pass
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: str(kv))}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return repr(value)


def _canonical_function(fn) -> list:
    """A function by its code (nested code too), defaults, closure and the plain globals it
    names: what a model function's result depends on, as far as can be seen from it."""
    code = fn.__code__
    names = set(code.co_names)
    plain = {
        n: repr(v)
        for n, v in sorted(getattr(fn, "__globals__", {}).items())
        if n in names and isinstance(v, bool | int | float | str | tuple | type(None))
    }
    closure = [_canonical(c.cell_contents) for c in fn.__closure__ or ()]
    defaults = [_canonical(fn.__defaults__), _canonical(fn.__kwdefaults__)]
    return [
        "function",
        fn.__module__,
        fn.__qualname__,
        _code_digest(code),
        plain,
        closure,
        defaults,
    ]


def _code_digest(code) -> str:
    digest = hashlib.blake2b(code.co_code, digest_size=16)
    digest.update(repr(code.co_names).encode())
    for const in code.co_consts:
        text = _code_digest(const) if hasattr(const, "co_code") else repr(const)
        digest.update(text.encode())
    return digest.hexdigest()


def _canonical_callbacks(callbacks) -> object:
    """The callbacks that can change the network, keyed by class and settings. Those that
    only record a fit (logs, checkpoints, progress) are left out: a loaded fit runs none."""
    if callbacks is None:
        return None
    return [_canonical(c) for c in callbacks if not isinstance(c, _OBSERVERS)]


def _canonical_data(value) -> object:
    """X, y or sample weights by content: arrays, frames (with their column names and
    dtypes), sparse matrices and nested lists alike (never a truncated ``repr``)."""
    if value is None:
        return None
    if hasattr(value, "tocsr") and hasattr(value, "nnz"):  # scipy.sparse
        m = value.tocsr()
        parts = (m.data, m.indices, m.indptr)
        return ["sparse", list(m.shape), [_digest_array(p) for p in parts]]
    if hasattr(value, "columns") and hasattr(value, "dtypes"):  # pandas DataFrame
        names = [repr(c) for c in value.columns]
        dtypes = [str(d) for d in value.dtypes]
        return [
            "frame",
            names,
            dtypes,
            [_digest_array(value.iloc[:, i].to_numpy()) for i in range(value.shape[1])],
        ]
    if hasattr(value, "dtype") and hasattr(value, "to_numpy"):  # pandas Series
        return ["series", repr(value.name), str(value.dtype), _digest_array(value.to_numpy())]
    a = np.asarray(value)
    return ["array", a.dtype.str, list(a.shape), _digest_array(a)]


def _digest_array(a) -> str:
    a = np.asarray(a)
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{a.dtype.str}{a.shape}".encode())
    if a.dtype.hasobject:  # the bytes are object addresses: hash the values instead
        digest.update(json.dumps(a.tolist(), default=repr).encode())
    elif a.size:
        digest.update(memoryview(np.ascontiguousarray(a)).cast("B"))
    return digest.hexdigest()


def _network_state(est) -> list:
    """What a continuing fit starts from: the network's variables, optimizer state, epochs."""
    state = getattr(est, "_parked_state", None)
    if state is None:
        state = _engines.park_state(est.model_)
    arrays = [*state["variables"], *state["optimizer"]]
    return [getattr(est, "n_epochs_", 0), [_digest_array(a) for a in arrays]]


def _versions() -> dict:
    from .. import __version__

    versions = {"skdeep": __version__, "keras": keras.__version__}
    backend = keras.backend.backend()
    versions["backend"] = backend
    if backend == "tensorflow":
        import tensorflow as tf

        versions["tensorflow"] = tf.__version__
    return versions


class FitCache:
    """The stored fits of one folder (see the module docs)."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key

    @property
    def path(self) -> Path:
        return self.folder / f"{self.key}.skdeep"

    def restore(self, est, model_for) -> bool:
        """Load a stored fit into ``est``; False when there is none (or it cannot be read).

        ``model_for(loaded_model)`` returns the network ``est`` should hold: a pooled engine of
        the same architecture holding the stored weights (so loading many fits does not grow
        memory), or the loaded network itself.
        """
        if not self.path.is_file():
            return False
        from .._persistence import load

        try:
            stored = load(self.path, expected=type(est))
        except (DataError, FileNotFoundError):
            return False  # a damaged or foreign file: train again, it will be replaced
        for name, value in vars(stored).items():
            if name.endswith("_") and not name.startswith("_") and name != "model_":
                setattr(est, name, value)
        est.model_ = model_for(stored.model_)
        return True

    def store(self, est) -> None:
        """Write ``est``'s fitted state (atomically: a failed write leaves no file)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        est.save(self.path)


def fit_cache(est, X, y, sample_weight, seed, *, continuing: bool) -> FitCache | None:
    """The cache entry of this fit of ``est``, or None when it is not cached."""
    folder = _folder(getattr(est, "memory", None))
    if folder is None or not isinstance(est.random_state, Integral):
        return None
    names = [n for n in inspect.signature(type(est).__init__).parameters if n != "self"]
    params = est.get_params(deep=False)
    keyed = {n: _canonical(params[n]) for n in sorted(params) if n not in _UNKEYED}
    description = {
        "class": f"{type(est).__module__}.{type(est).__qualname__}",
        "signature": names,
        "params": keyed,
        "callbacks": _canonical_callbacks(params.get("callbacks")),
        "data": [_canonical_data(v) for v in (X, y, sample_weight)],
        "classes": _canonical(getattr(est, "classes_", None)),
        "features": _canonical(getattr(est, "feature_names_in_", None)),
        "continues": _network_state(est) if continuing else None,
        "seed": seed,
        "versions": _versions(),
    }
    text = json.dumps(description, sort_keys=True, default=repr)
    key = hashlib.blake2b(text.encode(), digest_size=20).hexdigest()
    return FitCache(folder, key)


def engine_for(est, data, settings, transaction, fresh_network):
    """``model_for`` of :meth:`FitCache.restore`: the stored weights in a pooled engine."""

    def model_for(stored: keras.Model) -> keras.Model:
        try:
            model = fresh_network(est, data, settings, transaction)
        except (ValueError, TypeError):
            return stored
        state = _engines.park_state(stored)
        try:
            _engines.load_state(model, state)
        except ValueError:  # not the same variables: keep the stored network itself
            return stored
        return model

    return model_for


def store_fit(cache: FitCache | None, est) -> None:
    """Store a finished fit; a write that fails warns (the fit itself succeeded)."""
    if cache is None:
        return
    try:
        cache.store(est)
    except (OSError, ParameterError, DataError) as error:
        import warnings

        warnings.warn(
            f"memory: this fit could not be stored ({error}); it will train again next time.",
            UserWarning,
            stacklevel=4,
        )
