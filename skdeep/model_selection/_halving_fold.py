"""One task of EpochHalvingSearchCV: train a fold model more epochs, then score it."""

from __future__ import annotations

import time
import traceback
from typing import Any

import numpy as np

from ..base import SkdeepEstimator
from ..utils._compat import _safe_indexing
from ..utils._pipeline import final_step, fold_params

__all__ = ["_fit_and_score_increment", "fit_xy"]


def fit_xy(estimator: Any, X: Any, y: Any, params: dict) -> Any:
    """``estimator.fit(X, y, **params)``, or ``estimator.fit(X, **params)`` when ``y`` is None."""
    if y is None:
        return estimator.fit(X, **params)
    return estimator.fit(X, y, **params)


# The progress hook counts the tasks of this name (``_joblib_hook.COUNTED_TASKS``).
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
        fit_xy(estimator, X_train, y_train, params)
    except Exception:
        if error_score == "raise":
            raise
        return _failed_fit(scorer, error_score, time.perf_counter() - start)
    fit_time = time.perf_counter() - start
    start = time.perf_counter()
    scores = _score(estimator, X_test, y_test, scorer, error_score)
    n_epochs = int(getattr(final, "n_epochs_", 0))
    # keep NumPy state, not a compiled model, per (candidate, fold) between rungs: the next
    # rung continues it in a pooled model of its architecture
    if isinstance(final, SkdeepEstimator):
        final._park_training_state()
    return {
        "estimator": estimator,
        "scores": scores,
        "fit_time": fit_time,
        "score_time": time.perf_counter() - start,
        "n_epochs": n_epochs,
        "epochs_run": n_epochs - before,
        "error": None,
    }


def _failed_fit(scorer: Any, error_score: Any, fit_time: float) -> dict:
    """The result of a fit that raised; called while its exception is handled."""
    return {
        "estimator": None,
        "scores": _error_scores(scorer, error_score),
        "fit_time": fit_time,
        "score_time": 0.0,
        "n_epochs": np.nan,
        "epochs_run": 0,
        "error": traceback.format_exc(),
    }


def _score(estimator: Any, X_test: Any, y_test: Any, scorer: Any, error_score: Any) -> Any:
    """The fold's score (a dict for several metrics); ``error_score`` where scoring failed."""
    try:
        scores = scorer(estimator, X_test, y_test)
    except Exception:
        if error_score == "raise":
            raise
        scores = _error_scores(scorer, error_score)
    # a multi-metric scorer reports a failing metric as its traceback text
    if isinstance(scores, dict):
        return {k: error_score if isinstance(v, str) else float(v) for k, v in scores.items()}
    return float(scores)


def _error_scores(scorer: Any, error_score: Any) -> Any:
    """``error_score`` for every metric of ``scorer``."""
    names = getattr(scorer, "_scorers", None)
    return {n: error_score for n in names} if names else error_score
