"""EpochHalvingSearchCV: successive halving with epochs as the budget and warm-started survivors."""

from __future__ import annotations

import math
import time
import traceback
import warnings
from numbers import Integral, Real
from typing import Any

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.model_selection import ParameterGrid, ParameterSampler, check_cv
from sklearn.utils import check_random_state, indexable
from sklearn.utils.parallel import Parallel, delayed

from ..base import park
from ..exceptions import ParameterError, describe
from ..utils._compat import BaseSearchCV, HasMethods, Interval, StrOptions, _safe_indexing
from ..utils._pipeline import final_step, fold_params
from ._progress import progress

__all__ = ["EpochHalvingSearchCV", "rung_budgets"]


def rung_budgets(min_epochs: int, max_epochs: int, factor: float) -> list[int]:
    """Cumulative epoch budgets of the rungs: ``max_epochs / factor**k``, at least ``min_epochs``.

    Examples
    --------
    >>> rung_budgets(3, 81, 3)
    [3, 9, 27, 81]
    >>> rung_budgets(1, 30, 3)
    [1, 3, 10, 30]
    """
    n = 1
    while max_epochs / factor**n >= min_epochs:
        n += 1
    return sorted({max(1, int(round(max_epochs / factor**k))) for k in range(n)})


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

    def _check_space(self, prefix: str) -> list[dict]:
        spaces = self.param_distributions
        spaces = spaces if isinstance(spaces, list) else [spaces]
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

    def _candidates(self, spaces: list[dict], n_rungs: int, rng) -> list[dict]:
        exhaust = self.n_candidates == "exhaust"
        if all(not hasattr(v, "rvs") for s in spaces for v in s.values()):
            grid = list(ParameterGrid(spaces))
            if exhaust or self.n_candidates >= len(grid):
                return grid
            chosen = np.sort(rng.choice(len(grid), size=self.n_candidates, replace=False))
            return [grid[i] for i in chosen]
        n = int(math.ceil(self.factor ** (n_rungs - 1) - 1e-9)) if exhaust else self.n_candidates
        return list(ParameterSampler(spaces, n, random_state=rng))

    def _expected_fits(self, n_splits: int) -> int:
        budgets = rung_budgets(self.min_epochs, self.max_epochs, self.factor)
        spaces = self.param_distributions
        spaces = spaces if isinstance(spaces, list) else [spaces]
        if all(not hasattr(v, "rvs") for s in spaces for v in s.values()):
            n = len(ParameterGrid(spaces))
            if self.n_candidates != "exhaust":
                n = min(n, self.n_candidates)
        elif self.n_candidates == "exhaust":
            n = int(math.ceil(self.factor ** (len(budgets) - 1) - 1e-9))
        else:
            n = self.n_candidates
        return sum(self._survivor_counts(n, len(budgets))) * n_splits

    def _survivor_counts(self, n: int, n_rungs: int) -> list[int]:
        counts = [n]
        for _ in range(n_rungs - 1):
            counts.append(max(1, int(math.ceil(counts[-1] / self.factor - 1e-9))))
        return counts

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
        if self.max_epochs < self.min_epochs:
            raise ParameterError(
                "max_epochs must be at least min_epochs. Expected min_epochs <= max_epochs. "
                f"Received: min_epochs={self.min_epochs}, max_epochs={self.max_epochs}"
            )
        prefix = self._prefix()
        spaces = self._check_space(prefix)
        scorers, refit_metric = self._get_scorers()
        X, y, groups = indexable(X, y, groups)
        cv = check_cv(self.cv, y, classifier=is_classifier(self.estimator))
        splits = list(cv.split(X, y, groups))
        self.n_splits_ = len(splits)
        rng = check_random_state(self.random_state)
        budgets = rung_budgets(self.min_epochs, self.max_epochs, self.factor)
        candidates = self._candidates(spaces, len(budgets), rng)
        if not candidates:
            raise ParameterError(
                "param_distributions gives no candidate to search. Expected at least one "
                f"parameter setting. Received: param_distributions={describe(spaces)}"
            )
        counts = self._survivor_counts(len(candidates), len(budgets))
        increments = np.diff([0, *budgets])
        if self.verbose >= 1:
            with progress(desc="epoch halving") as bar:
                bar.set_total(
                    sum(counts) * self.n_splits_,
                    units=float(np.dot(counts, increments)) * self.n_splits_,
                )
                rows = self._run_rungs(
                    X, y, splits, candidates, budgets, scorers, fit_params, prefix, bar
                )
        else:
            rows = self._run_rungs(
                X, y, splits, candidates, budgets, scorers, fit_params, prefix, None
            )
        results = self._format(rows, candidates)
        first = rows[0]["scores"][0]
        self.multimetric_ = isinstance(first, dict)
        if callable(self.scoring) and self.multimetric_:
            self._check_refit_for_multimetric(first)
            refit_metric = self.refit
        self.cv_results_ = results
        self.n_resources_ = budgets[: max(r["iter"] for r in rows) + 1]
        self.n_candidates_ = [
            sum(r["iter"] == i for r in rows) for i in range(len(self.n_resources_))
        ]
        self.n_iterations_ = len(self.n_resources_)
        self.n_remaining_candidates_ = self.n_candidates_[-1]
        self.n_epochs_total_ = int(sum(r["epochs_run"] for r in rows))
        self.scorer_ = getattr(scorers, "_scorers", scorers)
        if self.refit or not self.multimetric_:
            self.best_index_ = int(self._select_best_index(self.refit, refit_metric, results))
            if not callable(self.refit):
                self.best_score_ = float(results[f"mean_test_{refit_metric}"][self.best_index_])
            self.best_params_ = results["params"][self.best_index_]
        if self.refit:
            epochs = int(results["n_resources"][self.best_index_])
            self.best_estimator_ = clone(self.estimator).set_params(
                **clone(self.best_params_, safe=False), **{f"{prefix}epochs": epochs}
            )
            start = time.perf_counter()
            if y is None:
                self.best_estimator_.fit(X, **fit_params)
            else:
                self.best_estimator_.fit(X, y, **fit_params)
            self.refit_time_ = time.perf_counter() - start
            if hasattr(self.best_estimator_, "feature_names_in_"):
                self.feature_names_in_ = self.best_estimator_.feature_names_in_
        return self

    def _run_rungs(self, X, y, splits, candidates, budgets, scorers, fit_params, prefix, bar):
        base = clone(self.estimator)
        n_splits = len(splits)
        states: dict[int, list] = {
            c: [None] * n_splits for c in range(len(candidates))
        }  # fold models of live candidates
        alive = list(range(len(candidates)))
        rows: list[dict] = []
        failures: list[str] = []
        n_fits = 0
        previous = 0
        with Parallel(n_jobs=self.n_jobs, pre_dispatch=self.pre_dispatch) as parallel:
            for it, budget in enumerate(budgets):
                increment = budget - previous
                if bar is not None:
                    bar.set_stage(f"rung {it + 1}/{len(budgets)}", unit_weight=increment)
                tasks = [(c, f) for c in alive for f in range(n_splits)]
                out = parallel(
                    delayed(_fit_and_score_increment)(
                        states[c][f]
                        if states[c][f] is not None
                        else clone(base).set_params(
                            **clone(candidates[c], safe=False), **{f"{prefix}warm_start": True}
                        ),
                        X,
                        y,
                        splits[f][0],
                        splits[f][1],
                        increment,
                        prefix,
                        scorers,
                        fit_params,
                        self.error_score,
                    )
                    for c, f in tasks
                )
                n_fits += len(out)
                for (c, f), result in zip(tasks, out):
                    states[c][f] = result["estimator"]
                    if result["error"] is not None:
                        failures.append(result["error"])
                for c in alive:
                    res = [out[i] for i, (cc, _) in enumerate(tasks) if cc == c]
                    rows.append(
                        {
                            "iter": it,
                            "candidate": c,
                            "n_resources": budget,
                            "scores": [r["scores"] for r in res],
                            "fit_time": [r["fit_time"] for r in res],
                            "score_time": [r["score_time"] for r in res],
                            "n_epochs": [r["n_epochs"] for r in res],
                            "epochs_run": sum(r["epochs_run"] for r in res),
                            "failed": any(r["error"] is not None for r in res),
                        }
                    )
                this_rung = rows[-len(alive) :]
                ranking = _rank_rows(this_rung, self.refit)
                ok = [r["candidate"] for r in ranking if not r["failed"]]
                if not ok:
                    raise ValueError(
                        f"All the {len(tasks)} fits of rung {it} failed, so no candidate can "
                        f"continue. The first error:\n{failures[-1]}"
                    )
                if self.verbose >= 2:
                    best = ranking[0]
                    print(
                        f"[EpochHalvingSearchCV] rung {it + 1}/{len(budgets)}: "
                        f"{len(alive)} candidates x {n_splits} folds at {budget} epochs; "
                        f"best mean score {_mean_score(best, self.refit):.4f} "
                        f"(candidate {best['candidate']})"
                    )
                keep = max(1, int(math.ceil(len(alive) / self.factor - 1e-9)))
                survivors = ok[:keep] if it < len(budgets) - 1 else []
                for c in alive:
                    if c not in survivors:
                        states.pop(c, None)  # free the fold models of eliminated candidates
                alive = sorted(survivors)
                previous = budget
        if failures:
            warnings.warn(
                f"{len(failures)} fits failed out of a total of {n_fits}. The score on these "
                f"folds is set to error_score={self.error_score}. The first error:\n{failures[0]}",
                UserWarning,
                stacklevel=3,
            )
        return rows

    def _format(self, rows: list[dict], candidates: list[dict]) -> dict:
        n_splits = self.n_splits_
        results: dict[str, Any] = {
            "iter": np.array([r["iter"] for r in rows]),
            "n_resources": np.array([r["n_resources"] for r in rows]),
            "candidate": np.array([r["candidate"] for r in rows]),
            "n_epochs_trained": np.array([_mean_finite(r["n_epochs"]) for r in rows]),
        }
        for key in ("fit_time", "score_time"):
            values = np.array([r[key] for r in rows], dtype=float)
            results[f"mean_{key}"] = values.mean(axis=1)
            results[f"std_{key}"] = values.std(axis=1)
        params = [candidates[r["candidate"]] for r in rows]
        names = sorted({k for p in params for k in p})
        for name in names:
            column = np.ma.MaskedArray(np.empty(len(params), dtype=object), mask=True)
            for i, p in enumerate(params):
                if name in p:
                    column[i] = p[name]
            results[f"param_{name}"] = column
        results["params"] = params
        metrics = sorted(rows[0]["scores"][0]) if isinstance(rows[0]["scores"][0], dict) else None
        iters = results["iter"]
        for metric in metrics or ["score"]:
            split = np.array(
                [[s[metric] if metrics else s for s in r["scores"]] for r in rows], dtype=float
            ).reshape(len(rows), n_splits)
            for k in range(n_splits):
                results[f"split{k}_test_{metric}"] = split[:, k]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = split.mean(axis=1)
                std = split.std(axis=1)
            results[f"mean_test_{metric}"] = mean
            results[f"std_test_{metric}"] = std
            results[f"rank_test_{metric}"] = _rank_latest_first(iters, mean)
        return results


