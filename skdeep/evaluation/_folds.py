"""Fitting the folds of a study (each in one task, its model dropped at once) and the table
of their results."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone

from ..utils._compat import _safe_indexing
from ..utils._pipeline import final_step, fold_params, num_samples

__all__ = ["run_folds", "tabulate"]

#: Result name -> (reported name, sign): how a fold's scorer values are reported.
Shown = Mapping[str, tuple[str, float]]


def _shown(scores: Mapping[str, float], shown: Shown) -> dict[str, float]:
    out = {}
    for name, value in scores.items():
        new, sign = shown.get(name, (name, 1.0))
        out[new] = sign * value if sign != 1.0 else value
    return out


def _run_fold(
    estimator: Any,
    X: Any,
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    scorer: Callable,
    fit_params: Mapping[str, Any],
    return_train_score: bool,
    shown: Shown,
) -> dict[str, Any]:
    """Clone, fit, score and predict one fold; returns plain data only (no model)."""
    est = clone(estimator)
    X_train, X_test = _safe_indexing(X, train), _safe_indexing(X, test)
    y_train, y_test = y[train], y[test]
    start = time.time()
    est.fit(X_train, y_train, **fold_params(fit_params, num_samples(X), train))
    fit_time = time.time() - start
    start = time.time()
    test_scores = _shown(scorer(est, X_test, y_test), shown)
    score_time = time.time() - start
    out: dict[str, Any] = {
        "test_scores": test_scores,
        "fit_time": fit_time,
        "score_time": score_time,
        "y_pred": np.asarray(est.predict(X_test)),
    }
    if return_train_score:
        out["train_scores"] = _shown(scorer(est, X_train, y_train), shown)
    final = final_step(est, unwrap_search=True)[0]
    history = getattr(final, "history_", None)
    if history is not None:
        out["history"] = {k: [float(v) for v in vals] for k, vals in history.items()}
        out["n_epochs"] = getattr(final, "n_epochs_", None)
        out["best_epoch"] = getattr(final, "best_epoch_", None)
    del est, final
    return out


def run_folds(
    estimator, X, y, splits, scorer, fit_params, return_train_score, n_jobs, verbose, shown
) -> list[dict]:
    """Every fold's scores (reported as ``shown`` says), times, predictions and history."""
    tasks = (
        delayed(_run_fold)(
            estimator, X, y, train, test, scorer, fit_params, return_train_score, shown
        )
        for train, test in splits
    )
    results = []
    for i, result in enumerate(Parallel(n_jobs=n_jobs, return_as="generator")(tasks)):
        results.append(result)
        if verbose:
            scores = ", ".join(f"{k}={v:.3f}" for k, v in result["test_scores"].items())
            epochs = f", {result['n_epochs']} epochs" if result.get("n_epochs") is not None else ""
            print(
                f"fit {i + 1}/{len(splits)}: {scores} ({result['fit_time']:.1f} s{epochs})",
                flush=True,
            )
    return results


def tabulate(
    splits: list,
    results: list[dict],
    metrics: list[str],
    per_repeat: int,
    n_repeats: int,
    return_train_score: bool,
) -> tuple[pd.DataFrame, list[dict]]:
    """The per-fold table and the training histories (empty without a skdeep final step)."""
    rows, histories = [], []
    skdeep_final = any("history" in r for r in results)
    for i, ((train, test), result) in enumerate(zip(splits, results)):
        row: dict[str, Any] = {"split": i}
        if n_repeats > 1:
            row["repeat"], row["fold"] = divmod(i, per_repeat)
        else:
            row["fold"] = i
        row["n_train"], row["n_test"] = len(train), len(test)
        row.update({m: result["test_scores"][m] for m in metrics})
        if return_train_score:
            row.update({f"train_{m}": result["train_scores"][m] for m in metrics})
        row["fit_time"], row["score_time"] = result["fit_time"], result["score_time"]
        if skdeep_final:
            row["n_epochs"] = result.get("n_epochs")
            row["best_epoch"] = result.get("best_epoch")
            histories.append(result.get("history", {}))
        rows.append(row)
    folds = pd.DataFrame(rows)
    if skdeep_final:
        folds["n_epochs"] = folds["n_epochs"].astype("Int64")
        folds["best_epoch"] = pd.array(
            [pd.NA if v is None else int(v) for v in folds["best_epoch"]], dtype="Int64"
        )
    return folds, histories
