"""Zip files read with every size known before a byte is decompressed, and written atomically.

Both the saved estimator and the Keras file inside it are zip files. Before :mod:`zipfile`
parses one, :func:`open_zip` reads its end-of-central-directory record and refuses a directory
that is too large (millions of entries would take gigabytes to parse); it then refuses members
that are encrypted, use an unsupported compression, are larger than the limits or inflate more
than :attr:`Limits.ratio` times (zip bombs). Only then is a member read, in chunks, never past
its declared size (:func:`read_member`, :func:`copy_member`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..utils._atomic import atomic_path
from ._errors import Refused

__all__ = ["LIMITS", "Limits", "copy_member", "open_zip", "read_member", "sha256", "write_zip"]

_MiB = 1 << 20
_CHUNK = _MiB


@dataclass(frozen=True)
class Limits:
    """Largest sizes a saved estimator may declare (uncompressed bytes unless noted)."""

    #: ``manifest.json`` (names, sizes and hashes of the other members)
    manifest_bytes: int = 64 * 1024
    #: ``estimator.json`` (parameters, fitted attributes)
    json_bytes: int = 16 * _MiB
    #: ``config.json`` inside ``model.keras`` (the network's architecture)
    keras_config_bytes: int = 64 * _MiB
    #: ``model.keras`` as a whole, and everything inside it together
    model_bytes: int = 16 * 1024 * _MiB
    #: the central directory of either zip file (about 20,000 entries)
    directory_bytes: int = _MiB
    #: members of either zip file
    members: int = 4096
    #: largest inflation (uncompressed / compressed size) of a member above ``ratio_floor``
    ratio: float = 100.0
    ratio_floor: int = _MiB


#: The limits :func:`skdeep.load` applies.
LIMITS = Limits()

# zip errors a damaged or hostile file can raise while being parsed or decompressed
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    OverflowError,
    ValueError,
    OSError,
)
_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")


def _directory(handle: BinaryIO, what: str) -> tuple[int, int]:
    """(entries, central directory bytes) from the end record, before :mod:`zipfile` reads it."""
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    start = max(0, size - _EOCD.size - 0xFFFF)
    handle.seek(start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        raise Refused(
            f"{what} is not a zip file, or it is truncated",
            "a zip file ending in its central directory",
            f"{size} bytes without one",
        )
    _, _, _, _, entries, cd_bytes, cd_offset, _ = _EOCD.unpack_from(tail, at)
    if entries == 0xFFFF or 0xFFFFFFFF in (cd_bytes, cd_offset):  # a zip64 end record
        locator = start + at - _EOCD64_LOCATOR.size
        if locator < 0:
            raise Refused(f"{what} is damaged", "a zip64 end record", "none")
        handle.seek(locator)
        signature, _, record, _ = _EOCD64_LOCATOR.unpack(handle.read(_EOCD64_LOCATOR.size))
        handle.seek(record)
        data = handle.read(_EOCD64.size)
        if signature != b"PK\x06\x07" or len(data) < _EOCD64.size or data[:4] != b"PK\x06\x06":
            raise Refused(f"{what} is damaged", "a zip64 end record", "none")
        entries, cd_bytes, cd_offset = _EOCD64.unpack(data)[-3:]
    if cd_offset + cd_bytes > size:
        raise Refused(
            f"{what} is truncated",
            f"its central directory within the file's {size} bytes",
            f"a directory ending at byte {cd_offset + cd_bytes}",
        )
    return entries, cd_bytes


def _check_member(info: zipfile.ZipInfo, what: str, cap: int, limits: Limits) -> None:
    name = f"{what} member {info.filename!r}"
    if info.flag_bits & 0x1:
        raise Refused(f"{name} is encrypted", "plain members", "an encrypted member")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Refused(
            f"{name} uses an unsupported compression",
            "stored or deflated members",
            f"compression method {info.compress_type}",
        )
    if info.file_size > cap:
        raise Refused(f"{name} is too large", f"at most {cap} bytes", f"{info.file_size} bytes")
    if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(
        info.compress_size, 1
    ):
        raise Refused(
            f"{name} inflates like a zip bomb",
            f"a compression ratio of at most {limits.ratio:g}",
            f"{info.compress_size} bytes inflating to {info.file_size}",
        )


@contextlib.contextmanager
def open_zip(
    handle: BinaryIO, what: str, caps: Mapping[str, int], *, default_cap: int, limits: Limits
) -> Iterator[tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]]:
    """Open the zip file ``handle`` after checking its directory and every member's sizes.

    ``caps`` gives the largest size of named members, ``default_cap`` that of any other;
    together the members may hold at most ``limits.model_bytes``. Yields the open file and its
    members by name. Raises :class:`Refused` for anything damaged, hostile or too large.
    """
    try:
        entries, cd_bytes = _directory(handle, what)
    except _ZIP_ERRORS as error:
        raise Refused(f"{what} is damaged", "a readable zip file", repr(error)) from None
    if entries > limits.members or cd_bytes > limits.directory_bytes:
        raise Refused(
            f"{what} has too many members",
            f"at most {limits.members} entries in {limits.directory_bytes} bytes",
            f"{entries} entries in {cd_bytes} bytes",
        )
    try:
        archive = zipfile.ZipFile(handle)
        infos = archive.infolist()
    except _ZIP_ERRORS as error:
        raise Refused(f"{what} is damaged", "a readable zip file", repr(error)) from None
    with archive:
        members = {info.filename: info for info in infos}
        if len(members) != len(infos):
            raise Refused(
                f"{what} names a member twice",
                "unique member names",
                str(sorted(info.filename for info in infos)[:8]),
            )
        for name, info in members.items():
            _check_member(info, what, caps.get(name, default_cap), limits)
        total = sum(info.file_size for info in infos)
        if total > limits.model_bytes:
            raise Refused(
                f"{what} is too large", f"at most {limits.model_bytes} bytes", f"{total} bytes"
            )
        yield archive, members


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> Iterator[bytes]:
    """The member's bytes in chunks (CRC-checked by :mod:`zipfile` at the end)."""
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                yield chunk
    except _ZIP_ERRORS as error:
        raise Refused(
            f"{what} member {info.filename!r} is damaged",
            "a member that decompresses to its declared size and checksum",
            repr(error),
        ) from None


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> bytes:
    """The whole member (its size was checked by :func:`open_zip`)."""
    return b"".join(_chunks(archive, info, what))


def copy_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, what: str
) -> str:
    """Stream the member into the file ``destination``; return its sha256 (hex)."""
    digest = hashlib.sha256()
    with open(destination, "wb") as out:
        for chunk in _chunks(archive, info, what):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def sha256(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def write_zip(path: str | os.PathLike, members: Mapping[str, bytes | Path]) -> Path:
    """Write a deflated zip file of ``members`` (bytes, or a file to copy) atomically.

    The zip is written to a temporary file beside ``path`` and moved into place only when
    complete, so a failure (a full disk, Ctrl-C) leaves a previous file untouched.

    Examples
    --------
    >>> import tempfile, pathlib, zipfile
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "pair.zip"
    >>> _ = write_zip(target, {"a.txt": b"A"})
    >>> zipfile.ZipFile(target).read("a.txt")
    b'A'
    """
    with atomic_path(path) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, content in members.items():
                if isinstance(content, Path):
                    archive.write(content, name)
                else:
                    archive.writestr(name, content)
    return Path(path)
