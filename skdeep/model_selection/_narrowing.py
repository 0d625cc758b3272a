"""The parameter space of CoarseToFineSearchCV: each entry of ``param_distributions`` as a
range or a list of values (:class:`_Dim`), sampled for a stage and narrowed around the best
coarse candidates."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.model_selection import ParameterGrid, ParameterSampler
from sklearn.utils import check_random_state

from ..exceptions import ParameterError, describe

__all__ = ["narrow_space"]


@dataclass
class _Dim:
    """A parameter's search range, normalised from a list, scipy distribution or skopt dim.

    ``kind`` is "real" or "int" (numeric range ``low``..``high``, on a log scale when
    ``log``), "choice" (a list of values) or "opaque" (an object with ``rvs`` that cannot be
    narrowed: the fine stage keeps the values of the best coarse candidates).
    """

    kind: str
    low: float = 0.0
    high: float = 0.0
    log: bool = False
    values: list | None = None
    source: Any = None

    # ---------------------------------------------------------------- sampling
    def distribution(self) -> Any:
        """Something ``ParameterSampler`` can draw from."""
        from scipy.stats import loguniform, randint, uniform

        if self.kind == "choice":
            return list(self.values)
        if self.kind == "opaque":
            return self.source
        if self.low == self.high:
            return [int(self.low) if self.kind == "int" else float(self.low)]
        if self.kind == "real":
            return (
                loguniform(self.low, self.high)
                if self.log
                else uniform(self.low, self.high - self.low)
            )
        if self.log:
            return _LogUniformInt(int(self.low), int(self.high))
        return randint(int(self.low), int(self.high) + 1)

    def grid(self, n: int) -> list:
        """``n`` evenly spaced values (log-spaced for log ranges); choices as they are."""
        if self.kind in ("choice", "opaque"):
            return list(self.values)
        if self.low == self.high or n <= 1:
            mid = self._from_t((self._t(self.low) + self._t(self.high)) / 2)
            return [self._cast(mid)]
        points = [self._from_t(v) for v in np.linspace(self._t(self.low), self._t(self.high), n)]
        return _unique([self._cast(p) for p in points])

    def skopt(self) -> Any:
        from skopt.space import Categorical, Integer
        from skopt.space import Real as SkReal

        prior = "log-uniform" if self.log else "uniform"
        if self.kind in ("choice", "opaque"):
            return Categorical(list(self.values))
        if self.kind == "real":
            return SkReal(float(self.low), float(self.high), prior=prior)
        return Integer(int(self.low), int(self.high), prior=prior)

    @property
    def constant(self) -> Any:
        """The single value of a degenerate range or one-value choice, else a sentinel."""
        if self.kind in ("choice", "opaque"):
            return self.values[0] if len(self.values) == 1 else _NOT_CONSTANT
        return self._cast(self.low) if self.low == self.high else _NOT_CONSTANT

    # ---------------------------------------------------------------- narrowing
    def narrow(self, best: Any, top: list, shrink: float) -> _Dim:
        """A window of ``shrink`` times the width around ``best`` (top values for choices)."""
        if self.kind in ("choice", "opaque"):
            return _Dim("choice", values=_unique(top))
        lo_t, hi_t = self._t(self.low), self._t(self.high)
        width = (hi_t - lo_t) * shrink
        center = min(max(self._t(float(best)), lo_t), hi_t)
        lo, hi = center - width / 2, center + width / 2
        if lo < lo_t:
            lo, hi = lo_t, min(hi_t, lo_t + width)
        if hi > hi_t:
            lo, hi = max(lo_t, hi_t - width), hi_t
        lo, hi = self._from_t(lo), self._from_t(hi)
        if self.kind == "int":
            best_int = int(round(float(best)))
            lo = max(int(self.low), min(math.floor(lo + 0.5), best_int))
            hi = min(int(self.high), max(math.floor(hi + 0.5), best_int))
        else:
            lo, hi = max(self.low, lo), min(self.high, hi)
        return _Dim(self.kind, low=lo, high=hi, log=self.log)

    def contains(self, value: Any) -> bool:
        if self.kind in ("choice", "opaque"):
            return any(_same(value, v) for v in self.values)
        try:
            v = float(value)
        except (TypeError, ValueError):
            return False
        return self.low <= v <= self.high

    # ---------------------------------------------------------------- helpers
    def _t(self, v: float) -> float:
        return math.log(v) if self.log else float(v)

    def _from_t(self, v: float) -> float:
        return math.exp(v) if self.log else float(v)

    def _cast(self, v: float) -> Any:
        return int(round(v)) if self.kind == "int" else float(v)


_NOT_CONSTANT = object()


class _LogUniformInt:
    """Integers drawn log-uniformly from ``low``..``high`` (both included)."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def rvs(self, size=None, random_state=None):
        rng = check_random_state(random_state)
        draw = np.exp(rng.uniform(np.log(self.low), np.log(self.high + 1), size=size))
        out = np.clip(np.floor(draw), self.low, self.high).astype(np.int64)
        return out if size is not None else int(out)

    def __repr__(self) -> str:
        return f"LogUniformInt({self.low}, {self.high})"


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    if isinstance(a, bool) != isinstance(b, bool):
        return False
    try:
        return bool(a == b)
    except Exception:
        return False


