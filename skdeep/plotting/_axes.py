"""Where a searched parameter's values go on the x axis: log, linear or categories.

A parameter gets a log axis when it was searched on a log scale (a log-uniform scipy
distribution or scikit-optimize dimension) or, given as a list of values (or with nothing
known about how it was drawn), when its positive values span a decade or more. Log ticks are
the 1-2-5 (or 1-3, or 1) multiples of powers of ten inside the range, labelled ``3e-4``,
``1e-3``, ``20``: never a crowd of overlapping numbers. Integers with a handful of values
(``units`` 16..256, ``n_layers`` 1..3) get a tick at each value.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "AxisValues",
    "axis_values",
    "format_axis",
    "log_searched",
    "log_ticks",
    "searched_space",
    "tick_labels",
]

#: Positive values spanning at least this ratio get a log axis.
LOG_SPAN = 10.0
#: Distinct values up to this count get one tick each, and a "best per value" profile.
FEW_VALUES = 12
#: Tick mantissas tried from the densest; the first that gives at most 6 ticks is used.
_MANTISSAS = ((1, 2, 5), (1, 3), (1,))


@dataclass
class AxisValues:
    """The x positions of one parameter's candidates and how to label them."""

    x: np.ndarray  # one position per row in ``rows``
    rows: np.ndarray  # indices into cv_results_ of the candidates that set the parameter
    scale: str  # "log", "linear" or "category"
    categories: list[str] | None = None
    discrete: bool = False  # few values from a list: a "best per value" profile reads well
    integer: bool = False


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


def searched_space(search: Any) -> dict[str, Any]:
    """Parameter name -> what was searched (list, distribution or dimension), merged over
    the grids / distributions / scikit-optimize spaces of the search."""
    found: dict[str, Any] = {}
    for attr in ("param_grid", "param_distributions", "search_spaces"):
        space = getattr(search, attr, None)
        parts = space if isinstance(space, list) else [space]
        for part in parts:
            if isinstance(part, tuple) and part and isinstance(part[0], Mapping):
                part = part[0]  # BayesSearchCV's (space, n_iter)
            if isinstance(part, Mapping):
                for name, spec in part.items():
                    found.setdefault(name, spec)
    return found


def log_searched(spec: Any) -> bool | None:
    """True for a log-uniform scipy distribution or skopt dimension, False for another
    distribution or dimension (drawn on a linear scale), None for a list or nothing known."""
    dist = getattr(getattr(spec, "dist", None), "name", None)
    prior = getattr(spec, "prior", None)
    if dist is not None or prior is not None:
        return dist in ("loguniform", "reciprocal", "log_uniform") or prior == "log-uniform"
    return None


def axis_values(column: Any, spec: Any = None) -> AxisValues:
    """Positions of a ``cv_results_["param_<name>"]`` column; ``spec`` is what was searched."""
    rows = np.flatnonzero(~np.ma.getmaskarray(column))
    values = [np.ma.getdata(column)[i] for i in rows]
    from_list = spec is None or isinstance(spec, (list, tuple))
    if values and all(_is_number(v) for v in values):
        x = np.asarray(values, dtype=float)
        distinct = np.unique(x)
        integer = bool(np.all(x == np.round(x)))
        positive = bool(x.size and x.min() > 0)
        log = log_searched(spec)
        if log is None:  # a list of values, or unknown: log when they span a decade
            log = positive and x.max() / x.min() >= LOG_SPAN
        scale = "log" if positive and log else "linear"
        few = distinct.size <= FEW_VALUES
        discrete = few and (from_list or integer) and distinct.size < x.size
        return AxisValues(x, rows, scale, discrete=bool(discrete), integer=integer and few)
    categories: list[str] = []
    for v in values:
        label = _category(v)
        if label not in categories:
            categories.append(label)
    x = np.asarray([categories.index(_category(v)) for v in values], dtype=float)
    return AxisValues(x, rows, "category", categories, discrete=True)


def tick_label(value: float) -> str:
    """``3e-4``, ``0.001`` -> ``1e-3``, ``0.05``, ``20``, ``1e+05`` -> ``1e5``."""
    if value == 0:
        return "0"
    if 1e-2 <= abs(value) < 1e4:
        return f"{value:g}"
    return _exponent(value)


def tick_labels(ticks) -> list[str]:
    """Labels in one style per axis: powers-of-ten notation below 1 as soon as one tick
    needs it (``1e-3``, ``3e-3``, ``1e-2``), plain numbers otherwise.

    Examples
    --------
    >>> tick_labels([3e-4, 1e-3, 1e-2]), tick_labels([0.1, 0.5, 2])
    (['3e-4', '1e-3', '1e-2'], ['0.1', '0.5', '2'])
    """
    ticks = [float(t) for t in ticks]
    small = any(0 < abs(t) < 1e-2 for t in ticks)
    return [_exponent(t) if small and 0 < abs(t) < 1 else tick_label(t) for t in ticks]


def _exponent(value: float) -> str:
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def log_ticks(low: float, high: float) -> list[float]:
    """Round tick values inside ``[low, high]`` (at least two, at most six).

    Examples
    --------
    >>> tick_labels(log_ticks(3e-4, 4e-3))
    ['5e-4', '1e-3', '2e-3']
    >>> tick_labels(log_ticks(1e-6, 1e2))
    ['1e-6', '1e-4', '1e-2', '1', '100']
    """
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    inside = [
        [
            m * 10.0**e
            for e in range(first - 1, last + 1)
            for m in mantissas
            if low * (1 - 1e-9) <= m * 10.0**e <= high * (1 + 1e-9)
        ]
        for mantissas in _MANTISSAS
    ]
    for ticks in inside:
        if 2 <= len(ticks) <= 6:
            return ticks
    decades = inside[-1]
    if len(decades) > 6:  # many decades: every k-th power of ten
        step = math.ceil(len(decades) / 5)
        return decades[::step]
    return [float(f"{v:.2g}") for v in (low, high)] if low < high else [low]


def format_axis(axis, values: AxisValues, label: str) -> None:
    """Scale, limits and ticks of the x axis; the parameter name as its label."""
    from matplotlib.ticker import MaxNLocator, NullLocator

    axis.set_xlabel(label)
    if values.scale == "category":
        axis.set_xticks(np.arange(len(values.categories)), values.categories)
        axis.set_xlim(-0.5, len(values.categories) - 0.5)
        if max((len(c) for c in values.categories), default=0) > 6:
            axis.tick_params(axis="x", labelrotation=30)
        return
    if not values.x.size:
        return
    low, high = float(values.x.min()), float(values.x.max())
    distinct = np.unique(values.x)
    if values.scale == "log":
        axis.set_xscale("log")
        pad = (high / low) ** 0.06 if high > low else 1.5
        axis.set_xlim(low / pad, high * pad)
        ticks = distinct.tolist() if values.integer else log_ticks(low, high)
        axis.set_xticks(ticks, tick_labels(ticks))
        axis.xaxis.set_minor_locator(NullLocator())
    elif values.integer:
        axis.set_xticks(distinct, tick_labels(distinct))
        span = max(high - low, 1.0)
        axis.set_xlim(low - 0.08 * span, high + 0.08 * span)
    else:
        axis.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
