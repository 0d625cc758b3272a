"""CoarseToFineSearchCV: a wide random search, then a narrow search around the best region.

The search class and its fine stages; the parameter space (ranges, sampling, narrowing) is in
:mod:`._narrowing`.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from numbers import Integral, Real
from typing import Any

import numpy as np
from joblib import effective_n_jobs
from sklearn.model_selection import ParameterGrid
from sklearn.utils import check_random_state

from ..exceptions import ParameterError
from ..utils._compat import BaseSearchCV, Interval, StrOptions
from ._narrowing import _NOT_CONSTANT, _same, _same_params, _sample, _to_dim, narrow_space
from ._narrowing import _Dim as _Dim  # re-exported: imported from this module too
from ._progress import progress

__all__ = ["CoarseToFineSearchCV"]


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
    >>> import scipy.stats
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdeep.model_selection import CoarseToFineSearchCV
    >>> X, y = load_iris(return_X_y=True)
    >>> search = CoarseToFineSearchCV(
    ...     LogisticRegression(max_iter=1000), {"C": scipy.stats.loguniform(1e-3, 1e3)},
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
        narrowed = narrow_space(dims, top, self.shrink)
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
        xs, ys = _points_inside(dims, constants, names, results, key)
        if xs:
            optimizer.tell(xs, ys)
        self._ask_and_tell(optimizer, constants, names, key, evaluate_candidates)

    def _ask_and_tell(self, optimizer, constants, names, key, evaluate_candidates) -> None:
        """Evaluate the ``n_fine`` candidates ``optimizer`` asks for, ``n_jobs`` at a time."""
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


def _points_inside(dims, constants: dict, names: list, results: dict, key: str) -> tuple:
    """The coarse results inside the narrowed space, as skopt points and losses."""
    xs, ys = [], []
    for params, score in zip(results["params"], results[key]):
        if np.isfinite(score) and all(dims[k].contains(params[k]) for k in dims):
            if all(_same(params[k], v) for k, v in constants.items()):
                xs.append([_native(params[k]) for k in names])
                ys.append(-float(score))
    return xs, ys


def _native(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _require_skopt() -> None:
    try:
        import skopt  # noqa: F401
    except ImportError as exc:  # pragma: no cover - skopt is a dependency
        raise ParameterError(
            "fine='bayes' needs scikit-optimize. Install it with `pip install "
            "scikit-optimize`, or use fine='grid' or 'random'. Received: fine='bayes'"
        ) from exc