def _unique(values) -> list:
    out: list = []
    for v in values:
        if not any(_same(v, u) for u in out):
            out.append(v)
    return out


def _to_dim(name: str, value: Any) -> _Dim:
    """Normalise one entry of ``param_distributions``."""
    module = type(value).__module__ or ""
    if module.startswith("skopt"):
        cls = type(value).__name__
        log = getattr(value, "prior", "uniform") == "log-uniform"
        if cls == "Real":
            return _Dim("real", float(value.low), float(value.high), log, source=value)
        if cls == "Integer":
            return _Dim("int", int(value.low), int(value.high), log, source=value)
        if cls == "Categorical":
            return _Dim("choice", values=list(value.categories), source=value)
    if hasattr(value, "rvs"):
        dist = getattr(getattr(value, "dist", None), "name", None)
        if dist is not None and hasattr(value, "support"):
            low, high = (float(b) for b in value.support())
            if dist in ("uniform", "loguniform", "reciprocal") and math.isfinite(high - low):
                return _Dim("real", low, high, dist != "uniform", source=value)
            if dist == "randint":
                return _Dim("int", low, high, False, source=value)
            discrete = hasattr(value.dist, "pmf")
            low, high = (float(value.ppf(q)) for q in (0.001, 0.999))
            if math.isfinite(low) and math.isfinite(high) and low < high:
                return _Dim("int" if discrete else "real", low, high, False, source=value)
        return _Dim("opaque", source=value)
    if isinstance(value, (list, tuple, np.ndarray)) and len(value) > 0:
        return _Dim("choice", values=list(value), source=value)
    raise ParameterError(
        f"param_distributions[{name!r}] must be a non-empty list of values, a scipy.stats "
        "distribution or a scikit-optimize dimension (Real, Integer, Categorical). "
        f"Received: {describe(value)}"
    )


def _sample(dims: dict[str, _Dim], n: int, rng) -> list[dict]:
    """``n`` candidates drawn from ``dims`` (without repeats when every dim is a list)."""
    space = {name: dim.distribution() for name, dim in dims.items()}
    if all(isinstance(v, list) for v in space.values()):
        grid = ParameterGrid(space)  # indexed lazily: a huge grid is never materialised
        if len(grid) <= n:
            return list(grid)
        return [grid[int(i)] for i in rng.choice(len(grid), size=n, replace=False)]
    return list(ParameterSampler(space, n, random_state=rng))


def _same_params(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)


def narrow_space(dims: dict[str, _Dim], top: list[dict], shrink: float) -> dict[str, _Dim]:
    """Every dimension narrowed around ``top[0]``, the best candidate (see :meth:`_Dim.narrow`).

    Parameters
    ----------
    dims : dict of str to _Dim
        The full space.
    top : list of dict
        The parameters of the best candidates, best first.
    shrink : float in (0, 1]
        Width of a numeric window relative to the full range.

    Returns
    -------
    dict of str to _Dim

    Examples
    --------
    >>> dims = {"units": _to_dim("units", [8, 16, 32]), "rate": _Dim("real", 0.0, 1.0)}
    >>> narrowed = narrow_space(dims, [{"units": 16, "rate": 0.5}], 0.2)
    >>> narrowed["units"].values, narrowed["rate"].low, narrowed["rate"].high
    ([16], 0.4, 0.6)
    """
    best = top[0]
    return {
        name: dim.narrow(best[name], [t[name] for t in top], shrink) for name, dim in dims.items()
    }
