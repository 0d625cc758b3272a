"""CoarseToFineSearchCV: a wide random search, then a narrow search around the best region."""

from __future__ import annotations

import contextlib
import math
import warnings
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from sklearn.model_selection import ParameterGrid, ParameterSampler
from sklearn.utils import check_random_state

from ..exceptions import ParameterError, describe
from ..utils._compat import BaseSearchCV, Interval, StrOptions
from ._progress import progress

__all__ = ["CoarseToFineSearchCV"]


# --------------------------------------------------------------------------- dimensions
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


@contextlib.contextmanager
def _quiet_search(search, bar):
    """Hand the bar to ``_run_search``; scikit-learn's own messages start at verbose=2."""
    saved = search.verbose
    search.verbose = max(0, saved - 1)
    search._progress_bar = bar
    try:
        yield
    finally:
        search.verbose = saved
        del search._progress_bar


def _score_key(results: dict, refit: Any) -> str:
    """The ``mean_test_*`` column that ranks candidates for narrowing."""
    if "mean_test_score" in results:
        return "mean_test_score"
    if isinstance(refit, str) and f"mean_test_{refit}" in results:
        return f"mean_test_{refit}"
    return next(k for k in results if k.startswith("mean_test_"))


# --------------------------------------------------------------------------- the search
class CoarseToFineSearchCV(BaseSearchCV):
    """Two-stage search: a wide randomized search, then a narrow one around the best region.

    The coarse stage draws ``n_coarse`` candidates from ``param_distributions``. The fine
    stage then searches ``n_fine`` candidates in a narrowed space: each numeric range becomes
    a window ``shrink`` times as wide (on a log scale for log-uniform distributions) centred
    on the best coarse value and kept inside the original bounds, integers stay integers, and
    each list of values is cut to the values of the ``top_k`` best coarse candidates. The fine
    stage is a grid (``fine="grid"``), a randomized search (``"random"``) or a Bayesian
    optimisation warm-started with the coarse results that lie in the window (``"bayes"``,
    needs scikit-optimize). ``cv_results_`` holds both stages, told apart by its ``stage``
    column; the best candidate is chosen over both.

    Parameters
    ----------
    estimator : estimator object
        Cloned for every fit (e.g. a ``Pipeline`` ending in a skdeep estimator).
    param_distributions : dict
        Parameter names to lists of values (choices, never interpolated), scipy.stats
        distributions (``uniform``, ``loguniform`` and ``randint`` are narrowed as ranges;
        other distributions between their 0.1% and 99.9% quantiles) or scikit-optimize
        ``Real``/``Integer``/``Categorical`` dimensions. :func:`search_space` with
        ``kind="random"`` or ``"bayes"`` gives ready ones.
    n_coarse : int, default=20
        Candidates in the coarse (randomized) stage.
    n_fine : int, default=10
        Candidates in the fine stage (at most; a fine grid is subsampled to this size and
        drops candidates already tried). 0 skips the fine stage.
    fine : {"grid", "random", "bayes"}, default="grid"
        How the narrowed space is searched.
    shrink : float in (0, 1], default=0.3
        Width of the fine window relative to the full range of each numeric parameter.
    top_k : int, default=3
        How many of the best coarse candidates contribute their values of list (categorical)
        parameters to the fine stage.
    scoring : str, callable, list, tuple or dict, default=None
        As in ``GridSearchCV``; for multi-metric scoring, ``refit`` names the metric used to
        rank candidates (and to narrow; with a callable or False ``refit``, the first metric).
    refit : bool, str or callable, default=True
    cv : int, cross-validation generator or iterable, default=None
        5-fold (stratified for classifiers) by default. Use a fixed splitter or an int so both
        stages are scored on the same folds.
    n_jobs : int, default=None
    random_state : int, RandomState instance or None, default=None
        Seeds both stages.
    verbose : int, default=0
        0 silent; 1 a progress bar on stderr (fits done of the total, elapsed, time left);
        2 and above also scikit-learn's messages (at level ``verbose - 1``).
    pre_dispatch : int or str, default="2*n_jobs"
    error_score : "raise" or float, default=np.nan
    return_train_score : bool, default=False

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        As in ``RandomizedSearchCV``, over both stages, plus ``stage`` ("coarse"/"fine").
    best_estimator_, best_score_, best_params_, best_index_, scorer_, n_splits_, \
refit_time_, multimetric_
        As in ``GridSearchCV``.
    fine_space_ : dict
        The narrowed space the fine stage searched (lists for ``fine="grid"``, distributions
        for ``"random"``, skopt dimensions for ``"bayes"``); empty when it was skipped.

    See Also
    --------
    EpochHalvingSearchCV : successive halving with epochs as the budget.
    search_space : ready-made spaces for skdeep estimators.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdeep.model_selection import CoarseToFineSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = CoarseToFineSearchCV(
    ...     LogisticRegression(max_iter=1000), {"C": loguniform(1e-3, 1e3)},
    ...     n_coarse=8, n_fine=4, cv=3, random_state=0,
    ... ).fit(X, y)
    >>> list(search.cv_results_["stage"]).count("fine")
    4
    >>> bool(search.best_score_ > 0.9)
    True
    """

    _parameter_constraints: dict = {
        **BaseSearchCV._parameter_constraints,
        "param_distributions": [dict],
        "n_coarse": [Interval(Integral, 1, None, closed="left")],
        "n_fine": [Interval(Integral, 0, None, closed="left")],
        "fine": [StrOptions({"grid", "random", "bayes"})],
        "shrink": [Interval(Real, 0, 1, closed="right")],
        "top_k": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimator: Any,
        param_distributions: dict,
        *,
        n_coarse: int = 20,
        n_fine: int = 10,
        fine: str = "grid",
        shrink: float = 0.3,
        top_k: int = 3,
        scoring: Any = None,
        refit: bool | str | Any = True,
        cv: Any = None,
        n_jobs: int | None = None,
        random_state: Any = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        error_score: Any = np.nan,
        return_train_score: bool = False,
    ) -> None:
        super().__init__(
            estimator=estimator,
            scoring=scoring,
            n_jobs=n_jobs,
            refit=refit,
            cv=cv,
            verbose=verbose,
            pre_dispatch=pre_dispatch,
            error_score=error_score,
            return_train_score=return_train_score,
        )
        self.param_distributions = param_distributions
        self.n_coarse = n_coarse
        self.n_fine = n_fine
        self.fine = fine
        self.shrink = shrink
        self.top_k = top_k
        self.random_state = random_state

    def fit(self, X, y=None, **params) -> CoarseToFineSearchCV:
        """Run the coarse stage, then the fine stage, then refit the best candidate.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
        **params : dict
            Passed to the estimator's ``fit``, the scorer and the CV splitter, as in
            ``GridSearchCV.fit``.

        Returns
        -------
        self
        """
        self._validate_params()
        self._dims = {k: _to_dim(k, v) for k, v in self.param_distributions.items()}
        if self.fine == "bayes":
            _require_skopt()
        if self.verbose < 1:
            return super().fit(X, y, **params)
        with progress(desc="coarse") as bar, _quiet_search(self, bar):
            return super().fit(X, y, **params)

    def _expected_fits(self, n_splits: int) -> int:
        return (self.n_coarse + self.n_fine) * n_splits

    def _run_search(self, evaluate_candidates) -> None:
        rng = check_random_state(self.random_state)
        bar = getattr(self, "_progress_bar", None)
        if bar is not None:
            bar.set_total(self._expected_fits(self.n_splits_))
        dims = self._dims
        coarse = _sample(dims, self.n_coarse, rng)
        if bar is not None:  # a small grid may give fewer coarse candidates
            bar.set_total((len(coarse) + self.n_fine) * self.n_splits_)
        results = evaluate_candidates(coarse, more_results={"stage": ["coarse"] * len(coarse)})
        self.fine_space_ = {}
        if self.n_fine == 0:
            return
        key = _score_key(results, self.refit)
        scores = np.asarray(results[key], dtype=float)
        finite = np.flatnonzero(np.isfinite(scores))
        if finite.size == 0:
            warnings.warn(
                "Every coarse candidate failed to score, so there is no best region to narrow "
                "to; the fine stage is skipped.",
                UserWarning,
                stacklevel=3,
            )
            return
        order = finite[np.argsort(-scores[finite], kind="stable")]
        top = [results["params"][i] for i in order[: self.top_k]]
        best = top[0]
        narrowed = {
            name: dim.narrow(best[name], [t[name] for t in top], self.shrink)
            for name, dim in dims.items()
        }
        if bar is not None:
            bar.set_stage("fine")
        stage = {"grid": self._fine_grid, "random": self._fine_random, "bayes": self._fine_bayes}
        stage[self.fine](narrowed, results, key, evaluate_candidates, rng)

    # ---------------------------------------------------------------- fine stages
    def _fine_grid(self, dims, results, key, evaluate_candidates, rng) -> None:
        varying = [k for k, d in dims.items() if d.kind in ("real", "int") and d.low != d.high]
        fixed = {k: d.grid(1) for k, d in dims.items() if k not in varying}
        combos = math.prod(len(v) for v in fixed.values())
        n_points = 1
        if varying:
            n_points = max(2, int(math.floor((self.n_fine / combos) ** (1 / len(varying)) + 1e-9)))
        space = {**fixed, **{k: dims[k].grid(n_points) for k in varying}}
        self.fine_space_ = space
        tried = results["params"]
        grid = [c for c in ParameterGrid(space) if not any(_same_params(c, t) for t in tried)]
        if len(grid) > self.n_fine:
            chosen = np.sort(rng.choice(len(grid), size=self.n_fine, replace=False))
            grid = [grid[i] for i in chosen]
        bar = getattr(self, "_progress_bar", None)
        if bar is not None:  # already-tried points were dropped: the bar's total shrinks
            bar.set_total((len(tried) + len(grid)) * self.n_splits_)
        if grid:
            evaluate_candidates(grid, more_results={"stage": ["fine"] * len(grid)})

    def _fine_random(self, dims, results, key, evaluate_candidates, rng) -> None:
        self.fine_space_ = {name: dim.distribution() for name, dim in dims.items()}
        candidates = _sample(dims, self.n_fine, rng)
        evaluate_candidates(candidates, more_results={"stage": ["fine"] * len(candidates)})

    def _fine_bayes(self, dims, results, key, evaluate_candidates, rng) -> None:
        from skopt import Optimizer

        constants = {k: d.constant for k, d in dims.items() if d.constant is not _NOT_CONSTANT}
        names = [k for k in sorted(dims) if k not in constants]
        self.fine_space_ = {k: dims[k].skopt() for k in names}
        if not names:  # nothing left to optimise: one candidate
            evaluate_candidates([constants], more_results={"stage": ["fine"]})
            return
        optimizer = Optimizer(
            [self.fine_space_[k] for k in names],
            base_estimator="GP",
            n_initial_points=min(5, self.n_fine),
            random_state=rng.randint(np.iinfo(np.int32).max),
        )
        # warm start: every coarse result that lies inside the narrowed space
        xs, ys = [], []
        for params, score in zip(results["params"], results[key]):
            if np.isfinite(score) and all(dims[k].contains(params[k]) for k in dims):
                if all(_same(params[k], v) for k, v in constants.items()):
                    xs.append([_native(params[k]) for k in names])
                    ys.append(-float(score))
        if xs:
            optimizer.tell(xs, ys)
        batch = max(1, effective_n_jobs(self.n_jobs))
        remaining = self.n_fine
        while remaining > 0:
            n = min(batch, remaining)
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*has been evaluated at point.*")
                points = optimizer.ask(n_points=n) if n > 1 else [optimizer.ask()]
            candidates = [
                {**constants, **{k: _native(v) for k, v in zip(names, p)}} for p in points
            ]
            results = evaluate_candidates(candidates, more_results={"stage": ["fine"] * n})
            scores = np.asarray(results[key][-n:], dtype=float)
            worst = np.nanmin(results[key]) if np.isfinite(results[key]).any() else 0.0
            told = [-float(s) if np.isfinite(s) else -float(worst) for s in scores]
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*has been evaluated at point.*")
                optimizer.tell([list(p) for p in points], told)
            remaining -= n


def _native(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _same_params(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)


def _require_skopt() -> None:
    try:
        import skopt  # noqa: F401
    except ImportError as exc:  # pragma: no cover - skopt is a dependency
        raise ParameterError(
            "fine='bayes' needs scikit-optimize. Install it with `pip install "
            "scikit-optimize`, or use fine='grid' or 'random'. Received: fine='bayes'"
        ) from exc
