"""Heat map of a confusion matrix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import ParameterError
from ._base import _pyplot

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_confusion_matrix"]

_COLORBAR = {
    None: "count",
    "true": "fraction of the true class",
    "pred": "fraction of the predicted class",
    "all": "fraction of all samples",
}
_NORMALIZE = {False: None, None: None, True: "true", "true": "true", "pred": "pred", "all": "all"}


def _checked(cm: Any, labels: Sequence[Any] | None, normalize: Any):
    """``(matrix, names, how)`` after checking shape, values, labels and ``normalize``."""
    matrix = np.asarray(cm)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ParameterError(
            "cm must be a square matrix with one row and one column per class. Expected shape "
            f"(n_classes, n_classes). Received: cm with shape {matrix.shape}"
        )
    if not np.issubdtype(matrix.dtype, np.number) or np.any(matrix < 0):
        raise ParameterError(
            "cm must hold non-negative numbers (counts). Received: cm with dtype "
            f"{matrix.dtype}"
            + (f" and minimum {matrix.min()}" if matrix.dtype.kind in "iuf" else "")
        )
    n = matrix.shape[0]
    names = list(range(n)) if labels is None else list(labels)
    if len(names) != n:
        raise ParameterError(
            f"labels must name every class of cm. Expected {n} labels. "
            f"Received: labels with {len(names)} entries"
        )
    try:
        how = _NORMALIZE[normalize]
    except (KeyError, TypeError):
        raise ParameterError(
            "normalize must be a bool or one of 'true', 'pred', 'all'. "
            f"Received: normalize={normalize!r}"
        ) from None
    return matrix, names, how


def _normalised(matrix: np.ndarray, how: str | None) -> np.ndarray:
    if how is None:
        return matrix
    totals = {
        "true": matrix.sum(axis=1, keepdims=True),
        "pred": matrix.sum(axis=0, keepdims=True),
        "all": matrix.sum(),
    }[how]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(totals > 0, matrix / np.where(totals > 0, totals, 1), 0.0)


def _annotate(ax, values: np.ndarray, how: str | None) -> None:
    n = values.shape[0]
    threshold = (np.nanmax(values) + np.nanmin(values)) / 2.0 if values.size else 0.0
    for i in range(n):
        for j in range(n):
            v = values[i, j]
            ax.text(
                j,
                i,
                f"{v:.2f}" if how is not None else f"{v:g}",
                ha="center",
                va="center",
                fontsize=9 if n <= 10 else 7,
                color="white" if v > threshold else "black",
            )


def plot_confusion_matrix(
    cm: Any,
    *,
    labels: Sequence[Any] | None = None,
    normalize: bool | str = False,
    ax: Axes | None = None,
) -> Figure:
    """Heat map of a confusion matrix (rows: true class, columns: predicted class).

    Parameters
    ----------
    cm : array-like of shape (n_classes, n_classes)
        Counts, e.g. from :func:`sklearn.metrics.confusion_matrix` or
        ``StudyResult.confusion_matrix``.
    labels : sequence, default=None
        Class names in row order; 0..n-1 when None.
    normalize : bool or {"true", "pred", "all"}, default=False
        False shows counts; True or "true" divides each row by its total (per-class recall on
        the diagonal), "pred" each column (precision), "all" the grand total.
    ax : Axes, default=None
        Where to draw; a new figure when None.

    Returns
    -------
    matplotlib.figure.Figure
        The image holds the (normalised) matrix; each cell is annotated.

    Examples
    --------
    >>> from skdeep.plotting import plot_confusion_matrix
    >>> fig = plot_confusion_matrix([[50, 3], [5, 42]], labels=["benign", "malignant"])
    >>> fig.axes[0].images[0].get_array().tolist()
    [[50, 3], [5, 42]]
    """
    matrix, names, how = _checked(cm, labels, normalize)
    values = _normalised(matrix, how)
    n = matrix.shape[0]
    if ax is None:
        size = min(9.0, 3.2 + 0.55 * n)
        fig, ax = _pyplot().subplots(figsize=(size + 1.0, size), layout="constrained")
    else:
        fig = ax.figure
    image = ax.imshow(values, cmap="Blues", interpolation="nearest")
    colorbar = fig.colorbar(image, ax=ax)
    colorbar.set_label(_COLORBAR[how])
    _annotate(ax, values, how)
    ticks = np.arange(n)
    shown = [str(name) for name in names]
    long = max(len(s) for s in shown) > 4
    ax.set_xticks(ticks, shown, rotation=45 if long else 0, ha="right" if long else "center")
    ax.set_yticks(ticks, shown)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    ax.set_title("confusion matrix" + ("" if how is None else f" (normalised over {how})"))
    return fig
