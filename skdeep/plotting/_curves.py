"""Training curves: one fit (:func:`plot_history`) or several, e.g. a study's folds
(:func:`plot_learning_curves`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import NotFittedError, ParameterError, describe
from ..utils._pipeline import final_step
from ._base import TRAIN_COLOR, VAL_COLOR, as_metrics, axes_for, legend_outside, new_figure

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_history", "plot_learning_curves"]

#: The two curves of each metric: history key prefix, legend label, colour.
_CURVES = (("", "train", TRAIN_COLOR), ("val_", "validation", VAL_COLOR))


def _is_skdeep_estimator(obj: Any) -> bool:
    return any(cls.__module__.startswith("skdeep.") for cls in type(obj).__mro__[:-1])


def _history_of(obj: Any) -> tuple[dict[str, list[float]], int | None]:
    """``(history, best_epoch)`` of a fitted skdeep estimator, a Pipeline, or a dict."""
    if isinstance(obj, Mapping):
        return {str(k): [float(v) for v in vals] for k, vals in obj.items()}, None
    final = final_step(obj, unwrap_search=True)[0]
    if not _is_skdeep_estimator(final):
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


def _epoch_axis(axis, name: str | None = None) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axis.grid(alpha=0.3)
    if name is not None:
        axis.set_ylabel(name)
        axis.set_title(name)


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
        1..n; with early stopping, a dashed vertical line marks the restored best epoch. On a
        new figure the legend sits above the panels.

    Examples
    --------
    >>> from skdeep.plotting import plot_history
    >>> history = {"loss": [0.9, 0.6, 0.5], "val_loss": [0.95, 0.7, 0.72]}
    >>> fig = plot_history(history, metrics="loss")
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['train', 'validation']
    """
    history, best_epoch = _history_of(estimator_or_history)
    shown = _present(history, as_metrics(metrics))
    fig, axes = axes_for(ax, len(shown))
    for axis, name in zip(axes, shown):
        for prefix, label, color in _CURVES:
            values = history.get(prefix + name)
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
        _epoch_axis(axis, name)
    legend_outside(fig, axes, own_figure=ax is None)
    return fig


def _curves(records: list[dict], key: str) -> list[list[float]]:
    return [r[key] for r in records if r.get(key)]


def _draw_fits(axis, curves: list[list[float]], label: str, color: str) -> None:
    """Each fit as a thin line ending in a dot (where it stopped), then the mean over the
    epochs every fit reached: no jump where a fit stops early."""
    for i, curve in enumerate(curves):
        epochs = np.arange(1, len(curve) + 1)
        axis.plot(
            epochs,
            curve,
            color=color,
            linewidth=1.0,
            alpha=0.55,
            label=f"{label}, each fit" if i == 0 else "_nolegend_",
        )
        axis.plot(epochs[-1:], curve[-1:], "o", color=color, markersize=3, alpha=0.7, zorder=3)
    common = min(len(c) for c in curves)
    mean = np.mean([c[:common] for c in curves], axis=0)
    axis.plot(
        np.arange(1, common + 1),
        mean,
        color=color,
        linewidth=2.4,
        alpha=0.9,
        label=f"{label}, mean of {len(curves)} fits",
    )


def _draw_running(axis, lengths: list[int]) -> None:
    """Step line: how many fits still ran at each epoch."""
    epochs = np.arange(1, max(lengths) + 1)
    running = [sum(n >= e for n in lengths) for e in epochs]
    axis.step(epochs, running, where="mid", color="0.35", linewidth=1.4)
    axis.fill_between(epochs, running, step="mid", color="0.35", alpha=0.15)
    axis.set_ylim(0, len(lengths) + 0.5)
    axis.set_yticks([0, len(lengths)])
    axis.set_ylabel("fits\nrunning")
    axis.set_xlabel("epoch")
    _epoch_axis(axis)


def plot_learning_curves(
    histories: Sequence[Any],
    *,
    metrics: str | Sequence[str] = ("loss", "accuracy"),
) -> Figure:
    """Training and validation curves of several fits (e.g. the folds of a study).

    Each fit is a thin line ending in a dot where it stopped; the bold line is the epoch-wise
    mean over the epochs that *every* fit reached. With early stopping the fits run for
    different numbers of epochs: a mean over the fits still running would jump each time
    one stops (and describe a self-selected group), so beyond the shortest fit only the thin
    lines continue, and a strip under each panel counts the fits still running per epoch.

    Parameters
    ----------
    histories : sequence of dict or fitted estimators
        ``history_`` dicts, or fitted skdeep estimators / Pipelines ending in one.
    metrics : str or sequence of str, default=("loss", "accuracy")
        Base metric names; those absent from every history are skipped.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per metric (``fig.axes[:n]``). In each panel the lines are, in order: per
        training fit a thin line and its end dot, the bold mean training curve, then the
        same for validation (when recorded). When the fits ran for different numbers of
        epochs, one "fits running" strip per panel follows (``fig.axes[n:]``).

    Examples
    --------
    >>> from skdeep.plotting import plot_learning_curves
    >>> folds = [{"loss": [0.9, 0.5], "val_loss": [1.0, 0.6]},
    ...          {"loss": [0.8, 0.4, 0.3], "val_loss": [0.9, 0.5, 0.55]}]
    >>> fig = plot_learning_curves(folds, metrics="loss")
    >>> len(fig.axes), fig.axes[1].get_ylabel()
    (2, 'fits\\nrunning')
    """
    if isinstance(histories, Mapping) or not isinstance(histories, Sequence) or not histories:
        raise ParameterError(
            "histories must be a non-empty sequence of history dicts or fitted skdeep "
            f"estimators. Received: histories={describe(histories)}"
        )
    records = [_history_of(h)[0] for h in histories]
    merged: dict[str, list[float]] = {}
    for record in records:
        for key, values in record.items():
            merged[key] = merged.get(key) or values
    shown = _present(merged, as_metrics(metrics))
    lengths = [max((len(v) for v in r.values()), default=0) for r in records]
    ragged = len(set(lengths)) > 1
    fig, grid = new_figure(
        2 if ragged else 1,
        len(shown),
        width=4.8,
        height=2.2 if ragged else 3.6,
        sharex="col",
        gridspec_kw={"height_ratios": [4, 1]} if ragged else None,
    )
    if ragged:
        fig.set_size_inches(4.8 * len(shown), 4.6)
    for col, name in enumerate(shown):
        axis = grid[0][col]
        for prefix, label, color in _CURVES:
            curves = _curves(records, prefix + name)
            if curves:
                _draw_fits(axis, curves, label, color)
        _epoch_axis(axis, name)
        if ragged:
            _draw_running(grid[1][col], lengths)
        else:
            axis.set_xlabel("epoch")
    legend_outside(fig, list(grid[0]))
    return fig
