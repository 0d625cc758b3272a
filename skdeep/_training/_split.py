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
