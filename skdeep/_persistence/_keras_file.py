"""The Keras file inside a saved estimator: checked and described before Keras reads it.

``model.keras`` is itself a zip file (``config.json``, ``metadata.json``,
``model.weights.h5``). :func:`inspect_keras_file` applies the same size and zip-bomb checks as
to the outer file, reads the architecture in ``config.json`` and refuses what Keras'
``safe_mode`` would only catch later or not at all: Python bytecode (``__lambda__``) and
classes from modules outside Keras that are not registered Keras serializables in this
process (Keras would try to locate them; skdeep never imports a module a file names). In the
HDF5 weights it refuses external links, external and virtual datasets (which would read other
files of this machine into the weights) and datasets declaring far more bytes than the file
holds (compressed HDF5 bombs), reading only HDF5 metadata.
:func:`load_keras_model` then loads the network with ``safe_mode=True``.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keras

from ._archive import Limits, copy_member, open_zip, read_member
from ._errors import Refused

__all__ = ["KerasFileInfo", "inspect_keras_file", "load_keras_model", "parse_json"]

_WHAT = "model.keras"
_WEIGHTS = "model.weights.h5"
#: HDF5 objects (groups, datasets, links) a weights file may hold
_MAX_H5_OBJECTS = 1_000_000


@dataclass
class KerasFileInfo:
    """What ``config.json`` describes: layers, every Keras object, registered custom ones."""

    layers: Counter = field(default_factory=Counter)
    objects: set[str] = field(default_factory=set)
    custom_objects: set[str] = field(default_factory=set)
    input_shapes: list[Any] = field(default_factory=list)
    keras_version: str | None = None
    weights_bytes: int = 0


def parse_json(data: bytes, what: str) -> Any:
    """``json.loads`` with every failure as :class:`Refused`."""
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, UnicodeDecodeError, digits
        raise Refused(f"{what} is not valid JSON", "a JSON document", repr(error)[:200]) from None


def _allowed_module(module: Any) -> bool:
    return isinstance(module, str) and (
        module in ("keras", "builtins") or module.startswith("keras.")
    )


def _visit(node: dict, info: KerasFileInfo) -> None:
    name, module = node.get("class_name"), node.get("module")
    if name == "__lambda__":
        raise Refused(
            "model.keras holds Python bytecode (a lambda), which loading would run",
            "a network of Keras layers only",
            f"a __lambda__ entry in {str(node)[:80]}",
        )
    if module is None or not isinstance(name, str):
        return
    if _allowed_module(module):
        info.objects.add(f"{module}.{name}" if module != "builtins" else name)
        return
    registered = node.get("registered_name")
    if isinstance(registered, str) and keras.saving.get_registered_object(registered) is not None:
        info.custom_objects.add(registered)
        return
    raise Refused(
        "model.keras refers to a class outside Keras that this process has not registered",
        "Keras layers, or custom objects registered with keras.saving.register_keras_serializable "
        "before loading",
        f"module={module!r}, class_name={name!r}, registered_name={registered!r}",
    )


def describe_config(config: Any) -> KerasFileInfo:
    """Walk ``config.json`` (iteratively: no recursion limit to hit) and check every object."""
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise Refused(
            "model.keras's config.json is not a Keras model config",
            "a JSON object with a class_name",
            f"{str(config)[:80]}",
        )
    info = KerasFileInfo()
    stack: list[Any] = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        _visit(node, info)
        inner = node.get("config")
        if isinstance(inner, dict) and isinstance(inner.get("layers"), list):
            for layer in inner["layers"]:
                if isinstance(layer, dict) and isinstance(layer.get("class_name"), str):
                    info.layers[layer["class_name"]] += 1
                    if layer["class_name"] == "InputLayer":
                        info.input_shapes.append((layer.get("config") or {}).get("batch_shape"))
        stack.extend(node.values())
    return info


def inspect_keras_file(path: Path, limits: Limits) -> KerasFileInfo:
    """Check the Keras file at ``path`` (sizes, members, config) without building anything."""
    caps = {"config.json": limits.keras_config_bytes, "metadata.json": limits.manifest_bytes}
    with (
        open(path, "rb") as handle,
        open_zip(handle, _WHAT, caps, default_cap=limits.model_bytes, limits=limits) as (
            archive,
            members,
        ),
    ):
        if "config.json" not in members:
            raise Refused(
                "model.keras is not a Keras model file",
                "a zip file holding config.json",
                f"members {sorted(members)[:5]}",
            )
        config = parse_json(read_member(archive, members["config.json"], _WHAT), "config.json")
        metadata: Any = {}
        if "metadata.json" in members:
            metadata = parse_json(
                read_member(archive, members["metadata.json"], _WHAT), "metadata.json"
            )
        weights = path.with_name("weights.h5")
        if _WEIGHTS in members:
            copy_member(archive, members[_WEIGHTS], weights, _WHAT)
    info = describe_config(config)
    if weights.exists():
        try:
            info.weights_bytes = _check_weights(weights, limits)
        finally:
            weights.unlink()
    if isinstance(metadata, dict) and isinstance(metadata.get("keras_version"), str):
        info.keras_version = metadata["keras_version"]
    return info


def _check_weights(path: Path, limits: Limits) -> int:
    """Bytes the HDF5 weights declare; refuses links and storage outside the file, and bombs."""
    import h5py  # a dependency of Keras' .keras format

    declared, seen, size = 0, 0, path.stat().st_size
    try:
        with h5py.File(path, "r") as store:
            groups = [store]
            while groups:
                group = groups.pop()
                for name in group:
                    seen += 1
                    link = group.get(name, getlink=True)
                    if isinstance(link, h5py.ExternalLink) or seen > _MAX_H5_OBJECTS:
                        raise Refused(
                            f"{_WEIGHTS} links outside itself or holds too many objects",
                            f"at most {_MAX_H5_OBJECTS} groups and datasets, all in the file",
                            f"{group.name}/{name}: {type(link).__name__}",
                        )
                    if isinstance(link, h5py.SoftLink):
                        continue
                    item = group[name]
                    if isinstance(item, h5py.Group):
                        groups.append(item)
                    elif isinstance(item, h5py.Dataset):
                        declared += _dataset_bytes(item)
    except (OSError, ValueError, KeyError, TypeError) as error:  # not HDF5, or damaged
        raise Refused(f"{_WEIGHTS} is damaged", "an HDF5 weights file", repr(error)) from None
    if declared > min(limits.model_bytes, max(limits.ratio * size, limits.ratio_floor)):
        raise Refused(
            f"{_WEIGHTS} declares far more data than it holds (an HDF5 bomb)",
            f"at most {limits.ratio:g} times its {size} bytes",
            f"datasets of {declared} bytes",
        )
    return declared


def _dataset_bytes(dataset: Any) -> int:
    if dataset.external or dataset.is_virtual:
        raise Refused(
            f"{_WEIGHTS} has a dataset stored outside the file (it would read other files)",
            "datasets stored in the weights file itself",
            f"dataset {dataset.name} with external={dataset.external}, "
            f"virtual={dataset.is_virtual}",
        )
    return int(dataset.size) * dataset.dtype.itemsize


def load_keras_model(path: Path) -> keras.Model:
    """The network, read by Keras with ``safe_mode=True``; any failure is :class:`Refused`."""
    try:
        model = keras.saving.load_model(path, safe_mode=True, compile=True)
    except Exception as error:  # Keras raises ValueError, TypeError, KeyError, OSError...
        raise Refused(
            "Keras could not load model.keras", "a valid Keras model", f"{error!r}"[:400]
        ) from None
    if not isinstance(model, keras.Model):
        raise Refused("model.keras does not hold a model", "a keras.Model", type(model).__name__)
    return model
