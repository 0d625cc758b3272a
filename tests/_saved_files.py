"""Reading and editing saved-estimator files as an attacker (or a broken disk) would."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def meta(path) -> dict:
    return json.loads(members(path)["estimator.json"])


def write_members(path, content: dict[str, bytes], *, rehash: bool = True) -> Path:
    """Write ``content`` as the saved file; with ``rehash`` the manifest's hashes match it (as
    an attacker who edits a file would make them)."""
    content = dict(content)
    if rehash and "manifest.json" in content:
        manifest = json.loads(content["manifest.json"])
        for name in manifest["files"]:
            if name in content:
                data = content[name]
                manifest["files"][name] = {
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
        content["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return Path(path)


def rewrite(path, *, edit_meta=None, model: bytes | None = None, rehash: bool = True) -> Path:
    """Edit ``estimator.json`` (``edit_meta(meta) -> meta``) and/or replace ``model.keras``."""
    content = members(path)
    if edit_meta is not None:
        content["estimator.json"] = json.dumps(edit_meta(json.loads(content["estimator.json"])))
        content["estimator.json"] = content["estimator.json"].encode()
    if model is not None:
        content["model.keras"] = model
    return write_members(path, content, rehash=rehash)


def keras_members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(members(path)["model.keras"])) as inner:
        return {name: inner.read(name) for name in inner.namelist()}


def zip_bytes(content: dict[str, bytes], compression=zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def set_param(name, value):
    """An ``edit_meta`` that sets one parameter's JSON value."""

    def edit(meta):
        meta["params"][name] = value
        return meta

    return edit


def set_fitted(name, value):
    """An ``edit_meta`` that sets (or, with value ``...``, deletes) one fitted entry."""

    def edit(meta):
        if value is ...:
            del meta["fitted"][name]
        else:
            meta["fitted"][name] = value
        return meta

    return edit
