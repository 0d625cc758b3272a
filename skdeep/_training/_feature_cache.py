"""Process-level cache of frozen-base features, per image (used by TransferClassifier).

While a pretrained base is frozen, its output for an image never changes: only the small head
on top of it trains. A hyper-parameter search over the head (``dense_units``, ``dropout``,
``learning_rate`` ...) would otherwise push the same images through the same base once per
candidate and fold. The cache stores the pooled feature vector of every image under a digest
of (the base configuration, the image's shape and bytes), so each image goes through the base
once per process: the first fold of the first candidate fills it, every later fit and
prediction reads it. Entries are per image, not per array, so the overlapping training and
test folds of a cross-validation share them.

The cache is bounded in bytes and evicts the least recently used entries. Features are always
computed in fixed-size chunks with the same inference call, so a cached vector is bit-for-bit
what a fresh computation returns.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

import numpy as np

from ._inference import compute_in_chunks

__all__ = ["FeatureCache", "FEATURE_CACHE"]

#: Images per inference call when features are computed.
CHUNK = 128


class FeatureCache:
    """An LRU map from (base configuration, image) to the base's feature vector.

    Parameters
    ----------
    max_bytes : int, default=1 GiB
        Memory bound of the stored feature vectors; 0 disables caching (features are then
        computed at every fit and prediction).

    Attributes
    ----------
    hits, misses : int
        Images found in / missing from the cache since the last :meth:`clear` (or
        :meth:`reset_stats`).
    computed_calls : int
        Inference calls made on the base for missing images.
    """

    def __init__(self, max_bytes: int = 1 << 30) -> None:
        self.max_bytes = int(max_bytes)
        self._entries: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.reset_stats()

    # ------------------------------------------------------------------ bookkeeping
    def __len__(self) -> int:
        return len(self._entries)

    @property
    def nbytes(self) -> int:
        """Bytes of feature vectors currently stored."""
        return self._bytes

    def reset_stats(self) -> None:
        self.hits = 0
        self.misses = 0
        self.computed_calls = 0

    def clear(self) -> None:
        """Drop every entry and reset the counters."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0
        self.reset_stats()

    def stats(self) -> dict[str, int]:
        """Entries, bytes, hits, misses and inference calls, as a dict."""
        return {
            "entries": len(self._entries),
            "bytes": self._bytes,
            "max_bytes": self.max_bytes,
            "hits": self.hits,
            "misses": self.misses,
            "computed_calls": self.computed_calls,
        }

    # ------------------------------------------------------------------ lookup
    @staticmethod
    def _digests(config: Hashable, images: np.ndarray) -> list[bytes]:
        prefix = hashlib.blake2b(
            repr((config, images.shape[1:], images.dtype.str)).encode(), digest_size=16
        ).digest()
        flat = np.ascontiguousarray(images).reshape(len(images), -1)
        return [hashlib.blake2b(prefix + row.tobytes(), digest_size=16).digest() for row in flat]

    def features(
        self,
        config: Hashable,
        images: np.ndarray,
        compute: Callable[[np.ndarray], np.ndarray],
        chunk: int = CHUNK,
    ) -> np.ndarray:
        """Features of ``images`` under ``config``, computing (and storing) missing ones.

        Parameters
        ----------
        config : hashable
            Everything that determines the base's output besides the image: base name,
            weights identity, input size, backend ...
        images : ndarray of shape (n_samples, ...)
        compute : callable
            ``compute(images_chunk) -> ndarray (n_chunk, n_features)``, called on chunks of at
            most ``chunk`` images.
        chunk : int, default=CHUNK
            Images per ``compute`` call (bounds the memory of one inference call).

        Returns
        -------
        ndarray of shape (n_samples, n_features), float32
        """
        if self.max_bytes <= 0:
            return compute_in_chunks(compute, images, chunk)
        keys = self._digests(config, images)
        found: dict[int, np.ndarray] = {}
        with self._lock:
            for i, key in enumerate(keys):
                vector = self._entries.get(key)
                if vector is not None:
                    self._entries.move_to_end(key)
                    found[i] = vector
        missing = [i for i in range(len(keys)) if i not in found]
        # the same image twice in one call is computed once
        unique: dict[bytes, int] = {}
        for i in missing:
            unique.setdefault(keys[i], i)
        computed: dict[bytes, np.ndarray] = {}
        if unique:
            rows = np.fromiter(unique.values(), dtype=np.intp, count=len(unique))
            values = compute_in_chunks(compute, images[rows], chunk)
            self.computed_calls += -(-len(rows) // chunk)
            computed = {key: values[j] for j, key in enumerate(unique)}
            self._store(computed)
        self.hits += len(found)
        self.misses += len(missing)
        if not keys:
            return compute_in_chunks(compute, images, chunk)
        first = next(iter(found.values())) if found else next(iter(computed.values()))
        out = np.empty((len(keys), first.shape[0]), dtype=np.float32)
        for i, key in enumerate(keys):
            out[i] = found[i] if i in found else computed[key]
        return out

    def _store(self, vectors: dict[bytes, np.ndarray]) -> None:
        with self._lock:
            for key, vector in vectors.items():
                vector = np.array(vector, dtype=np.float32, copy=True)
                if key in self._entries:
                    continue
                self._entries[key] = vector
                self._bytes += vector.nbytes
            while self._bytes > self.max_bytes and self._entries:
                _, old = self._entries.popitem(last=False)
                self._bytes -= old.nbytes


#: The cache shared by every TransferClassifier of the process.
FEATURE_CACHE = FeatureCache()
