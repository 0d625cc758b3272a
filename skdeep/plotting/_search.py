"""Cross-validated score against each searched hyperparameter (:func:`plot_search`)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import NotFittedError, ParameterError, describe
from ._axes import AxisValues, axis_values, format_axis, searched_space
from ._base import legend_outside, new_figure

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["plot_search"]


@dataclass
class _Group:
    """Candidates drawn alike: all of them, one stage of a coarse-to-fine search, or one
    rung (budget) of a successive-halving search."""

    label: str
    mask: np.ndarray
    style: dict = field(default_factory=dict)


def _readable_names(names: list[str]) -> dict[str, str]:
    """``annclassifier__units`` -> ``units`` when unambiguous, else ``annclassifier.units``."""
    short = {name: name.rsplit("__", 1)[-1] for name in names}
    counts: dict[str, int] = {}
    for s in short.values():
        counts[s] = counts.get(s, 0) + 1
    return {name: s if counts[s] == 1 else name.replace("__", ".") for name, s in short.items()}


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


def _chosen_params(results: Mapping, params: Sequence[str] | None) -> tuple[list, dict]:
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
    return chosen, readable


def _negated(search: Any, metric: str) -> bool:
    """Whether the plotted scores are a negated error (``neg_*`` or a short name such as
    ``rmse`` of a search whose scorers negate errors): every value is <= 0."""
    from ..metrics import is_error_metric

    scoring = getattr(search, "scoring", None)
    name = metric
    if isinstance(scoring, str):
        name = scoring
    elif isinstance(scoring, dict) and isinstance(scoring.get(metric), str):
        name = scoring[metric]
    mean = np.asarray(search.cv_results_[f"mean_test_{metric}"], dtype=float)
    finite = mean[np.isfinite(mean)]
    return is_error_metric(name) and bool(finite.size) and bool(np.all(finite <= 0))


def _best_index(search: Any, metric: str, mean: np.ndarray) -> int | None:
    best = int(np.nanargmax(mean)) if np.any(np.isfinite(mean)) else None
    refit = getattr(search, "refit", None)
    if (refit is True or refit == metric) and hasattr(search, "best_index_"):
        best = int(search.best_index_)
    return best


def _groups(search: Any, results: Mapping, n: int) -> list[_Group]:
    """Coarse vs fine stages, halving rungs (light to dark), or one group."""
    if "stage" in results:
        stages = np.asarray(results["stage"])
        return [
            _Group("coarse stage", stages == "coarse", {"color": "0.45", "mfc": "white"}),
            _Group("fine stage", stages != "coarse", {"color": "C1"}),
        ]
    if "n_resources" in results:
        from matplotlib import colormaps

        budgets = np.asarray(results["n_resources"])
        levels = np.unique(budgets)
        shades = colormaps["viridis"](np.linspace(0.8, 0.1, len(levels)))
        unit = "epochs" if "n_epochs_trained" in results else getattr(search, "resource", "")
        return [
            _Group(f"rung {i + 1}: {level:g} {unit}".strip(), budgets == level, {"color": tuple(c)})
            for i, (level, c) in enumerate(zip(levels, shades))
        ]
    return [_Group("candidate", np.ones(n, dtype=bool), {"color": "C0"})]


def _draw_candidates(axis, values: AxisValues, mean, std, groups: list[_Group]) -> None:
    for group in groups:
        rows = group.mask[values.rows] & np.isfinite(mean[values.rows])
        if not rows.any():
            continue
        style = {"mec": group.style["color"], **group.style}
        axis.errorbar(
            values.x[rows],
            mean[values.rows][rows],
            yerr=std[values.rows][rows],
            fmt="o",
            alpha=0.75,
            capsize=2,
            markersize=4.5,
            elinewidth=1,
            label=group.label,
            **style,
        )


def _draw_profile(axis, values: AxisValues, mean) -> None:
    """The best mean at each value, for parameters with a few repeated values only (a line
    through continuous draws would zig-zag between unrelated candidates)."""
    scores = mean[values.rows]
    finite = np.isfinite(scores)
    levels = np.unique(values.x[finite])
    best = [scores[finite & (values.x == v)].max() for v in levels]
    axis.plot(levels, best, color="0.3", linewidth=1, linestyle="--", label="best per value")


def _draw_best(axis, values: AxisValues, mean, best: int | None) -> None:
    if best is None or best not in values.rows:
        return
    pos = int(np.flatnonzero(values.rows == best)[0])
    axis.plot(
        [values.x[pos]],
        [mean[best]],
        marker="*",
        markersize=17,
        markerfacecolor="none",
        markeredgecolor="red",
        markeredgewidth=1.6,
        linestyle="none",
        zorder=5,
        label="best candidate",
    )


def _title(search: Any, results: Mapping, mean: np.ndarray, metric: str) -> str:
    n_folds = getattr(search, "n_splits_", None)
    folds = f" over {n_folds} folds" if n_folds else ""
    title = f"{type(search).__name__}: {len(mean)} results, mean test {metric} ± sd{folds}"
    failed = int(np.sum(~np.isfinite(mean)))
    return title + (f"; {failed} failed (not shown)" if failed else "")


def plot_search(
    search: Any,
    *,
    params: Sequence[str] | None = None,
    metric: str | None = None,
) -> Figure:
    """Cross-validated score against each searched hyperparameter.

    One panel per parameter; each candidate is a point at its parameter value with its mean
    test score across folds and an error bar of ± one standard deviation, and the best
    candidate (the refit one when ``metric`` is the refit metric) is a red star. Parameters
    with a few repeated values (a grid, a list of choices, small integers) also get a dashed
    line through the best mean at each value; continuous draws get none. The stages of a
    :class:`~skdeep.model_selection.CoarseToFineSearchCV` (hollow grey coarse, orange fine)
    and the rungs of a successive-halving search (light: small budget, dark: large) are drawn
    apart. The legend sits above the panels.

    Parameters
    ----------
    search : fitted search
        ``GridSearchCV``, ``RandomizedSearchCV``, ``BayesSearchCV``, skdeep's searches or any
        object with a scikit-learn ``cv_results_``.
    params : sequence of str, default=None
        Parameters to show (full names such as ``"annclassifier__units"`` or their readable
        form ``"units"``); all searched parameters when None.
    metric : str, default=None
        Score to plot for multi-metric searches; by default the refit metric.

    Returns
    -------
    matplotlib.figure.Figure
        Numeric parameters on a numeric axis: logarithmic when searched on a log scale
        (log-uniform distribution or dimension) or, for lists of values, when their positive
        values span a decade or more, with round tick labels (``5e-4``, ``1e-3``, ``2e-3``);
        integers with a few values get one tick per value. Other values (strings, booleans,
        None, estimators) are categories in order of first appearance. Pipeline prefixes are
        dropped from the axis labels when the remaining name is unambiguous.

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
    chosen, readable = _chosen_params(results, params)
    mean = np.asarray(results[f"mean_test_{metric}"], dtype=float)
    std = np.asarray(results.get(f"std_test_{metric}", np.zeros_like(mean)), dtype=float)
    best = _best_index(search, metric, mean)
    groups = _groups(search, results, len(mean))
    space = searched_space(search)
    ncols = min(3, len(chosen))
    fig, grid = new_figure(
        math.ceil(len(chosen) / ncols), ncols, width=4.6, height=3.4, sharey=True
    )
    axes = list(grid.ravel())
    for axis in axes[len(chosen) :]:
        axis.set_visible(False)
    for axis, name in zip(axes, chosen):
        values = axis_values(results[f"param_{name}"], space.get(name))
        _draw_candidates(axis, values, mean, std, groups)
        if values.discrete:
            _draw_profile(axis, values, mean)
        _draw_best(axis, values, mean, best)
        format_axis(axis, values, readable[name])
        axis.grid(alpha=0.3)
    label = f"mean test {metric}"
    if _negated(search, metric):
        label += "\n(negated error: higher is better)"
    for row in grid:
        row[0].set_ylabel(label)
    fig.suptitle(_title(search, results, mean, metric), fontsize=10)
    legend_outside(
        fig, axes[: len(chosen)], where="lower", last=("best per value", "best candidate")
    )
    return fig
