"""Atomic file writes: a temporary file in the destination folder, then ``os.replace``.

A write that fails (full disk, an exception while producing the content, Ctrl-C) leaves the
previous file untouched and no partial file behind; readers never see a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "write_bytes", "write_csv", "write_figure", "write_text"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` atomically.

    The temporary file is flushed to disk before the replace; on any exception (including
    ``KeyboardInterrupt``) it is removed and ``path`` is left as it was. The file gets the
    permissions of the file it replaces, or those a plain ``open(path, "w")`` would give.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _mode(path: Path) -> int:
    """Permission bits for ``path``: those of the file there, else 0o666 less the umask
    (``mkstemp`` creates 0o600 files)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_path`)."""
    return write_bytes(path, text.encode(encoding))


def write_csv(path: str | os.PathLike, frame, **kwargs) -> Path:
    """``frame.to_csv(path, **kwargs)`` atomically (``frame`` a pandas DataFrame)."""
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, **kwargs)
    return Path(path)


def write_figure(path: str | os.PathLike, fig, *, dpi: int = 110, close: bool = True) -> Path:
    """Save a matplotlib figure as PNG atomically; close it afterwards unless ``close=False``."""
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=dpi)
    finally:
        if close:
            import matplotlib.pyplot as plt

            plt.close(fig)
    return Path(path)
