"""cross_validate_study: k-fold and repeated k-fold studies of a classifier.

Why not ``sklearn.model_selection.cross_validate(return_estimator=True)``: it keeps every fold's
fitted estimator alive until the end, so a 10 x 5 study of a Keras model holds 50 compiled
networks at once (and, as skdeep reuses a compiled network only when its previous owner is
gone, traces 50 sets of graphs). :func:`cross_validate_study` fits, scores and predicts each
fold in one task, keeps what the study needs (scores, out-of-fold predictions, history) and
drops the fitted model before the next fold starts. The fitting and scoring steps are the same
as ``cross_validate``'s (``clone``, ``fit`` on the training part, the same scorer objects on
the test part), so the numbers are identical for the same splitter, seeds and scorers; the
test suite checks this.

The study is a short sequence of named steps (see :func:`cross_validate_study`). What is
specific to classification (the target check, the positive class, the pooled confusion
matrix) sits in the functions marked "classification" so that a regression study can put
its own in their place.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring, confusion_matrix
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils.multiclass import type_of_target

from ..exceptions import DataError, ParameterError, describe
from ..metrics import default_pos_label, resolve_scoring
from ..utils._compat import _safe_indexing
from ..utils._json import to_jsonable
from ..utils._pipeline import final_step, fold_params, num_samples
from ._result import ID_COLUMNS, StudyResult

__all__ = ["cross_validate_study"]

#: Confidence level of the interval in ``StudyResult.summary``.
CONFIDENCE = 0.95


# ---------------------------------------------------------------------- classification
@dataclass(frozen=True)
class _Target:
    """What the scores of a classification study depend on."""

    type: str  # "binary" or "multiclass"
    labels: np.ndarray
    pos_label: Any  # None for multiclass
    average: str  # "binary" or "macro"


def _classification_target(y: np.ndarray, pos_label: Any) -> _Target:
    """Check that ``y`` holds classes and settle the positive class (binary) or averaging."""
    target_type = type_of_target(y)
    if target_type not in ("binary", "multiclass"):
        raise DataError(
            "cross_validate_study supports binary and multiclass targets. Received: y of type "
            f"{target_type!r}"
        )
    labels = np.unique(y)
    if target_type == "multiclass":
        return _Target(target_type, labels, None, "macro")
    if pos_label is None:
        pos_label = default_pos_label(y)
    elif pos_label not in labels.tolist():
        raise ParameterError(
            "pos_label must be one of the class labels. Expected one of "
            f"{labels.tolist()}. Received: pos_label={pos_label!r}"
        )
    return _Target(target_type, labels, pos_label, "binary")


def _pooled_predictions(
    y: np.ndarray, labels: np.ndarray, splits: list, results: list[dict]
) -> tuple[np.ndarray, pd.DataFrame]:
    """The confusion matrix of all out-of-fold predictions, and the predictions table."""
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
    frames = []
    for i, ((_, test), result) in enumerate(zip(splits, results)):
        cm += confusion_matrix(y[test], result["y_pred"], labels=labels)
        frames.append(
            pd.DataFrame({"split": i, "index": test, "y_true": y[test], "y_pred": result["y_pred"]})
        )
    return cm, pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------- steps
def _check_inputs(estimator: Any, X: Any, y: Any) -> np.ndarray:
    if not is_classifier(estimator):
        raise ParameterError(
            "cross_validate_study evaluates classifiers. Expected a classifier or a Pipeline "
            f"ending in one. Received: estimator={describe(estimator)}"
        )
    y_arr = np.asarray(y)
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        y_arr = y_arr.ravel()
    n_samples = num_samples(X)
    if y_arr.ndim != 1 or len(y_arr) != n_samples:
        raise DataError(
            "X and y must have one label per sample. Expected y of shape "
            f"({n_samples},). Received: y with shape {y_arr.shape}"
        )
    return y_arr


def _resolve_cv(cv: Any, y: np.ndarray, random_state: Any):
    if cv is None:
        cv = 5
    if isinstance(cv, Integral) and not isinstance(cv, bool):
        if cv < 2:
            raise ParameterError(
                f"cv needs at least 2 folds. Expected an int >= 2 or a splitter. Received: cv={cv}"
            )
        return StratifiedKFold(int(cv), shuffle=True, random_state=random_state)
    return check_cv(cv, y, classifier=True)


def _fold_layout(cv: Any, n_splits: int) -> tuple[int, int]:
    """``(n_repeats, folds per repeat)`` of a repeated splitter, else ``(1, n_splits)``."""
    repeats = getattr(cv, "n_repeats", None)
    if isinstance(repeats, Integral) and repeats > 1 and n_splits % repeats == 0:
        return int(repeats), n_splits // int(repeats)
    return 1, n_splits


def _run_fold(
    estimator: Any,
    X: Any,
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    scorer: Callable,
    fit_params: Mapping[str, Any],
    return_train_score: bool,
) -> dict[str, Any]:
    """Clone, fit, score and predict one fold; returns plain data only (no model)."""
    est = clone(estimator)
    X_train, X_test = _safe_indexing(X, train), _safe_indexing(X, test)
    y_train, y_test = y[train], y[test]
    start = time.time()
    est.fit(X_train, y_train, **fold_params(fit_params, num_samples(X), train))
    fit_time = time.time() - start
    start = time.time()
    test_scores = scorer(est, X_test, y_test)
    score_time = time.time() - start
    out: dict[str, Any] = {
        "test_scores": test_scores,
        "fit_time": fit_time,
        "score_time": score_time,
        "y_pred": np.asarray(est.predict(X_test)),
    }
    if return_train_score:
        out["train_scores"] = scorer(est, X_train, y_train)
    final = final_step(est, unwrap_search=True)[0]
    history = getattr(final, "history_", None)
    if history is not None:
        out["history"] = {k: [float(v) for v in vals] for k, vals in history.items()}
        out["n_epochs"] = getattr(final, "n_epochs_", None)
        out["best_epoch"] = getattr(final, "best_epoch_", None)
    del est, final
    return out


def _run_folds(
    estimator, X, y, splits, scorer, fit_params, return_train_score, n_jobs, verbose
) -> list[dict]:
    tasks = (
        delayed(_run_fold)(estimator, X, y, train, test, scorer, fit_params, return_train_score)
        for train, test in splits
    )
    results = []
    for i, result in enumerate(Parallel(n_jobs=n_jobs, return_as="generator")(tasks)):
        results.append(result)
        if verbose:
            shown = ", ".join(f"{k}={v:.3f}" for k, v in result["test_scores"].items())
            epochs = f", {result['n_epochs']} epochs" if result.get("n_epochs") is not None else ""
            print(
                f"fit {i + 1}/{len(splits)}: {shown} ({result['fit_time']:.1f} s{epochs})",
                flush=True,
            )
    return results


def _tabulate(
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


def _summarise(folds: pd.DataFrame) -> pd.DataFrame:
    """Mean, sd and a Student-t interval per measured column (not ``score_time``)."""
    from scipy import stats

    rows = {}
    for name in (c for c in folds if c not in ID_COLUMNS and c != "score_time"):
        values = pd.to_numeric(folds[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        values = values[np.isfinite(values)]
        if values.size == 0:
            continue
        mean = float(values.mean())
        if values.size > 1:
            sd = float(values.std(ddof=1))
            t = float(stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1))
            half = t * sd / math.sqrt(values.size)
        else:
            sd = half = math.nan
        rows[name] = {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half}
    summary = pd.DataFrame.from_dict(
        rows, orient="index", columns=["mean", "sd", "ci_low", "ci_high"]
    )
    summary.index.name = "metric"
    return summary


def _study_info(
    estimator, X, splitter, splits, n_repeats, target: _Target, metrics, scoring, random_state
) -> dict[str, Any]:
    import sklearn

    from .. import __version__

    final = final_step(estimator, unwrap_search=True)[0]
    info = {
        "estimator": repr(estimator),
        "estimator_name": (
            " -> ".join(type(step).__name__ for _, step in estimator.steps)
            if hasattr(estimator, "steps")
            else type(estimator).__name__
        ),
        "final_step": type(final).__name__,
        "cv": repr(splitter) if hasattr(splitter, "get_n_splits") else type(splitter).__name__,
        "n_splits": len(splits),
        "n_repeats": n_repeats,
        "n_samples": num_samples(X),
        "n_features": int(np.prod(np.shape(X)[1:])) if np.ndim(X) > 1 else 1,
        "n_classes": len(target.labels),
        "target_type": target.type,
        "scoring": metrics,
        "scoring_given": scoring if isinstance(scoring, str) else None,
        "average": target.average,
        "pos_label": to_jsonable(target.pos_label, fallback=None),
        "random_state": random_state
        if isinstance(random_state, (int, type(None)))
        else repr(random_state),
        "versions": {"skdeep": __version__, "sklearn": sklearn.__version__},
    }
    if type(final).__module__.startswith("skdeep."):
        from .._keras import keras

        info["versions"]["keras"] = keras.__version__
        info["versions"]["backend"] = keras.backend.backend()
    return info


# ---------------------------------------------------------------------- the study
def cross_validate_study(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    cv: Any = None,
    scoring: Any = None,
    n_jobs: int | None = None,
    random_state: int | np.random.RandomState | None = None,
    groups: Any = None,
    params: Mapping[str, Any] | None = None,
    pos_label: Any = None,
    return_train_score: bool = False,
    verbose: int = 0,
) -> StudyResult:
    """Cross-validate a classifier and collect everything an honest report needs.

    Each fold clones ``estimator``, fits it on the training part only (every scaler, sampler
    and the early-stopping split of a skdeep estimator see nothing else), scores it on the
    test part, records its out-of-fold predictions and, when the final step is a skdeep
    estimator, its Keras ``history_``, ``n_epochs_`` and ``best_epoch_``; the fitted model is
    then dropped. Fold scores equal those of
    :func:`sklearn.model_selection.cross_validate` with the same splitter and scorers.

    Parameters
    ----------
    estimator : classifier or Pipeline
        Any scikit-learn classifier; a Pipeline ending in a skdeep estimator also yields
        training histories.
    X : array-like or DataFrame of shape (n_samples, ...)
    y : array-like of shape (n_samples,)
        Class labels (binary or multiclass).
    cv : int, splitter or iterable of (train, test), default=None
        None or an int ``k`` gives ``StratifiedKFold(k, shuffle=True,
        random_state=random_state)`` (k=5 when None). Pass
        ``RepeatedStratifiedKFold(n_splits=5, n_repeats=10, random_state=0)`` for iterated
        k-fold, or any scikit-learn splitter (use ``groups`` for group splitters).
    scoring : None, str, callable, list/tuple/set of str, or dict, default=None
        Every form ``cross_validate`` accepts, with the same metric names (its result keys
        without ``test_``): a string or a callable is one metric named ``"score"``; a list,
        tuple or set of strings one metric per name; a dict one metric per key, its values
        strings or callables. None gives accuracy, precision, recall, specificity and F1.
        Names from :data:`skdeep.metrics.SCORER_NAMES` are binary for two classes (positive
        class ``pos_label``) and macro-averaged for more; other names are scikit-learn scorer
        names. See :func:`skdeep.metrics.resolve_scoring`.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib); None means 1.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling of the default splitter. It does not seed the estimator: set
        the estimator's own ``random_state`` for repeatable fits.
    groups : array-like of shape (n_samples,), default=None
        Group labels for group splitters.
    params : dict, default=None
        Fit parameters (e.g. ``{"annclassifier__sample_weight": w}`` for a Pipeline); values
        with one entry per sample are split along with X.
    pos_label : label, default=None
        Positive class of binary scores; None applies :func:`skdeep.metrics.default_pos_label`
        (1 for numeric labels containing 1, else the rarer class, on a tie the last label in
        sorted order).
    return_train_score : bool, default=False
        Also score each fold's training part (``train_<metric>`` columns): the gap to the
        test score shows over-fitting.
    verbose : int, default=0
        1 prints one line per finished fold.

    Returns
    -------
    StudyResult

    Raises
    ------
    DataError
        When X and y lengths differ or y is not a binary/multiclass target.
    ParameterError
        For an invalid ``cv``, ``scoring`` or ``pos_label``.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import RepeatedStratifiedKFold
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdeep.evaluation import cross_validate_study
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> study = cross_validate_study(
    ...     model, X, y, cv=RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=0))
    >>> study.folds[["repeat", "fold"]].shape, int(study.confusion_matrix.sum())
    ((10, 2), 1138)
    >>> bool(study.summary.loc["f1", "mean"] > 0.95)
    True
    >>> cross_validate_study(model, X, y, scoring={"f1": "f1", "recall": "recall"}).metrics
    ['f1', 'recall']
    """
    started = time.time()
    y_arr = _check_inputs(estimator, X, y)
    target = _classification_target(y_arr, pos_label)
    scorers = resolve_scoring(scoring, average=target.average, pos_label=target.pos_label)
    scorer = check_scoring(estimator, scoring=scorers)
    splitter = _resolve_cv(cv, y_arr, random_state)
    splits = list(splitter.split(X, y_arr, groups))
    n_repeats, per_repeat = _fold_layout(splitter, len(splits))
    results = _run_folds(
        estimator, X, y_arr, splits, scorer, dict(params or {}), return_train_score, n_jobs,
        verbose,
    )  # fmt: skip
    metrics = list(scorers)
    folds, histories = _tabulate(
        splits, results, metrics, per_repeat, n_repeats, return_train_score
    )
    cm, predictions = _pooled_predictions(y_arr, target.labels, splits, results)
    info = _study_info(
        estimator, X, splitter, splits, n_repeats, target, metrics, scoring, random_state
    )
    info["elapsed_s"] = round(time.time() - started, 3)
    return StudyResult(
        folds=folds,
        summary=_summarise(folds),
        confusion_matrix=cm,
        labels=target.labels,
        histories=histories,
        predictions=predictions,
        metrics=metrics,
        info=info,
    )
