"""Figures of a regressor's predictions: predicted against true values, and the residuals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import ParameterError, describe
from ._base import TRAIN_COLOR, VAL_COLOR, axes_for, new_figure

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_predictions", "plot_residuals"]

#: Bins of the running median of the residuals (quantiles of the predictions).
_TREND_BINS = 20


def _columns(y_true: Any, y_pred: Any, names: Sequence[str] | None) -> tuple:
    """``(true, pred, names)``: float arrays of shape (n, k), checked, and one name per output."""
    true = np.asarray(y_true, dtype=float)
    pred = np.asarray(y_pred, dtype=float)
    true = true[:, None] if true.ndim == 1 else true
    pred = pred[:, None] if pred.ndim == 1 else pred
    if true.ndim != 2 or true.shape != pred.shape or len(true) == 0:
        raise ParameterError(
            "y_true and y_pred must hold one value (or one row of outputs) per sample. "
            f"Expected equal shapes (n_samples,) or (n_samples, n_outputs). Received: y_true "
            f"with shape {np.shape(y_true)}, y_pred with shape {np.shape(y_pred)}"
        )
    if not (np.isfinite(true).all() and np.isfinite(pred).all()):
        raise ParameterError(
            "y_true and y_pred must be finite numbers. Expected no NaN or infinity. Received: "
            f"{int((~np.isfinite(true)).sum())} in y_true, {int((~np.isfinite(pred)).sum())} "
            "in y_pred"
        )
    k = true.shape[1]
    if names is None:
        names = ["target"] if k == 1 else [f"output {j}" for j in range(k)]
    names = [str(n) for n in names]
    if len(names) != k:
        raise ParameterError(
            f"names must name every output. Expected {k} names. Received: names={describe(names)}"
        )
    return true, pred, names


def _point_style(n: int) -> dict:
    """Markers that stay readable from 50 to 50,000 points: smaller and fainter with n."""
    alpha = float(np.clip(400.0 / n, 0.1, 0.8))
    size = float(np.clip(4000.0 / n, 2.0, 24.0))
    return {"s": size, "alpha": alpha, "linewidths": 0, "rasterized": n > 5000}


def _scores(true: np.ndarray, pred: np.ndarray) -> str:
    errors = true - pred
    mae, rmse = np.abs(errors).mean(), np.sqrt((errors**2).mean())
    spread = ((true - true.mean()) ** 2).sum()
    r2 = 1.0 - (errors**2).sum() / spread if spread > 0 else float("nan")
    return f"R² {r2:.3f}   MAE {mae:.4g}   RMSE {rmse:.4g}"


def plot_predictions(
    y_true: Any,
    y_pred: Any,
    *,
    names: Sequence[str] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Predicted against true values, one panel per output, with the line of perfect fit.

    Points on the dashed diagonal are predicted exactly; points above it are over-predicted.
    Both axes share one range, so the distance to the diagonal reads the same everywhere.
    Each panel's title gives R², MAE and RMSE of the points shown.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True and predicted values, e.g. a study's out-of-fold predictions.
    names : sequence of str, default=None
        One name per output (axis labels); "target" or "output j" when None.
    ax : Axes or sequence of Axes, default=None
        Where to draw, one Axes per output; a new figure when None.

    Returns
    -------
    matplotlib.figure.Figure
        Per panel: the scatter (``collections[0]``, offsets = (true, predicted)) and the
        diagonal (``lines[0]``).

    Examples
    --------
    >>> from skdeep.plotting import plot_predictions
    >>> fig = plot_predictions([1.0, 2.0, 3.0, 4.0], [1.1, 1.8, 3.3, 3.9])
    >>> fig.axes[0].collections[0].get_offsets().shape
    (4, 2)
    >>> fig.axes[0].get_xlabel(), fig.axes[0].get_ylabel()
    ('true target', 'predicted target')
    """
    true, pred, names = _columns(y_true, y_pred, names)
    fig, axes = axes_for(ax, true.shape[1], width=4.4, height=4.2)
    for j, (axis, name) in enumerate(zip(axes, names)):
        low = min(true[:, j].min(), pred[:, j].min())
        high = max(true[:, j].max(), pred[:, j].max())
        pad = 0.04 * (high - low) if high > low else 0.5
        axis.scatter(true[:, j], pred[:, j], color=TRAIN_COLOR, **_point_style(len(true)))
        axis.plot([low - pad, high + pad], [low - pad, high + pad], "--", color="0.3", lw=1)
        axis.set_xlim(low - pad, high + pad)
        axis.set_ylim(low - pad, high + pad)
        axis.set_aspect("equal", adjustable="box")
        axis.set_xlabel(f"true {name}")
        axis.set_ylabel(f"predicted {name}")
        axis.set_title(_scores(true[:, j], pred[:, j]), fontsize=10)
        _few_ticks(axis)
    return fig


