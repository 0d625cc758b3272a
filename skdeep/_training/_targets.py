"""The targets of a fit: a classifier's labels encoded, a regressor's values checked."""

from __future__ import annotations

import numpy as np

from ..exceptions import DataError
from ._data import check_classification_y, check_regression_y

__all__ = ["check_targets", "encode_labels"]


def encode_labels(est, y, n_x: int, *, continuing: bool, classes=None) -> np.ndarray:
    """Labels -> codes ``0 .. n_classes - 1``; a first fit sets ``classes_``/``n_classes_``."""
    y = check_classification_y(est, y, n_x, require_two=not continuing and classes is None)
    if not continuing:
        est.classes_ = np.unique(y if classes is None else np.asarray(classes))
        est.n_classes_ = len(est.classes_)
    unknown = np.setdiff1d(np.unique(y), est.classes_)
    if unknown.size:
        raise DataError(
            "y holds labels the network has no output for. The first fit (or classes=) "
            f"fixed the classes. Expected labels in {est.classes_.tolist()}. Received: new "
            f"labels {unknown.tolist()}"
        )
    return np.searchsorted(est.classes_, y)


def check_targets(est, y, n_x: int, *, continuing: bool, classes=None) -> np.ndarray:
    """Targets as float64 ``(n, n_outputs)``; a first fit sets ``n_outputs_``/``y_ndim_``."""
    ndim = None if y is None else np.asarray(y).ndim
    y = check_regression_y(est, y, n_x)
    if not continuing:
        est.n_outputs_, est.y_ndim_ = int(y.shape[1]), int(ndim)
    elif y.shape[1] != est.n_outputs_:
        raise DataError(
            "warm_start=True continues the network trained by the first fit. Expected y "
            f"with {est.n_outputs_} column(s). Received: y with {y.shape[1]}"
        )
    return y
