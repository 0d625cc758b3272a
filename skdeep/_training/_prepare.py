"""The leakage order of a fit: split, then resample, then weigh; each on the training part.

1. The inner validation split is carved from the data passed to ``fit`` (a training fold, in
   a cross-validation) before anything is learned from it.
2. A sampler resamples the training part only: validation samples are never synthetic.
3. Class weights ("balanced") are computed on the (resampled) training part only, then applied
   to both parts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._split import inner_split
from ._weights import class_weight_vector, resample, resolve_class_weight

__all__ = ["Part", "TrainingData", "prepare", "target_scaling"]


@dataclass(frozen=True)
class Part:
    """Samples of one part of a fit: inputs, encoded targets, per-sample loss weights."""

    X: np.ndarray
    y: np.ndarray
    w: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.y)


@dataclass(frozen=True)
class TrainingData:
    """What one fit trains and validates on, in the leakage order of the module docs."""

    train: Part
    validation: Part | None
    class_weight: dict | None = None

    def map_inputs(self, transform) -> TrainingData:
        """The same samples with inputs ``transform(X)`` (e.g. features of the images)."""
        validation = self.validation
        if validation is not None:
            validation = Part(transform(validation.X), validation.y, validation.w)
        train = Part(transform(self.train.X), self.train.y, self.train.w)
        return TrainingData(train, validation, self.class_weight)


def prepare(
    X: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray | None,
    *,
    validation_fraction: float | None,
    seed: int | None,
    sampler=None,
    class_weight=None,
    classes: np.ndarray | None = None,
    stratify: np.ndarray | None = None,
) -> TrainingData:
    """Split, resample and weigh ``(X, y, sample_weight)``; see the module docs.

    ``validation_fraction=None`` holds nothing out. The split is stratified on ``stratify``
    (default: ``y``, the labels of a classifier). ``class_weight`` needs ``classes`` (``y``
    then holds encoded labels ``0 .. len(classes) - 1``).

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.zeros((20, 2), "float32"), np.array([0, 1] * 10)
    >>> data = prepare(X, y, None, validation_fraction=0.2, seed=0)
    >>> len(data.train), len(data.validation)
    (16, 4)
    """
    if validation_fraction:
        strata = y if stratify is None else stratify
        train_idx, val_idx = inner_split(strata, validation_fraction, seed)
        train = Part(X[train_idx], y[train_idx], _take(sample_weight, train_idx))
        validation = Part(X[val_idx], y[val_idx], _take(sample_weight, val_idx))
    else:
        train, validation = Part(X, y, sample_weight), None
    if sampler is not None:
        train = Part(*resample(sampler, train.X, train.y, train.w, seed))
    resolved = None
    if class_weight is not None:
        resolved = resolve_class_weight(class_weight, train.y, classes)
        train = Part(train.X, train.y, class_weight_vector(resolved, classes, train.y, train.w))
        if validation is not None:
            weights = class_weight_vector(resolved, classes, validation.y, validation.w)
            validation = Part(validation.X, validation.y, weights)
    return TrainingData(train, validation, resolved)


def _take(values: np.ndarray | None, indices: np.ndarray) -> np.ndarray | None:
    return None if values is None else values[indices]


def target_scaling(train: Part, scale: bool) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Mean and standard deviation of the training part's targets, per column (None, None
    without scaling). Constant columns get scale 1."""
    if not scale:
        return None, None
    y = np.asarray(train.y, dtype=np.float64).reshape(len(train.y), -1)
    mean, std = y.mean(axis=0), y.std(axis=0)
    return mean, np.where(std > 0, std, 1.0)
