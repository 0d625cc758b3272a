"""IDX, the file format of MNIST and Fashion-MNIST."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np

from ..exceptions import DataError

__all__ = ["read_idx"]

# IDX type codes (third byte of the magic number) -> big-endian NumPy dtypes
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (the MNIST format), gzipped or not, into a NumPy array.

    The format: two zero bytes, a type code (0x08 = uint8), the number of dimensions, one
    big-endian uint32 per dimension, then the values in C order.

    Parameters
    ----------
    path : str or path-like
        File name; ``.gz`` files are decompressed.

    Returns
    -------
    ndarray
        Native-endian array of the stored shape and type.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "labels-idx1-ubyte"
    >>> _ = path.write_bytes(bytes([0, 0, 8, 1, 0, 0, 0, 3, 7, 1, 9]))
    >>> read_idx(path)
    array([7, 1, 9], dtype=uint8)
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise DataError(
            "Not an IDX file: it must start with two zero bytes and a type code in "
            f"{[hex(c) for c in _IDX_DTYPES]}. Received: {path} starting with {raw[:4]!r}"
        )
    dtype, ndim = _IDX_DTYPES[raw[2]], raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataError(f"Truncated IDX header. Received: {path} with {len(raw)} bytes")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        raise DataError(
            f"IDX file size does not match its header. Expected {expected} data bytes for "
            f"shape {shape}. Received: {path} with {len(raw) - header} data bytes"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="), copy=True)
