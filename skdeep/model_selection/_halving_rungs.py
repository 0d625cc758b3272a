"""Running the rungs of EpochHalvingSearchCV: the live candidates' fold models train one rung
further, and the best of them survive to the next."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils.parallel import Parallel, delayed

from ._halving_fold import _fit_and_score_increment
from ._halving_schedule import n_kept

__all__ = ["Folds", "run_rungs"]


@dataclass(frozen=True)
class Folds:
    """The searched data and its cross-validation splits, the same at every rung."""

    X: Any
    y: Any
    splits: list
    fit_params: dict


def run_rungs(
    search: Any,
    folds: Folds,
    candidates: list[dict],
    budgets: list[int],
    scorers: Any,
    prefix: str,
    bar: Any = None,
) -> list[dict]:
    """Train ``candidates`` rung by rung: one row per candidate and rung it reached.

    Parameters
    ----------
    search : EpochHalvingSearchCV
        Gives the estimator, ``factor``, ``refit``, ``error_score`` and the joblib settings.
    folds : Folds
    candidates : list of dict
        The parameters of the first rung's candidates.
    budgets : list of int
        Cumulative epochs of each rung (:func:`rung_budgets`).
    scorers : callable
        The (multi-metric) scorer of the search.
    prefix : str
        Parameter prefix of the final step (``"name__"`` in a ``Pipeline``).
    bar : ProgressBar, default=None

    Returns
    -------
    rows : list of dict
        ``iter``, ``candidate``, ``n_resources``, the per-fold ``scores``, ``fit_time``,
        ``score_time`` and ``n_epochs``, ``epochs_run`` (summed over folds) and ``failed``.

    Raises
    ------
    ValueError
        When every fit of a rung failed; failed fits otherwise give one ``UserWarning``.
    """
    rungs = _Rungs(search, folds, candidates, scorers, prefix, bar)
    rows = rungs.run(budgets)
    if rungs.failures:
        warnings.warn(
            f"{len(rungs.failures)} fits failed out of a total of {rungs.n_fits}. The score on "
            f"these folds is set to error_score={search.error_score}. The first error:\n"
            f"{rungs.failures[0]}",
            UserWarning,
            stacklevel=4,  # the caller of EpochHalvingSearchCV.fit
        )
    return rows


class _Rungs:
    """A run's state: the fold models of the live candidates, the rows so far, the failures."""

    def __init__(self, search, folds: Folds, candidates, scorers, prefix: str, bar) -> None:
        self.search, self.folds, self.candidates = search, folds, candidates
        self.scorers, self.prefix, self.bar = scorers, prefix, bar
        self.base = clone(search.estimator)
        self.n_splits = len(folds.splits)
        # fold models of live candidates
        self.states: dict[int, list] = {c: [None] * self.n_splits for c in range(len(candidates))}
        self.alive = list(range(len(candidates)))
        self.rows: list[dict] = []
        self.failures: list[str] = []
        self.n_fits = 0

    def run(self, budgets: list[int]) -> list[dict]:
        """Every rung in turn; the last one keeps no survivor."""
        search = self.search
        previous = 0
        with Parallel(n_jobs=search.n_jobs, pre_dispatch=search.pre_dispatch) as parallel:
            for it, budget in enumerate(budgets):
                stage = f"rung {it + 1}/{len(budgets)}"
                if self.bar is not None:
                    self.bar.set_stage(stage, unit_weight=budget - previous)
                rung = self._train(parallel, it, budget, budget - previous)
                ok = self._rank(rung, it, stage, budget)
                keep = n_kept(len(self.alive), search.factor)
                self._keep(ok[:keep] if it < len(budgets) - 1 else [])
                previous = budget
        return self.rows

    def _train(self, parallel, it: int, budget: int, increment: int) -> list[dict]:
        """Train the live candidates ``increment`` more epochs on every fold; their rows."""
        folds = self.folds
        tasks = [(c, f) for c in self.alive for f in range(self.n_splits)]
        out = parallel(
            delayed(_fit_and_score_increment)(
                self._model(c, f),
                folds.X,
                folds.y,
                folds.splits[f][0],
                folds.splits[f][1],
                increment,
                self.prefix,
                self.scorers,
                folds.fit_params,
                self.search.error_score,
            )
            for c, f in tasks
        )
        self.n_fits += len(out)
        for (c, f), result in zip(tasks, out):
            self.states[c][f] = result["estimator"]
            if result["error"] is not None:
                self.failures.append(result["error"])
        rung = [
            _row(it, c, budget, [out[i] for i, (cc, _) in enumerate(tasks) if cc == c])
            for c in self.alive
        ]
        self.rows.extend(rung)
        return rung

    def _model(self, c: int, f: int) -> Any:
        """The fold model of candidate ``c`` so far, or a new one set to warm-start."""
        if self.states[c][f] is not None:
            return self.states[c][f]
        return clone(self.base).set_params(
            **clone(self.candidates[c], safe=False), **{f"{self.prefix}warm_start": True}
        )

    def _rank(self, rung: list[dict], it: int, stage: str, budget: int) -> list[int]:
        """The candidates of the rung that did not fail, best first."""
        refit = self.search.refit
        ranking = _rank_rows(rung, refit)
        ok = [r["candidate"] for r in ranking if not r["failed"]]
        if not ok:
            raise ValueError(
                f"All the {len(rung) * self.n_splits} fits of rung {it} failed, so no candidate "
                f"can continue. The first error:\n{self.failures[-1]}"
            )
        if self.search.verbose >= 2:
            best = ranking[0]
            print(
                f"[EpochHalvingSearchCV] {stage}: "
                f"{len(self.alive)} candidates x {self.n_splits} folds at {budget} epochs; "
                f"best mean score {_mean_score(best, refit):.4f} "
                f"(candidate {best['candidate']})"
            )
        return ok

    def _keep(self, survivors: list[int]) -> None:
        """Go on with ``survivors`` only, freeing the fold models of the others."""
        for c in self.alive:
            if c not in survivors:
                self.states.pop(c, None)
        self.alive = sorted(survivors)


def _row(it: int, candidate: int, budget: int, results: list[dict]) -> dict:
    """One candidate's row of a rung, from the results of its folds."""
    return {
        "iter": it,
        "candidate": candidate,
        "n_resources": budget,
        "scores": [r["scores"] for r in results],
        "fit_time": [r["fit_time"] for r in results],
        "score_time": [r["score_time"] for r in results],
        "n_epochs": [r["n_epochs"] for r in results],
        "epochs_run": sum(r["epochs_run"] for r in results),
        "failed": any(r["error"] is not None for r in results),
    }


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
