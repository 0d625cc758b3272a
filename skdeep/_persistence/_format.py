"""The saved-estimator file: members, manifest and ``estimator.json``, read and checked.

Format version 2 (skdeep >= 0.2) is a zip file of three members::

    manifest.json   {"format", "format_version", "files": {name: {"size", "sha256"}}}
    estimator.json  {"format", "format_version", "class", "params", "fitted", "versions",
                     "backend"}
    model.keras     the network, in the Keras native format

Version 1 (skdeep 0.1) has no manifest, so no hashes, and params as a tagged dict; it is still
read. :func:`read_file` performs every check that needs no object built — sizes, hashes, JSON
shape, the estimator class, parameters (plain values, allowlisted sampler and optimizer,
the class's own parameter constraints), fitted attributes (:mod:`._fitted`) and the Keras
config — and returns what a load would build.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from . import _archive
from ._allowlist import OptimizerRef, SamplerRef
from ._archive import Limits, copy_member, open_zip, read_member, sha256
from ._errors import Refused
from ._fitted import FittedSpec, spec_for
from ._keras_file import KerasFileInfo, inspect_keras_file, parse_json
from ._params import check_constraints, check_param_names
from ._values import decode, pairs

__all__ = ["FORMAT", "FORMAT_VERSION", "Contents", "check_fitted", "check_params", "read_file"]

FORMAT = "skdeep-estimator"
#: 2: manifest.json with sha256 of each member; params as a JSON object
FORMAT_VERSION = 2
MEMBERS = ("manifest.json", "estimator.json", "model.keras")
_META_KEYS = {"format", "format_version", "class", "params", "fitted", "versions", "backend"}
#: parameters that may hold an object, and which
_OBJECT_PARAMS = {"optimizer": "optimizer", "sampler": "sampler"}


@dataclass
class Contents:
    """Everything a saved file would create, checked and not yet built."""

    format_version: int
    cls: type
    params: dict[str, Any]  # samplers/optimizers as SamplerRef/OptimizerRef
    fitted: dict[str, Any]
    spec: FittedSpec
    meta: dict[str, Any]
    files: dict[str, dict[str, Any]]  # name -> size, sha256, verified
    keras: KerasFileInfo
    model_file: Path


def _estimator_classes() -> dict[str, type]:
    from ..estimators import ESTIMATORS

    return {cls.__name__: cls for cls in ESTIMATORS.values()}


def _members(members: dict, version_hint: bool) -> None:
    expected = set(MEMBERS) if version_hint else set(MEMBERS[1:])
    if set(members) != expected:
        raise Refused(
            "The file is not a saved skdeep estimator (wrong members)",
            f"exactly {sorted(expected)}",
            f"members {sorted(members)[:8]}",
        )


def _manifest(data: bytes) -> dict[str, dict[str, Any]]:
    manifest = parse_json(data, "manifest.json")
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(files, dict)
        or set(files) != set(MEMBERS[1:])
        or not all(
            isinstance(entry, dict)
            and set(entry) == {"size", "sha256"}
            and isinstance(entry["size"], int)
            and isinstance(entry["sha256"], str)
            for entry in files.values()
        )
    ):
        raise Refused(
            "manifest.json is malformed",
            f"format {FORMAT!r} and files {list(MEMBERS[1:])} with size and sha256",
            f"{data[:120]!r}",
        )
    _version(manifest.get("format_version"), low=2)
    return files


def _version(version: Any, *, low: int) -> int:
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        raise Refused(
            "The file was saved in a format this skdeep cannot read (saved by a newer skdeep?)",
            f"format_version <= {FORMAT_VERSION}",
            f"format_version={version!r}",
        )
    if version < low:
        raise Refused(
            "The file's format version does not match its layout",
            f"format_version >= {low} for a file with a manifest",
            f"format_version={version!r}",
        )
    return version


def _verify(name: str, size: int, digest: str, manifest: dict | None) -> dict[str, Any]:
    if manifest is None:
        return {"size": size, "sha256": digest, "verified": False}
    entry = manifest[name]
    if entry["size"] != size or entry["sha256"] != digest:
        raise Refused(
            f"{name} does not match the hash recorded at save (the file is damaged or edited)",
            f"sha256 {entry['sha256'][:16]}... and {entry['size']} bytes",
            f"sha256 {digest[:16]}... and {size} bytes",
        )
    return {"size": size, "sha256": digest, "verified": True}


@contextlib.contextmanager
def read_file(
    path: str | os.PathLike, *, expected: type | None = None, limits: Limits | None = None
) -> Iterator[Contents]:
    """Check the saved estimator at ``path``; yield its :class:`Contents`.

    ``model.keras`` is copied to a temporary folder that exists while the context is open.
    Raises :class:`Refused` for anything damaged, hostile or too large, ``FileNotFoundError``
    when ``path`` does not exist and ``IsADirectoryError`` when it is a folder.
    """
    limits = limits or _archive.LIMITS
    with tempfile.TemporaryDirectory(prefix="skdeep-load-") as tmp:
        model_file = Path(tmp) / "model.keras"
        with open(path, "rb") as handle:
            manifest, raw, files = _read_members(handle, model_file, limits)
        meta = parse_json(raw, "estimator.json")
        version = _meta_version(meta, manifest)
        cls = _estimator_class(meta, expected)
        spec = spec_for(cls)
        params = check_params(meta["params"], cls, version)
        fitted = check_fitted(meta["fitted"], spec, params, version)
        keras_info = inspect_keras_file(model_file, limits)
        yield Contents(version, cls, params, fitted, spec, meta, files, keras_info, model_file)


def _read_members(
    handle: BinaryIO, model_file: Path, limits: Limits
) -> tuple[dict | None, bytes, dict[str, dict[str, Any]]]:
    """(manifest, estimator.json bytes, files); model.keras copied to ``model_file``."""
    caps = {
        "manifest.json": limits.manifest_bytes,
        "estimator.json": limits.json_bytes,
        "model.keras": limits.model_bytes,
    }
    what = "The file"
    with open_zip(handle, what, caps, default_cap=limits.manifest_bytes, limits=limits) as (
        archive,
        members,
    ):
        has_manifest = "manifest.json" in members
        _members(members, has_manifest)
        manifest = None
        if has_manifest:
            manifest = _manifest(read_member(archive, members["manifest.json"], what))
        raw = read_member(archive, members["estimator.json"], what)
        files = {"estimator.json": _verify("estimator.json", len(raw), sha256(raw), manifest)}
        digest = copy_member(archive, members["model.keras"], model_file, what)
        size = members["model.keras"].file_size
        files["model.keras"] = _verify("model.keras", size, digest, manifest)
    return manifest, raw, files


def _meta_version(meta: Any, manifest: dict | None) -> int:
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise Refused(
            "The file is not a saved skdeep estimator",
            f"estimator.json holding a JSON object with format {FORMAT!r}",
            f"{str(meta)[:80]}",
        )
    version = _version(meta.get("format_version"), low=1 if manifest is None else 2)
    if manifest is None and version >= 2:
        raise Refused(
            "The file lacks its manifest.json (truncated or edited)",
            "manifest.json in a file of format version 2",
            "no manifest.json",
        )
    if set(meta) != _META_KEYS:
        raise Refused(
            "estimator.json has unexpected or missing entries",
            f"exactly {sorted(_META_KEYS)}",
            f"{sorted(set(meta) ^ _META_KEYS)}",
        )
    versions = meta["versions"]
    if not (
        isinstance(versions, dict)
        and all(isinstance(v, str) for v in versions.values())
        and isinstance(meta["backend"], str)
    ):
        raise Refused(
            "estimator.json's versions or backend are malformed",
            "versions: {name: version string}, backend: a string",
            f"versions={str(versions)[:60]}, backend={str(meta['backend'])[:20]}",
        )
    return version


def _estimator_class(meta: dict, expected: type | None) -> type:
    classes = _estimator_classes()
    name = meta["class"]
    if not isinstance(name, str) or name not in classes:
        raise Refused(
            "Unknown estimator class in file",
            f"one of {sorted(classes)}",
            f"class={name!r}",
        )
    if expected is not None and not issubclass(classes[name], expected):
        raise Refused(
            f"{expected.__name__}.load() read a file saved by a different estimator",
            f"a {expected.__name__}",
            f"a saved {name} (use skdeep.load to load any estimator)",
        )
    return classes[name]


def check_params(raw: Any, cls: type, version: int) -> dict[str, Any]:
    if version == 1 and isinstance(raw, dict) and set(raw) == {"__dict__"}:
        if isinstance(raw["__dict__"], list):  # version 1: a tagged dict
            raw = pairs(raw["__dict__"], "params")
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise Refused("params is not a JSON object", "name -> value", f"{str(raw)[:80]}")
    check_param_names(cls, raw, f"The file sets parameters {cls.__name__} does not take", "params ")
    params = {}
    for name, value in raw.items():
        kind = _OBJECT_PARAMS.get(name)
        params[name] = decode(
            value,
            f"params.{name}",
            optimizer=kind == "optimizer",
            sampler=0 if kind == "sampler" else None,
        )
    plain = {k: v for k, v in params.items() if not isinstance(v, SamplerRef | OptimizerRef)}
    check_constraints(cls, plain)
    return params


def check_fitted(
    raw: Any, spec: FittedSpec, params: dict[str, Any], version: int
) -> dict[str, Any]:
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise Refused("fitted is not a JSON object", "name -> value", f"{str(raw)[:80]}")
    decoded = {k: decode(v, f"fitted.{k}", arrays=True) for k, v in raw.items()}
    if version == 1 and spec.legacy is not None:
        decoded = spec.legacy(params, decoded)
    return spec.check(decoded)