def _few_ticks(axis) -> None:
    """At most about five round ticks per axis: large values (prices) never overlap."""
    from matplotlib.ticker import MaxNLocator

    axis.xaxis.set_major_locator(MaxNLocator(nbins=5))
    axis.yaxis.set_major_locator(MaxNLocator(nbins=5))
    axis.grid(alpha=0.3)


def _running_median(x: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median residual per quantile bin of the predictions (at the bin's median x)."""
    n_bins = int(min(_TREND_BINS, max(1, len(x) // 25)))
    edges = np.unique(np.quantile(x, np.linspace(0, 1, n_bins + 1)))
    which = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, len(edges) - 2)
    bins = [b for b in range(len(edges) - 1) if np.any(which == b)]
    centres = np.array([np.median(x[which == b]) for b in bins])
    medians = np.array([np.median(r[which == b]) for b in bins])
    return centres, medians


def plot_residuals(
    y_true: Any,
    y_pred: Any,
    *,
    names: Sequence[str] | None = None,
    ax: Axes | Sequence[Axes] | None = None,
) -> Figure:
    """Residuals (true minus predicted) against the predictions, and their distribution.

    Per output two panels: the residuals against the predicted value with a zero line and
    their running median (a curve away from zero shows a bias that depends on the
    prediction; a funnel shows errors growing with the value), and a histogram of the
    residuals.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
    names : sequence of str, default=None
        One name per output; "target" or "output j" when None.
    ax : sequence of Axes, default=None
        Where to draw, two Axes per output (scatter, histogram); a new figure when None.

    Returns
    -------
    matplotlib.figure.Figure
        For output j, ``fig.axes[2 * j]`` holds the scatter (``collections[0]``, offsets =
        (predicted, residual)), the zero line (``lines[0]``) and the running median
        (``lines[1]``); ``fig.axes[2 * j + 1]`` the histogram.

    Examples
    --------
    >>> from skdeep.plotting import plot_residuals
    >>> fig = plot_residuals([1.0, 2.0, 3.0, 4.0], [1.1, 1.8, 3.3, 3.9])
    >>> fig.axes[0].collections[0].get_offsets()[:, 1].round(2).tolist()
    [-0.1, 0.2, -0.3, 0.1]
    """
    from matplotlib.ticker import MaxNLocator

    true, pred, names = _columns(y_true, y_pred, names)
    k = true.shape[1]
    if ax is None:
        fig, grid = new_figure(k, 2, width=4.6, height=3.6, gridspec_kw={"width_ratios": [3, 2]})
        axes = list(grid.ravel())
    else:
        fig, axes = axes_for(ax, 2 * k)
    for j, name in enumerate(names):
        scatter_ax, hist_ax = axes[2 * j], axes[2 * j + 1]
        residuals = true[:, j] - pred[:, j]
        scatter_ax.scatter(pred[:, j], residuals, color=TRAIN_COLOR, **_point_style(len(true)))
        scatter_ax.axhline(0.0, color="0.3", linestyle="--", linewidth=1)
        centres, medians = _running_median(pred[:, j], residuals)
        scatter_ax.plot(centres, medians, color=VAL_COLOR, linewidth=2, label="running median")
        scatter_ax.set_xlabel(f"predicted {name}")
        scatter_ax.set_ylabel("residual (true - predicted)")
        scatter_ax.legend(frameon=False, loc="best", fontsize=9)
        _few_ticks(scatter_ax)
        hist_ax.hist(residuals, bins=min(60, max(10, len(residuals) // 20)), color=TRAIN_COLOR)
        hist_ax.axvline(0.0, color="0.3", linestyle="--", linewidth=1)
        hist_ax.set_xlabel("residual (true - predicted)")
        hist_ax.set_ylabel("samples")
        hist_ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        sd = residuals.std(ddof=1) if len(residuals) > 1 else 0.0
        hist_ax.set_title(f"mean {residuals.mean():.4g}, sd {sd:.4g}", fontsize=10)
    return fig
