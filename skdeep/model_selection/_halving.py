"""EpochHalvingSearchCV: successive halving with epochs as the budget and warm-started survivors.

The search class; the schedule of the rungs is in :mod:`._halving_schedule`, running them in
:mod:`._halving_rungs` (one fold's task in :mod:`._halving_fold`) and ``cv_results_`` in
:mod:`._halving_results`.
"""

from __future__ import annotations

import time
from functools import partial
from numbers import Integral, Real
from typing import Any

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import check_cv
from sklearn.utils import check_random_state, indexable

from ..exceptions import ParameterError, describe
from ..utils._compat import BaseSearchCV, HasMethods, Interval, StrOptions
from ..utils._pipeline import final_step
from ._halving_fold import fit_xy
from ._halving_results import format_results
from ._halving_rungs import Folds, run_rungs
from ._halving_schedule import draw_candidates, first_rung_size, rung_budgets, survivor_counts
from ._progress import progress

__all__ = ["EpochHalvingSearchCV", "rung_budgets"]


class EpochHalvingSearchCV(BaseSearchCV):
    """Successive halving over epochs, where the surviving candidates *continue* training.

    Every candidate starts with ``min_epochs``-ish epochs of training on each of the ``cv``
    folds and is scored on the held-out fold. The best ``1/factor`` of the candidates survive
    to the next rung, where their fold models train ``factor`` times as many epochs in total
    by continuing from where they stopped (``warm_start``), not from scratch. The last rung
    trains the remaining candidates to ``max_epochs``. Budgets are
    ``max_epochs / factor**k`` epochs (see :func:`rung_budgets`), so the search costs a few
    full-length trainings instead of one per candidate.

    The estimator must be a skdeep estimator (it needs ``epochs`` and ``warm_start``), or a
    ``Pipeline`` ending in one; the preprocessing steps are refitted on the same fold at each
    rung, which gives the same result.

    Parameters
    ----------
    estimator : skdeep estimator or Pipeline ending in one
    param_distributions : dict or list of dicts
        Lists of values (searched as a grid when every value is a list) or scipy.stats
        distributions, as in ``RandomizedSearchCV``. ``epochs`` and ``warm_start`` are set by
        the search and may not appear.
    n_candidates : int or "exhaust", default="exhaust"
        Candidates in the first rung. "exhaust": every grid point for a grid, otherwise
        ``factor ** (n_rungs - 1)`` so that one candidate is left for the last rung.
    min_epochs : int, default=3
        Lower bound on the first rung's budget.
    max_epochs : int, default=81
        Budget of the last rung (epochs the winner has trained).
    factor : float > 1, default=3
        Budget multiplier between rungs, and the inverse of the fraction that survives.
    cv : int, cross-validation generator or iterable, default=5
        The same folds are used at every rung (each fold's model keeps training).
    scoring : str, callable, list, tuple or dict, default=None
        As in ``GridSearchCV``; with several metrics ``refit`` names the one that decides
        who survives.
    refit : bool, str or callable, default=True
        Refit the best candidate on the whole data for the epochs it reached.
    n_jobs : int, default=None
        Parallel (candidate, fold) fits per rung.
    random_state : int, RandomState instance or None, default=None
        Seeds the sampling of candidates.
    verbose : int, default=0
        0 silent; 1 a progress bar on stderr (fits done, elapsed, time left weighted by
        epochs); 2 also one line per rung on stdout.
    pre_dispatch : int or str, default="2*n_jobs"
    error_score : "raise" or float, default=np.nan
        Score of a failed fit; a candidate with a failed fold never survives.

    Attributes
    ----------
    cv_results_ : dict of numpy (masked) ndarrays
        One row per candidate and rung: ``iter`` (rung), ``n_resources`` (epochs trained so
        far, the rung budget), ``n_epochs_trained`` (epochs the fold models actually ran,
        averaged over folds: below the budget only with early stopping), ``candidate``
        (index of the candidate), ``params``, ``param_<name>``, ``split<k>_test_<metric>``,
        ``mean_test_<metric>``, ``std_test_<metric>``, ``rank_test_<metric>`` (rows of later
        rungs rank first), ``mean_fit_time``/``std_fit_time`` (of that rung's training),
        ``mean_score_time``/``std_score_time``.
    best_estimator_ : estimator
        The best candidate refitted on all data for ``n_resources`` epochs of its best row.
    best_score_ : float
        Mean cross-validated score of the best candidate at the last rung it reached.
    best_params_ : dict
    best_index_ : int
        Row of ``cv_results_`` of the best candidate.
    n_epochs_total_ : int
        Training epochs spent by the search, summed over candidates, folds and rungs (the
        final refit not included).
    n_resources_ : list of int
        Epoch budget of each rung.
    n_candidates_ : list of int
        Candidates trained at each rung.
    n_iterations_ : int
    n_splits_ : int
    scorer_, multimetric_, refit_time_
        As in ``GridSearchCV``.

    See Also
    --------
    sklearn.model_selection.HalvingRandomSearchCV : restarts every candidate at each rung.
    CoarseToFineSearchCV : narrow search around the best coarse region.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdeep import ANNClassifier
    >>> from skdeep.model_selection import EpochHalvingSearchCV
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> pipe = make_pipeline(StandardScaler(), ANNClassifier(random_state=0))
    >>> search = EpochHalvingSearchCV(
    ...     pipe, {"annclassifier__units": [8, 32, 128]},
    ...     min_epochs=2, max_epochs=6, factor=3, cv=3,
    ... ).fit(X, y)
    >>> search.n_resources_, search.n_candidates_
    ([2, 6], [3, 1])
    >>> search.n_epochs_total_  # 3 candidates x 3 folds x 2 + 1 x 3 x 4
    30
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "set_params"])],
        "param_distributions": [dict, list],
        "n_candidates": [Interval(Integral, 1, None, closed="left"), StrOptions({"exhaust"})],
        "min_epochs": [Interval(Integral, 1, None, closed="left")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "factor": [Interval(Real, 1, None, closed="neither")],
        "cv": ["cv_object"],
        "scoring": BaseSearchCV._parameter_constraints["scoring"],
        "refit": ["boolean", str, callable],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "pre_dispatch": [Integral, str],
        "error_score": [StrOptions({"raise"}), Real],
    }

    def __init__(
        self,
        estimator: Any,
        param_distributions: dict | list,
        *,
        n_candidates: int | str = "exhaust",
        min_epochs: int = 3,
        max_epochs: int = 81,
        factor: float = 3,
        cv: Any = 5,
        scoring: Any = None,
        refit: bool | str | Any = True,
        n_jobs: int | None = None,
        random_state: Any = None,
        verbose: int = 0,
        pre_dispatch: int | str = "2*n_jobs",
        error_score: Any = np.nan,
    ) -> None:
        self.estimator = estimator
        self.param_distributions = param_distributions
        self.n_candidates = n_candidates
        self.min_epochs = min_epochs
        self.max_epochs = max_epochs
        self.factor = factor
        self.cv = cv
        self.scoring = scoring
        self.refit = refit
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose
        self.pre_dispatch = pre_dispatch
        self.error_score = error_score

    # ------------------------------------------------------------------ setup
    def _prefix(self) -> str:
        final, prefix = final_step(self.estimator)
        names = final.get_params(deep=False) if hasattr(final, "get_params") else {}
        if "epochs" not in names or "warm_start" not in names:
            raise ParameterError(
                "EpochHalvingSearchCV trains survivors further with warm_start, so it needs an "
                "estimator with `epochs` and `warm_start` parameters (a skdeep estimator, or a "
                f"Pipeline ending in one). Received: estimator={describe(self.estimator)}"
            )
        return prefix

    def _check_epochs(self) -> None:
        if self.max_epochs < self.min_epochs:
            raise ParameterError(
                "max_epochs must be at least min_epochs. Expected min_epochs <= max_epochs. "
                f"Received: min_epochs={self.min_epochs}, max_epochs={self.max_epochs}"
            )

    def _spaces(self) -> list[dict]:
        spaces = self.param_distributions
        return spaces if isinstance(spaces, list) else [spaces]

    def _check_space(self, prefix: str) -> list[dict]:
        spaces = self._spaces()
        for space in spaces:
            if not isinstance(space, dict):
                raise ParameterError(
                    "param_distributions must be a dict or a list of dicts. "
                    f"Received: an element {describe(space)}"
                )
            reserved = [k for k in space if k in (f"{prefix}epochs", f"{prefix}warm_start")]
            if reserved:
                raise ParameterError(
                    "epochs and warm_start are set by EpochHalvingSearchCV (epochs is the "
                    "budget: use min_epochs/max_epochs). Expected them outside "
                    f"param_distributions. Received: {reserved}"
                )
        return spaces

    def _candidates(self, spaces: list[dict], n_rungs: int) -> list[dict]:
        rng = check_random_state(self.random_state)
        candidates = draw_candidates(spaces, self.n_candidates, self.factor, n_rungs, rng)
        if not candidates:
            raise ParameterError(
                "param_distributions gives no candidate to search. Expected at least one "
                f"parameter setting. Received: param_distributions={describe(spaces)}"
            )
        return candidates

    def _expected_fits(self, n_splits: int) -> int:
        n_rungs = len(rung_budgets(self.min_epochs, self.max_epochs, self.factor))
        n = first_rung_size(self._spaces(), self.n_candidates, self.factor, n_rungs)
        return sum(survivor_counts(n, n_rungs, self.factor)) * n_splits

    # ------------------------------------------------------------------ fit
    def fit(self, X, y=None, *, groups=None, **fit_params) -> EpochHalvingSearchCV:
        """Run the rungs, then refit the best candidate on all of ``X, y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
        groups : array-like of shape (n_samples,), default=None
            Group labels for group-aware ``cv`` splitters.
        **fit_params : dict
            Passed to the estimator's ``fit``; per-sample arrays (``sample_weight``) are
            split with the folds.

        Returns
        -------
        self
        """
        self._validate_params()
        self._check_epochs()
        prefix = self._prefix()
        spaces = self._check_space(prefix)
        scorers, refit_metric = self._get_scorers()
        X, y, groups = indexable(X, y, groups)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = list(cv.split(X, y, groups))
        self.n_splits_ = len(splits)
        budgets = rung_budgets(self.min_epochs, self.max_epochs, self.factor)
        candidates = self._candidates(spaces, len(budgets))
        folds = Folds(X, y, splits, fit_params)
        rows = self._run_rungs(folds, candidates, budgets, scorers, prefix)
        results = format_results(rows, candidates, self.n_splits_)
        refit_metric = self._check_multimetric(rows[0]["scores"][0], refit_metric)
        self.cv_results_ = results
        self._store_rungs(rows, budgets)
        self.scorer_ = getattr(scorers, "_scorers", scorers)
        if self.refit or not self.multimetric_:
            self._select_best(refit_metric)
        if self.refit:
            self._refit_best(X, y, fit_params, prefix)
        return self

    def _run_rungs(self, folds: Folds, candidates, budgets, scorers, prefix: str) -> list[dict]:
        """:func:`run_rungs`, under a progress bar when ``verbose`` asks for one."""
        run = partial(run_rungs, self, folds, candidates, budgets, scorers, prefix)
        if self.verbose < 1:
            return run(None)
        counts = survivor_counts(len(candidates), len(budgets), self.factor)
        increments = np.diff([0, *budgets])
        with progress(desc="epoch halving") as bar:
            bar.set_total(
                sum(counts) * self.n_splits_,
                units=float(np.dot(counts, increments)) * self.n_splits_,
            )
            return run(bar)

    def _check_multimetric(self, first_scores: Any, refit_metric: Any) -> Any:
        """Set ``multimetric_`` from a fold's scores; the metric that ranks candidates."""
        self.multimetric_ = isinstance(first_scores, dict)
        if callable(self.scoring) and self.multimetric_:
            self._check_refit_for_multimetric(first_scores)
            return self.refit
        return refit_metric

    def _store_rungs(self, rows: list[dict], budgets: list[int]) -> None:
        """The attributes that describe the rungs the search ran."""
        self.n_resources_ = budgets[: max(r["iter"] for r in rows) + 1]
        self.n_candidates_ = [
            sum(r["iter"] == i for r in rows) for i in range(len(self.n_resources_))
        ]
        self.n_iterations_ = len(self.n_resources_)
        self.n_remaining_candidates_ = self.n_candidates_[-1]
        self.n_epochs_total_ = int(sum(r["epochs_run"] for r in rows))

    def _select_best(self, refit_metric: Any) -> None:
        results = self.cv_results_
        self.best_index_ = int(self._select_best_index(self.refit, refit_metric, results))
        if not callable(self.refit):
            self.best_score_ = float(results[f"mean_test_{refit_metric}"][self.best_index_])
        self.best_params_ = results["params"][self.best_index_]

    def _refit_best(self, X, y, fit_params: dict, prefix: str) -> None:
        """Fit the best candidate on all the data for the epochs its best row reached."""
        epochs = int(self.cv_results_["n_resources"][self.best_index_])
        self.best_estimator_ = clone(self.estimator).set_params(
            **clone(self.best_params_, safe=False), **{f"{prefix}epochs": epochs}
        )
        start = time.perf_counter()
        fit_xy(self.best_estimator_, X, y, fit_params)
        self.refit_time_ = time.perf_counter() - start
        if hasattr(self.best_estimator_, "feature_names_in_"):
            self.feature_names_in_ = self.best_estimator_.feature_names_in_
