"""What a study does differently for classifiers and regressors: the target check, the
default splitter, how scores are reported, and the pooled out-of-fold predictions.

Classification: stratified k-fold, a positive class (binary) or macro averaging, the pooled
confusion matrix. Regression: shuffled k-fold, errors reported as positive numbers, pooled
MAE, RMSE and R² over all out-of-fold predictions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import is_classifier, is_regressor
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.utils.multiclass import type_of_target

from ..exceptions import DataError, ParameterError, describe
from ..metrics import default_pos_label, is_error_metric, metric_range, scoring_names
from ..utils._pipeline import num_samples

__all__ = ["Target", "check_target", "default_splitter", "pooled", "reporting"]

#: Columns that are never negative (seconds, epochs).
_COUNTS = ("fit_time", "score_time", "n_epochs", "best_epoch")


@dataclass(frozen=True)
class Target:
    """What the scores of a study depend on."""

    task: str  # "classification" or "regression"
    type: str  # type_of_target: "binary", "multiclass", "continuous", ...
    labels: np.ndarray | None = None  # classes, sorted (classification)
    pos_label: Any = None  # binary classification only
    average: str | None = None  # "binary" or "macro" (classification)
    n_outputs: int = 1  # target columns (regression)


def _classification_target(y: np.ndarray, pos_label: Any) -> Target:
    target_type = type_of_target(y)
    if target_type not in ("binary", "multiclass"):
        raise DataError(
            "cross_validate_study supports binary and multiclass targets. Received: y of type "
            f"{target_type!r}"
        )
    labels = np.unique(y)
    if target_type == "multiclass":
        return Target("classification", target_type, labels, None, "macro")
    if pos_label is None:
        pos_label = default_pos_label(y)
    elif pos_label not in labels.tolist():
        raise ParameterError(
            "pos_label must be one of the class labels. Expected one of "
            f"{labels.tolist()}. Received: pos_label={pos_label!r}"
        )
    return Target("classification", target_type, labels, pos_label, "binary")


def _regression_target(y: np.ndarray, pos_label: Any) -> Target:
    if pos_label is not None:
        raise ParameterError(
            "A positive class applies to classifiers only. Expected pos_label=None for a "
            f"regressor. Received: pos_label={pos_label!r}"
        )
    if y.dtype.kind not in "biuf":
        raise DataError(
            "A regression study needs a numeric target. Expected numbers in y. Received: y "
            f"of dtype {y.dtype} such as {describe(y.ravel()[:3].tolist())}"
        )
    if not np.isfinite(y.astype(float)).all():
        raise DataError(
            "The target holds missing or infinite values. Expected finite numbers. Received: "
            f"{int((~np.isfinite(y.astype(float))).sum())} such values in y"
        )
    n_outputs = 1 if y.ndim == 1 else y.shape[1]
    kind = "continuous" if y.ndim == 1 else "continuous-multioutput"  # integers too: prices
    return Target("regression", kind, n_outputs=n_outputs)


def check_target(estimator: Any, X: Any, y: Any, pos_label: Any) -> tuple[np.ndarray, Target]:
    """``y`` as an array (a single column flattened) and what the study scores on it."""
    if is_classifier(estimator):
        task = "classification"
    elif is_regressor(estimator):
        task = "regression"
    else:
        raise ParameterError(
            "cross_validate_study evaluates classifiers and regressors. Expected a classifier, "
            f"a regressor or a Pipeline ending in one. Received: estimator={describe(estimator)}"
        )
    y_arr = np.asarray(y)
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        y_arr = y_arr.ravel()
    n_samples = num_samples(X)
    two_d = task == "regression" and y_arr.ndim == 2
    if not (y_arr.ndim == 1 or two_d) or len(y_arr) != n_samples:
        shape = f"({n_samples},)" + (
            f" or ({n_samples}, n_outputs)" if task == "regression" else ""
        )
        raise DataError(
            f"X and y must have one {'label' if task == 'classification' else 'target'} per "
            f"sample. Expected y of shape {shape}. Received: y with shape {y_arr.shape}"
        )
    if task == "classification":
        return y_arr, _classification_target(y_arr, pos_label)
    return y_arr, _regression_target(y_arr, pos_label)


def default_splitter(target: Target, n_splits: int, random_state: Any):
    """Shuffled, seeded k-fold: stratified for classifiers."""
    cls = StratifiedKFold if target.task == "classification" else KFold
    return cls(n_splits, shuffle=True, random_state=random_state)


def reporting(
    target: Target, scoring: Any, names: list[str]
) -> tuple[dict[str, tuple[str, float]], dict[str, tuple[float, float]]]:
    """How each scorer's values are reported, and the range of every summarised column.

    Regression: a metric scoring a negated error (scikit-learn's ``neg_*``, skdeep's
    ``mae``...) is reported as the positive error (sign -1), a ``neg_`` prefix of its name
    dropped unless that name is taken. Classification scores are reported as scored.
    """
    specs = scoring_names(scoring, task=target.task)
    shown: dict[str, tuple[str, float]] = {}
    ranges: dict[str, tuple[float, float]] = dict.fromkeys(_COUNTS, (0.0, math.inf))
    for name in names:
        spec = specs.get(name)
        low, high = metric_range(spec)
        new, sign = name, 1.0
        if target.task == "regression" and is_error_metric(spec):
            sign, low, high = -1.0, -high, -low
            bare = name.removeprefix("neg_")
            new = bare if bare == name or bare not in names else name
        shown[name] = (new, sign)
        ranges[new] = ranges[f"train_{new}"] = (low, high)
    return shown, ranges


def _prediction_columns(target: Target, y_true: np.ndarray, y_pred: np.ndarray) -> dict:
    if target.task == "classification" or target.n_outputs == 1:
        return {"y_true": y_true, "y_pred": np.asarray(y_pred).reshape(y_true.shape)}
    columns = {f"y_true_{j}": y_true[:, j] for j in range(target.n_outputs)}
    columns.update({f"y_pred_{j}": y_pred[:, j] for j in range(target.n_outputs)})
    return columns


def _pooled_scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """MAE, RMSE and R² of the pooled predictions (averaged over outputs)."""
    from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error

    return {
        "mae": float(mean_absolute_error(y_true, y_pred)),
        "rmse": float(root_mean_squared_error(y_true, y_pred)),
        "r2": float(r2_score(y_true, y_pred)),
    }


def pooled(
    target: Target, y: np.ndarray, splits: list, results: list[dict]
) -> tuple[np.ndarray | None, pd.DataFrame, dict[str, float] | None]:
    """The out-of-fold predictions table, and the confusion matrix (classification) or the
    pooled regression scores."""
    frames = []
    for i, ((_, test), result) in enumerate(zip(splits, results)):
        columns = _prediction_columns(target, y[test], result["y_pred"])
        frames.append(pd.DataFrame({"split": i, "index": test, **columns}))
    predictions = pd.concat(frames, ignore_index=True)
    if target.task == "regression":
        tests = [test for _, test in splits]
        true = np.concatenate([y[test] for test in tests])
        pred = np.concatenate(
            [np.asarray(r["y_pred"]).reshape(y[test].shape) for test, r in zip(tests, results)]
        )
        return None, predictions, _pooled_scores(true, pred)
    cm = np.zeros((len(target.labels), len(target.labels)), dtype=np.int64)
    for (_, test), result in zip(splits, results):
        cm += confusion_matrix(y[test], result["y_pred"], labels=target.labels)
    return cm, predictions, None
