"""Figures for training histories, cross-validation studies and hyperparameter searches.

Every function returns a :class:`matplotlib.figure.Figure`. skdeep imports matplotlib only
when a figure is drawn (Keras itself may import it when it is installed); on a Linux machine
without a display the non-interactive ``Agg`` backend is selected, unless a backend was
already chosen (``MPLBACKEND``, as Jupyter sets it, or ``matplotlib.use``).

Figures are created through ``pyplot`` so that ``plt.show()`` and notebooks display them; close
them with ``plt.close(fig)`` when drawing many.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .exceptions import NotFittedError, ParameterError, describe
from .utils._pipeline import final_step

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "plot_confusion_matrix",
    "plot_history",
    "plot_learning_curves",
    "plot_search",
]

#: Colours of the training and validation curves.
TRAIN_COLOR, VAL_COLOR = "C0", "C1"
#: Numeric parameters whose largest/smallest positive value reaches this ratio get a log axis.
LOG_AXIS_RATIO = 30.0


def _pyplot():
    """``matplotlib.pyplot``, with ``Agg`` forced when headless and no backend was chosen.

    A backend counts as chosen when ``MPLBACKEND`` is set (Jupyter sets it), or
    ``matplotlib.use``/``rcParams["backend"]`` picked one; otherwise matplotlib would only
    pick one lazily at the first figure, and without a display that must be ``Agg``.
    """
    import matplotlib

    chosen = os.environ.get("MPLBACKEND") or _explicit_backend(matplotlib)
    if not chosen and _headless():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _explicit_backend(matplotlib) -> str | None:
    getter = getattr(matplotlib.rcParams, "_get_backend_or_none", None)
    if getter is None:  # older matplotlib: the resolved name is all there is
        return matplotlib.get_backend()
    return getter()


def _headless() -> bool:
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def _as_metrics(metrics: str | Iterable[str]) -> list[str]:
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    if not names or not all(isinstance(m, str) for m in names):
        raise ParameterError(
            "metrics must name at least one history metric. Expected a string or a sequence "
            f"of strings such as ('loss', 'accuracy'). Received: metrics={describe(metrics)}"
        )
    return names


def _history_of(obj: Any) -> tuple[dict[str, list[float]], int | None]:
    """``(history, best_epoch)`` of a fitted skdeep estimator, a Pipeline, or a dict."""
    if isinstance(obj, Mapping):
        return {str(k): [float(v) for v in vals] for k, vals in obj.items()}, None
    final = final_step(obj, unwrap_search=True)[0]
    from .base import SkdeepClassifier

    if not isinstance(final, SkdeepClassifier):
        raise ParameterError(
            "A training history comes from a fitted skdeep estimator (or a Pipeline ending in "
            "one) or a history dict. Expected e.g. ANNClassifier or est.history_. Received: "
            f"{type(obj).__name__}"
        )
    history = getattr(final, "history_", None)
    if history is None:
        raise NotFittedError(
            f"This {type(final).__name__} instance is not fitted yet, so it has no history_. "
            "Call 'fit' before plotting its training history."
        )
    return _history_of(history)[0], getattr(final, "best_epoch_", None)


def _present(history: Mapping[str, Sequence[float]], metrics: list[str]) -> list[str]:
    shown = [m for m in metrics if history.get(m) or history.get(f"val_{m}")]
    if not shown:
        raise ParameterError(
            "None of the requested metrics is in the training history. Expected names among "
            f"{sorted(k for k in history if not k.startswith('val_'))}. Received: "
            f"metrics={tuple(metrics)}"
        )
    return shown


def _axes_for(ax, n: int, *, width: float = 4.8, height: float = 3.6) -> tuple[Figure, list[Axes]]:
    """A new figure with ``n`` side-by-side axes, or the user's ``ax`` (one per panel)."""
    if ax is None:
        plt = _pyplot()
        fig, axes = plt.subplots(1, n, figsize=(width * n, height), squeeze=False)
        return fig, list(axes[0])
    axes = list(np.ravel(ax)) if isinstance(ax, (Sequence, np.ndarray)) else [ax]
    if len(axes) != n:
        raise ParameterError(
            f"ax must hold one Axes per plotted panel. Expected {n} Axes. "
            f"Received: ax with {len(axes)} Axes"
        )
    return axes[0].figure, axes


