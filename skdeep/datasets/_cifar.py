"""Reading CIFAR-10's "python version" batches without running code.

The batches (``data_batch_1`` ... ``data_batch_5``, ``test_batch``) are Python pickles: a dict
with ``b"data"`` (n x 3072 uint8, the red, green and blue planes of 32x32 images) and
``b"labels"``. Unpickling can run arbitrary code, and skdeep's rule is that loading never
does: :class:`_ArraysOnly` only rebuilds NumPy arrays and refuses every other global. Batches
are read from a folder (``cifar-10-batches-py``, as Keras' cache keeps it) or straight from
the ``cifar-10-python.tar.gz`` archive.
"""

from __future__ import annotations

import io
import pickle
import tarfile
from pathlib import Path

import numpy as np

from ..exceptions import DataError

__all__ = ["BATCHES", "read_cifar10"]

TRAIN_BATCHES = tuple(f"data_batch_{i}" for i in range(1, 6))
BATCHES = (*TRAIN_BATCHES, "test_batch")
_ARRAY_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),  # bytes in Python 3 pickles of protocol 2
}


class _ArraysOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) in _ARRAY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"Refusing to load {module}.{name} from a CIFAR-10 batch: only NumPy arrays, "
            "lists and numbers are expected there (the file may be corrupted or malicious)."
        )


def _batch(raw: bytes, where: str) -> tuple[np.ndarray, np.ndarray]:
    """``(images (n, 32, 32, 3) uint8, labels (n,) uint8)`` of one pickled batch."""
    try:
        record = _ArraysOnly(io.BytesIO(raw), encoding="bytes").load()
        data = np.asarray(record[b"data"], dtype=np.uint8)
        labels = np.asarray(record[b"labels"], dtype=np.uint8)
    except (pickle.UnpicklingError, KeyError, TypeError, ValueError, EOFError) as exc:
        raise DataError(
            f"Not a CIFAR-10 batch: {exc}. Expected a pickled dict with b'data' and b'labels'. "
            f"Received: {where}"
        ) from None
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or len(labels) != len(data):
        raise DataError(
            "A CIFAR-10 batch holds n rows of 3072 pixels and n labels. Expected data of shape "
            f"(n, 3072). Received: data {data.shape}, {len(labels)} labels in {where}"
        )
    return data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1), labels


def _raw_batches(source: Path) -> dict[str, bytes]:
    if source.is_dir():
        return {name: (source / name).read_bytes() for name in BATCHES}
    with tarfile.open(source, "r:gz") as archive:
        found = {}
        for member in archive.getmembers():
            name = Path(member.name).name
            if member.isfile() and name in BATCHES:
                found[name] = archive.extractfile(member).read()
    missing = [name for name in BATCHES if name not in found]
    if missing:
        raise DataError(
            f"The CIFAR-10 archive lacks batches. Expected {list(BATCHES)}. Received: "
            f"{source} without {missing}"
        )
    return found


Split = tuple[np.ndarray, np.ndarray]


def read_cifar10(source: Path) -> tuple[Split, Split]:
    """The train and test parts from a ``cifar-10-batches-py`` folder or the .tar.gz."""
    raw = _raw_batches(source)
    train = [_batch(raw[name], str(source / name)) for name in TRAIN_BATCHES]
    test = _batch(raw["test_batch"], str(source / "test_batch"))
    X_train = np.concatenate([images for images, _ in train])
    y_train = np.concatenate([labels for _, labels in train])
    return (X_train, y_train), test
