"""The inner validation split of a fit (taken from the training fold only, never its tail)."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit

from ..exceptions import ParameterError

__all__ = ["inner_split"]


def inner_split(
    y: np.ndarray,
    validation_fraction: float,
    random_state: int | np.random.RandomState | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, validation)`` of a stratified, shuffled, seeded split of ``y``.

    Unlike Keras' ``validation_split`` (which takes the unshuffled tail of the data), every
    class keeps its proportion in both parts. When a class is too small to appear in both
    parts, the split falls back to a plain shuffled split and warns.

    Examples
    --------
    >>> import numpy as np
    >>> train, val = inner_split(np.array([0, 1] * 10), 0.2, random_state=0)
    >>> len(train), len(val), np.bincount(np.array([0, 1] * 10)[val]).tolist()
    (16, 4, [2, 2])
    """
    n = len(y)
    n_val = int(np.ceil(validation_fraction * n))
    if n_val < 1 or n - n_val < 1:
        raise ParameterError(
            "The validation split is empty. Expected validation_fraction "
            f"to leave at least one sample on each side of {n} samples. "
            f"Received: validation_fraction={validation_fraction}"
        )
    _, counts = np.unique(y, return_counts=True)
    n_classes = len(counts)
    if counts.min() >= 2 and n_val >= n_classes and n - n_val >= n_classes:
        splitter = StratifiedShuffleSplit(n_splits=1, test_size=n_val, random_state=random_state)
    else:
        warnings.warn(
            "The early-stopping validation split could not be stratified (a class has fewer "
            f"than 2 samples, or fewer validation samples than classes: {n_val} for "
            f"{n_classes} classes); using a plain shuffled split.",
            UserWarning,
            stacklevel=3,
        )
        splitter = ShuffleSplit(n_splits=1, test_size=n_val, random_state=random_state)
    train, val = next(splitter.split(np.zeros((n, 1)), y))
    return np.sort(train), np.sort(val)


def quantile_strata(y: np.ndarray, validation_fraction: float, max_bins: int = 10) -> np.ndarray:
    """Labels that stratify a regression target: quantile bins of ``y`` (its first column).

    As many bins as keep at least two samples in each and no more bins than samples in either
    part of the split (one bin: a plain shuffled split). The validation part then spans the
    target's range like the training part does.

    Examples
    --------
    >>> import numpy as np
    >>> np.bincount(quantile_strata(np.arange(100.0), 0.1)).tolist()
    [10, 10, 10, 10, 10, 10, 10, 10, 10, 10]
    """
    values = np.asarray(y, dtype=float).reshape(len(y), -1)[:, 0]
    n = len(values)
    n_val = int(np.ceil(validation_fraction * n))
    bins = max(1, min(max_bins, n // 2, n_val, n - n_val))
    if bins == 1:
        return np.zeros(n, dtype=int)
    edges = np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1])
    strata = np.searchsorted(edges, values, side="right")
    _, strata = np.unique(strata, return_inverse=True)  # ties can empty a bin
    counts = np.bincount(strata)
    while len(counts) > 1 and counts.min() < 2:  # merge the smallest bin into a neighbour
        small = int(np.argmin(counts))
        strata[strata == small] = small - 1 if small > 0 else 1
        _, strata = np.unique(strata, return_inverse=True)
        counts = np.bincount(strata)
    return strata