def plot_history(
    estimator_or_history: Any,
    *,
    metrics: str | Sequence[str] = ("loss", "accuracy"),
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Training and validation curves of one fit, one panel per metric.

    Parameters
    ----------
    estimator_or_history : skdeep estimator, Pipeline, fitted search or dict
        A fitted skdeep estimator, a Pipeline whose last step is one, a fitted search whose
        ``best_estimator_`` is either, or a ``history_`` dict (metric name to per-epoch
        values; ``val_<name>`` keys are the validation curves).
    metrics : str or sequence of str, default=("loss", "accuracy")
        Base metric names; those absent from the history are skipped.
    ax : Axes or sequence of Axes, default=None
        Where to draw, one Axes per shown metric; a new figure when None.

    Returns
    -------
    matplotlib.figure.Figure
        Training curve (``C0``) and validation curve (``C1``) per metric against epochs
        1..n; with early stopping, a dashed vertical line marks the restored best epoch.

    Examples
    --------
    >>> from skdeep.plotting import plot_history
    >>> history = {"loss": [0.9, 0.6, 0.5], "val_loss": [0.95, 0.7, 0.72]}
    >>> fig = plot_history(history, metrics="loss")
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['train', 'validation']
    """
    history, best_epoch = _history_of(estimator_or_history)
    shown = _present(history, _as_metrics(metrics))
    fig, axes = _axes_for(ax, len(shown))
    for axis, name in zip(axes, shown):
        for key, label, color in (
            (name, "train", TRAIN_COLOR),
            (f"val_{name}", "validation", VAL_COLOR),
        ):
            values = history.get(key)
            if values:
                axis.plot(np.arange(1, len(values) + 1), values, color=color, label=label)
        if best_epoch is not None:
            axis.axvline(
                best_epoch,
                color="0.4",
                linestyle="--",
                linewidth=1,
                label=f"best epoch ({best_epoch})",
            )
        axis.set_xlabel("epoch")
        axis.set_ylabel(name)
        axis.set_title(name)
        axis.legend(frameon=False)
    fig.tight_layout()
    return fig


def _mean_curve(curves: list[list[float]]) -> np.ndarray:
    """Epoch-wise mean of curves of unequal lengths, up to the last epoch that at least half
    of them reached (beyond it the "mean" would follow the few longest fits)."""
    lengths = np.array([len(c) for c in curves])
    quorum = math.ceil(len(curves) / 2)
    length = int(np.sort(lengths)[::-1][quorum - 1])
    stacked = np.full((len(curves), length), np.nan)
    for i, curve in enumerate(curves):
        stacked[i, : min(len(curve), length)] = curve[:length]
    return np.nanmean(stacked, axis=0)


def plot_learning_curves(
    histories: Sequence[Any],
    *,
    metrics: str | Sequence[str] = ("loss", "accuracy"),
) -> Figure:
    """Training and validation curves of several fits (e.g. the folds of a study).

    Each fit is drawn as a thin line, the epoch-wise mean as a bold line. Fits may run for
    different numbers of epochs (early stopping): the mean at epoch ``e`` averages the fits
    that ran at least ``e`` epochs, and it stops at the last epoch reached by at least half
    of the fits; later epochs of the longest fits are shown by their thin lines only (a mean
    over the few fits that keep running would be a different, self-selected population).

    Parameters
    ----------
    histories : sequence of dict or fitted estimators
        ``history_`` dicts, or fitted skdeep estimators / Pipelines ending in one.
    metrics : str or sequence of str, default=("loss", "accuracy")
        Base metric names; those absent from every history are skipped.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per metric. In each panel the lines are, in order: the thin training
        curves, the thin validation curves (when recorded), the bold mean training curve,
        the bold mean validation curve.

    Examples
    --------
    >>> from skdeep.plotting import plot_learning_curves
    >>> folds = [{"loss": [0.9, 0.5], "val_loss": [1.0, 0.6]},
    ...          {"loss": [0.8, 0.4, 0.3], "val_loss": [0.9, 0.5, 0.55]}]
    >>> fig = plot_learning_curves(folds, metrics="loss")
    >>> len(fig.axes[0].lines)
    6
    """
    if isinstance(histories, Mapping) or not isinstance(histories, Sequence) or not histories:
        raise ParameterError(
            "histories must be a non-empty sequence of history dicts or fitted skdeep "
            f"estimators. Received: histories={describe(histories)}"
        )
    records = [_history_of(h)[0] for h in histories]
    names = _as_metrics(metrics)
    merged: dict[str, list[float]] = {}
    for record in records:
        for key, values in record.items():
            merged[key] = merged.get(key) or values
    shown = _present(merged, names)
    fig, axes = _axes_for(None, len(shown))
    for axis, name in zip(axes, shown):
        groups = []
        for key, label, color in (
            (name, "train", TRAIN_COLOR),
            (f"val_{name}", "validation", VAL_COLOR),
        ):
            curves = [r[key] for r in records if r.get(key)]
            for curve in curves:
                axis.plot(
                    np.arange(1, len(curve) + 1), curve, color=color, linewidth=0.8, alpha=0.35
                )
            if curves:
                groups.append((curves, label, color))
        for curves, label, color in groups:
            mean = _mean_curve(curves)
            axis.plot(
                np.arange(1, len(mean) + 1),
                mean,
                color=color,
                linewidth=2.2,
                label=f"{label} (mean of {len(curves)})",
            )
        axis.set_xlabel("epoch")
        axis.set_ylabel(name)
        axis.set_title(name)
        axis.legend(frameon=False)
    fig.tight_layout()
    return fig


_NORMALIZE = {False: None, None: None, True: "true", "true": "true", "pred": "pred", "all": "all"}


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
    values = matrix
    if how is not None:
        totals = {
            "true": matrix.sum(axis=1, keepdims=True),
            "pred": matrix.sum(axis=0, keepdims=True),
            "all": matrix.sum(),
        }[how]
        with np.errstate(divide="ignore", invalid="ignore"):
            values = np.where(totals > 0, matrix / np.where(totals > 0, totals, 1), 0.0)
    if ax is None:
        plt = _pyplot()
        size = min(9.0, 3.2 + 0.55 * n)
        fig, ax = plt.subplots(figsize=(size + 1.0, size))
    else:
        fig = ax.figure
    image = ax.imshow(values, cmap="Blues", interpolation="nearest")
    fig.colorbar(image, ax=ax)
    threshold = (np.nanmax(values) + np.nanmin(values)) / 2.0 if values.size else 0.0
    for i in range(n):
        for j in range(n):
            v = values[i, j]
            text = f"{v:.2f}" if how is not None else f"{v:g}"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=9 if n <= 10 else 7,
                color="white" if v > threshold else "black",
            )
    ticks = np.arange(n)
    shown = [str(name) for name in names]
    ax.set_xticks(
        ticks,
        shown,
        rotation=45 if max(len(s) for s in shown) > 4 else 0,
        ha="right" if max(len(s) for s in shown) > 4 else "center",
    )
    ax.set_yticks(ticks, shown)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    ax.set_title("confusion matrix" + ("" if how is None else f" (normalised over {how})"))
    fig.tight_layout()
    return fig


def _readable_names(names: list[str]) -> dict[str, str]:
    """``annclassifier__units`` -> ``units`` when unambiguous, else ``annclassifier.units``."""
    short = {name: name.rsplit("__", 1)[-1] for name in names}
    counts: dict[str, int] = {}
    for s in short.values():
        counts[s] = counts.get(s, 0) + 1
    return {name: s if counts[s] == 1 else name.replace("__", ".") for name, s in short.items()}


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _category(value: Any) -> str:
    from sklearn.base import BaseEstimator

    if isinstance(value, BaseEstimator):
        return type(value).__name__
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return text if len(text) <= 24 else text[:21] + "..."


def _search_metric(search: Any, metric: str | None) -> str:
    results = search.cv_results_
    available = sorted(k[len("mean_test_") :] for k in results if k.startswith("mean_test_"))
    if metric is None:
        refit = getattr(search, "refit", True)
        if isinstance(refit, str):
            metric = refit
        elif available == ["score"]:
            metric = "score"
        else:
            raise ParameterError(
                "The search scored several metrics and refit does not name one, so the metric "
                f"to plot is ambiguous. Expected metric= among {available}. Received: "
                f"metric=None, refit={describe(refit)}"
            )
    if metric not in available:
        raise ParameterError(
            f"The search has no test scores for this metric. Expected metric among {available}. "
            f"Received: metric={metric!r}"
        )
    return metric


def plot_search(
    search: Any,
    *,
    params: Sequence[str] | None = None,
    metric: str | None = None,
) -> Figure:
    """Cross-validated score against each searched hyperparameter.

    One panel per parameter; each candidate is a point at its parameter value with its mean
    test score across folds and an error bar of ± one standard deviation; a dashed line joins
    the best mean at each value (the profile), and the best candidate (the refit one when
    ``metric`` is the refit metric) is marked with a red star.

    Parameters
    ----------
    search : fitted search
        ``GridSearchCV``, ``RandomizedSearchCV``, ``BayesSearchCV`` or any object with a
        scikit-learn ``cv_results_``.
    params : sequence of str, default=None
        Parameters to show (full names such as ``"annclassifier__units"`` or their readable
        form ``"units"``); all searched parameters when None.
    metric : str, default=None
        Score to plot for multi-metric searches; by default the refit metric.

    Returns
    -------
    matplotlib.figure.Figure
        Numeric parameters on a numeric axis (logarithmic when all values are positive and
        span a ratio of at least 30), other values (strings, booleans, None, estimators) as
        categories in order of first appearance. Pipeline prefixes are dropped from the axis
        labels when the remaining name is unambiguous.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skdeep.plotting import plot_search
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearchCV(LogisticRegression(max_iter=500), {"C": [0.01, 0.1, 1, 10]}, cv=3)
    >>> fig = plot_search(search.fit(X, y))
    >>> fig.axes[0].get_xscale(), fig.axes[0].get_xlabel()
    ('log', 'C')
    """
    results = getattr(search, "cv_results_", None)
    if not isinstance(results, Mapping):
        raise NotFittedError(
            "plot_search needs a fitted search with cv_results_ (GridSearchCV, "
            f"RandomizedSearchCV, BayesSearchCV...). Received: {type(search).__name__}"
        )
    metric = _search_metric(search, metric)
    searched = [k[len("param_") :] for k in results if k.startswith("param_")]
    readable = _readable_names(searched)
    if params is None:
        chosen = searched
    else:
        lookup = {**{r: full for full, r in readable.items()}, **{s: s for s in searched}}
        unknown = [p for p in params if p not in lookup]
        if unknown or not params:
            raise ParameterError(
                "params must name searched parameters. Expected names among "
                f"{sorted(readable.values())}. Received: params={describe(params)}"
            )
        chosen = [lookup[p] for p in params]
    if not chosen:
        raise ParameterError(
            "The search has no parameters to plot (cv_results_ has no param_ keys)."
        )
    mean = np.asarray(results[f"mean_test_{metric}"], dtype=float)
    std = np.asarray(results.get(f"std_test_{metric}", np.zeros_like(mean)), dtype=float)
    best = int(np.nanargmax(mean)) if np.any(np.isfinite(mean)) else None
    refit = getattr(search, "refit", None)
    if (refit is True or refit == metric) and hasattr(search, "best_index_"):
        best = int(search.best_index_)
    ncols = min(3, len(chosen))
    nrows = math.ceil(len(chosen) / ncols)
    plt = _pyplot()
    fig, grid = plt.subplots(
        nrows, ncols, figsize=(4.6 * ncols, 3.6 * nrows), squeeze=False, sharey=True
    )
    axes = list(grid.ravel())
    for axis in axes[len(chosen) :]:
        axis.set_visible(False)
    for axis, name in zip(axes, chosen):
        column = results[f"param_{name}"]
        mask = np.ma.getmaskarray(column)
        idx = np.flatnonzero(~mask)
        values = [np.ma.getdata(column)[i] for i in idx]
        if values and all(_is_number(v) for v in values):
            x = np.asarray(values, dtype=float)
            positive = x[x > 0]
            if (
                positive.size == x.size
                and x.size
                and positive.max() / positive.min() >= LOG_AXIS_RATIO
            ):
                axis.set_xscale("log")
        else:
            categories: list[str] = []
            for v in values:
                label = _category(v)
                if label not in categories:
                    categories.append(label)
            x = np.asarray([categories.index(_category(v)) for v in values], dtype=float)
            axis.set_xticks(np.arange(len(categories)), categories)
            axis.set_xlim(-0.5, len(categories) - 0.5)
            if max((len(c) for c in categories), default=0) > 6:
                axis.tick_params(axis="x", labelrotation=30)
        axis.errorbar(
            x,
            mean[idx],
            yerr=std[idx],
            fmt="o",
            color=TRAIN_COLOR,
            alpha=0.6,
            capsize=2,
            markersize=4,
            label="candidate (mean ± sd)",
        )
        profile_x = np.unique(x)
        profile_y = [np.nanmax(np.where(x == v, mean[idx], np.nan)) for v in profile_x]
        axis.plot(
            profile_x, profile_y, color="0.35", linewidth=1, linestyle="--", label="best per value"
        )
        if best is not None and best in idx:
            pos = int(np.flatnonzero(idx == best)[0])
            axis.plot(
                [x[pos]],
                [mean[best]],
                marker="*",
                markersize=13,
                color="red",
                linestyle="none",
                label="best candidate",
            )
        if axis is axes[0]:
            axis.legend(frameon=False, loc="lower right", fontsize=8)
        axis.set_xlabel(readable[name])
        axis.grid(alpha=0.3)
    for row in grid:
        row[0].set_ylabel(f"mean test {metric}")
    fig.tight_layout()
    return fig