def _mean_finite(values) -> float:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else float("nan")


def _rank_latest_first(iters: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Ranks (1 = best) with rows of later rungs first, then by score; NaN last in a rung."""
    filled = np.where(np.isfinite(mean), mean, -np.inf)
    keys = list(zip(-iters, -filled))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ranks = np.empty(len(keys), dtype=np.int32)
    for position, i in enumerate(order):
        same = position > 0 and keys[i] == keys[order[position - 1]]
        ranks[i] = ranks[order[position - 1]] if same else position + 1
    return ranks


def _rank_rows(rows: list[dict], refit: Any) -> list[dict]:
    """Rows sorted best first by the refit metric (failed or NaN last, ties by candidate)."""

    def key(row):
        score = _mean_score(row, refit)
        return (not np.isfinite(score), -score if np.isfinite(score) else 0.0, row["candidate"])

    return sorted(rows, key=key)


def _mean_score(row: dict, refit: Any) -> float:
    scores = row["scores"]
    if isinstance(scores[0], dict):
        metric = refit if isinstance(refit, str) and refit in scores[0] else sorted(scores[0])[0]
        values = [s[metric] for s in scores]
    else:
        values = scores
    values = np.asarray(values, dtype=float)
    return float(values.mean()) if np.all(np.isfinite(values)) else float("nan")


def _fit_and_score_increment(
    estimator, X, y, train, test, epochs, prefix, scorer, fit_params, error_score
) -> dict:
    """Train ``estimator`` for ``epochs`` more epochs on the fold and score it."""
    estimator.set_params(**{f"{prefix}epochs": int(epochs)})
    final = final_step(estimator)[0]
    before = getattr(final, "n_epochs_", 0)
    X_train, X_test = _safe_indexing(X, train), _safe_indexing(X, test)
    y_train = None if y is None else _safe_indexing(y, train)
    y_test = None if y is None else _safe_indexing(y, test)
    params = fold_params(fit_params, len(X), train)
    start = time.perf_counter()
    try:
        if y_train is None:
            estimator.fit(X_train, **params)
        else:
            estimator.fit(X_train, y_train, **params)
    except Exception:
        if error_score == "raise":
            raise
        fit_time = time.perf_counter() - start
        names = getattr(scorer, "_scorers", None)
        scores = {n: error_score for n in names} if names else error_score
        return {
            "estimator": None,
            "scores": scores,
            "fit_time": fit_time,
            "score_time": 0.0,
            "n_epochs": np.nan,
            "epochs_run": 0,
            "error": traceback.format_exc(),
        }
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    try:
        scores = scorer(estimator, X_test, y_test)
    except Exception:
        if error_score == "raise":
            raise
        names = getattr(scorer, "_scorers", None)
        scores = {n: error_score for n in names} if names else error_score
    # a multi-metric scorer reports a failing metric as its traceback text
    if isinstance(scores, dict):
        scores = {k: error_score if isinstance(v, str) else float(v) for k, v in scores.items()}
    else:
        scores = float(scores)
    n_epochs = int(getattr(final, "n_epochs_", 0))
    # keep NumPy state, not a compiled model, per (candidate, fold) between rungs: the next
    # rung continues it in a pooled model of its architecture
    park(final)
    return {
        "estimator": estimator,
        "scores": scores,
        "fit_time": fit_time,
        "score_time": time.perf_counter() - start,
        "n_epochs": n_epochs,
        "epochs_run": n_epochs - before,
        "error": None,
    }
