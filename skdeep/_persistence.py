"""Saving and loading fitted skdeep estimators without pickle.

A saved estimator is one zip file holding ``model.keras`` (the Keras native format) and
``estimator.json`` (class, parameters, fitted attributes, versions). Loading never executes
code from the file: the Keras model is read with ``safe_mode=True`` (no lambda/bytecode
deserialisation), the estimator class must be a registered skdeep estimator, Keras objects
among the parameters (an optimizer instance) are rebuilt from their serialised config, and a
``sampler`` is rebuilt only from an importable imbalanced-learn class and its JSON parameters.
"""

from __future__ import annotations

from . import _keras  # noqa: F401  # isort: skip  (Keras backend set-up first)
import importlib
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import keras
import numpy as np

from .exceptions import DataError, ParameterError

FORMAT = "skdeep-estimator"
FORMAT_VERSION = 1
#: Fitted attributes stored beside the model (``model_`` is the Keras file itself).
FITTED = (
    "classes_",
    "n_classes_",
    "n_features_in_",
    "feature_names_in_",
    "history_",
    "n_epochs_",
    "best_epoch_",
    "class_weight_",
    "image_shape_",
)
_SAMPLER_MODULES = ("imblearn.",)


def _estimator_classes() -> dict[str, type]:
    from .estimators import ESTIMATORS

    return {cls.__name__: cls for cls in ESTIMATORS.values()}


def _encode(value: Any) -> Any:
    """JSON form of a parameter or fitted attribute (tagged where JSON alone is ambiguous)."""
    if isinstance(value, np.ndarray):
        return {"__ndarray__": value.tolist(), "dtype": value.dtype.str}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v) for v in value]}
    if isinstance(value, dict):
        return {"__dict__": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, keras.optimizers.Optimizer):
        return {"__keras_optimizer__": keras.optimizers.serialize(value)}
    if hasattr(value, "fit_resample") and hasattr(value, "get_params"):
        cls = type(value)
        return {
            "__sampler__": f"{cls.__module__}:{cls.__qualname__}",
            "params": _encode(value.get_params(deep=False)),
        }
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ParameterError(
        "This value cannot be saved without pickle. Expected numbers, strings, arrays, "
        f"a Keras optimizer or an imbalanced-learn sampler. Received: {type(value).__name__}"
    )


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__ndarray__" in value:
        dtype = np.dtype(value["dtype"])
        if dtype.kind == "O":
            return np.array(value["__ndarray__"], dtype=object)
        return np.array(value["__ndarray__"], dtype=dtype)
    if "__tuple__" in value:
        return tuple(_decode(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {_decode(k): _decode(v) for k, v in value["__dict__"]}
    if "__keras_optimizer__" in value:
        return keras.optimizers.deserialize(value["__keras_optimizer__"])
    if "__sampler__" in value:
        module_name, _, qualname = value["__sampler__"].partition(":")
        if not module_name.startswith(_SAMPLER_MODULES):
            raise DataError(
                "Refusing to import a sampler class from outside imbalanced-learn while "
                f"loading. Received: sampler class {value['__sampler__']!r}"
            )
        cls = getattr(importlib.import_module(module_name), qualname)
        return cls(**_decode(value["params"]))
    return {k: _decode(v) for k, v in value.items()}


def save(estimator, path: str | os.PathLike) -> Path:
    """Write a fitted skdeep estimator to ``path`` (a zip file; ``.skdeep`` suggested)."""
    estimator._check_fitted()
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "class": type(estimator).__name__,
        "params": _encode(estimator.get_params(deep=False)),
        "fitted": {k: _encode(getattr(estimator, k)) for k in FITTED if hasattr(estimator, k)},
        "versions": {"skdeep": _version(), "keras": keras.__version__},
        "backend": keras.backend.backend(),
    }
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        model_file = Path(tmp) / "model.keras"
        estimator.model_.save(model_file)
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("estimator.json", json.dumps(meta, indent=1))
            archive.write(model_file, "model.keras")
    return path


def load(path: str | os.PathLike, *, expected: type | None = None):
    """Read an estimator written by :func:`save` (``safe_mode``: no code is executed)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No saved skdeep estimator at {str(path)!r}")
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise DataError(
            f"Not a saved skdeep estimator (not a zip file). Received: path={str(path)!r}"
        ) from None
    with archive:
        names = set(archive.namelist())
        if not {"estimator.json", "model.keras"} <= names:
            raise DataError(
                "Not a saved skdeep estimator. Expected estimator.json and model.keras inside. "
                f"Received: {sorted(names)[:5]}"
            )
        meta = json.loads(archive.read("estimator.json"))
        model_bytes = archive.read("model.keras")
    if meta.get("format") != FORMAT or meta.get("format_version", 0) > FORMAT_VERSION:
        raise DataError(
            f"Unsupported file format. Expected {FORMAT} version <= {FORMAT_VERSION}. "
            f"Received: {meta.get('format')!r} version {meta.get('format_version')!r}"
        )
    classes = _estimator_classes()
    name = meta.get("class")
    if name not in classes:
        raise DataError(f"Unknown estimator class in file. Received: class={name!r}")
    cls = classes[name]
    if expected is not None and not issubclass(cls, expected):
        raise DataError(
            f"{expected.__name__}.load() read a file saved by a different estimator. "
            f"Expected a {expected.__name__}. Received: a saved {name} "
            f"(use skdeep.load to load any estimator)"
        )
    estimator = cls(**_decode(meta["params"]))
    for key, value in meta["fitted"].items():
        setattr(estimator, key, _decode(value))
    with tempfile.TemporaryDirectory() as tmp:
        model_file = Path(tmp) / "model.keras"
        model_file.write_bytes(model_bytes)
        estimator.model_ = keras.saving.load_model(model_file, safe_mode=True, compile=True)
    return estimator


def _version() -> str:
    from . import __version__

    return __version__


__all__ = ["load", "save"]
