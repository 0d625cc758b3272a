"""cross_validate_study: k-fold and repeated k-fold studies of a classifier or a regressor.

Why not ``sklearn.model_selection.cross_validate(return_estimator=True)``: it keeps every fold's
fitted estimator alive until the end, so a 10 x 5 study of a Keras model holds 50 compiled
networks at once (and, as skdeep reuses a compiled network only when its previous owner is
gone, traces 50 sets of graphs). :func:`cross_validate_study` fits, scores and predicts each
fold in one task, keeps what the study needs (scores, out-of-fold predictions, history) and
drops the fitted model before the next fold starts. The fitting and scoring steps are the same
as ``cross_validate``'s (``clone``, ``fit`` on the training part, the same scorer objects on
the test part), so the numbers are identical for the same splitter, seeds and scorers; the
test suite checks this.

The study is a short sequence of named steps (see :func:`cross_validate_study`): what is
specific to classification or regression (the target check, the default splitter, how
scores are reported, the pooled predictions) sits in ``_tasks.py``; fitting the folds in
``_folds.py``; the summary and its intervals in ``_summary.py``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from numbers import Integral
from typing import Any

import numpy as np
from sklearn.metrics import check_scoring
from sklearn.model_selection import check_cv

from ..exceptions import ParameterError
from ..metrics import resolve_scoring
from ..utils._json import to_jsonable
from ..utils._pipeline import final_step, num_samples
from ._folds import run_folds, tabulate
from ._result import StudyResult
from ._summary import CONFIDENCE, summarise
from ._tasks import Target, check_target, default_splitter, pooled, reporting

__all__ = ["CONFIDENCE", "cross_validate_study"]


def _resolve_cv(cv: Any, y: np.ndarray, target: Target, random_state: Any):
    if cv is None:
        cv = 5
    if isinstance(cv, Integral) and not isinstance(cv, bool):
        if cv < 2:
            raise ParameterError(
                f"cv needs at least 2 folds. Expected an int >= 2 or a splitter. Received: cv={cv}"
            )
        return default_splitter(target, int(cv), random_state)
    return check_cv(cv, y, classifier=target.task == "classification")


def _fold_layout(cv: Any, n_splits: int) -> tuple[int, int]:
    """``(n_repeats, folds per repeat)`` of a repeated splitter, else ``(1, n_splits)``."""
    repeats = getattr(cv, "n_repeats", None)
    if isinstance(repeats, Integral) and repeats > 1 and n_splits % repeats == 0:
        return int(repeats), n_splits // int(repeats)
    return 1, n_splits


def _target_info(target: Target, y: np.ndarray, shown: dict) -> dict[str, Any]:
    if target.task == "classification":
        return {
            "n_classes": len(target.labels),
            "average": target.average,
            "pos_label": to_jsonable(target.pos_label, fallback=None),
        }
    values = y.astype(float).reshape(len(y), -1)
    sd = values.std(axis=0, ddof=1).tolist() if len(y) > 1 else None
    return {
        "n_outputs": target.n_outputs,
        "target_mean": values.mean(axis=0).tolist(),  # one value per output
        "target_sd": sd,
        "errors_reported_positive": [new for new, sign in shown.values() if sign < 0],
    }


def _study_info(
    estimator, X, y, splitter, splits, n_repeats, target: Target, metrics, scoring, random_state,
    shown,
) -> dict[str, Any]:  # fmt: skip
    import sklearn

    from .. import __version__

    final = final_step(estimator, unwrap_search=True)[0]
    info = {
        "task": target.task,
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
        **_target_info(target, y, shown),
        "target_type": target.type,
        "scoring": metrics,
        "scoring_given": scoring if isinstance(scoring, str) else None,
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
    """Cross-validate a classifier or a regressor and collect what an honest report needs.

    Each fold clones ``estimator``, fits it on the training part only (every scaler, sampler
    and the early-stopping split of a skdeep estimator see nothing else), scores it on the
    test part, records its out-of-fold predictions and, when the final step is a skdeep
    estimator, its Keras ``history_``, ``n_epochs_`` and ``best_epoch_``; the fitted model is
    then dropped. Fold scores equal those of
    :func:`sklearn.model_selection.cross_validate` with the same splitter and scorers.

    Parameters
    ----------
    estimator : classifier, regressor or Pipeline
        Any scikit-learn classifier or regressor (``is_classifier`` / ``is_regressor``); a
        Pipeline ending in a skdeep estimator also yields training histories.
    X : array-like or DataFrame of shape (n_samples, ...)
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Class labels (binary or multiclass) for a classifier; numbers for a regressor, one
        column per output.
    cv : int, splitter or iterable of (train, test), default=None
        None or an int ``k`` gives ``StratifiedKFold(k, shuffle=True,
        random_state=random_state)`` for a classifier, ``KFold(k, shuffle=True,
        random_state=random_state)`` for a regressor (k=5 when None). Pass
        ``RepeatedStratifiedKFold(n_splits=5, n_repeats=10, random_state=0)`` (or
        ``RepeatedKFold``) for iterated k-fold, or any scikit-learn splitter (use ``groups``
        for group splitters).
    scoring : None, str, callable, list/tuple/set of str, or dict, default=None
        Every form ``cross_validate`` accepts, with the same metric names (its result keys
        without ``test_``): a string or a callable is one metric named ``"score"``; a list,
        tuple or set of strings one metric per name; a dict one metric per key, its values
        strings or callables. None gives accuracy, precision, recall, specificity and F1 for
        a classifier, ``mae``, ``rmse`` and ``r2`` for a regressor. Names from
        :data:`skdeep.metrics.SCORER_NAMES` are binary for two classes (positive class
        ``pos_label``) and macro-averaged for more; names from
        :data:`skdeep.metrics.REGRESSION_SCORERS` are scikit-learn's regression scorers;
        other names are scikit-learn scorer names. See
        :func:`skdeep.metrics.resolve_scoring`. In a regression study every metric scored by
        name as a negated error (scikit-learn's ``neg_*``, skdeep's ``mae``, ``rmse``,
        ``mse``...) is reported as the positive error, lower is better, and a ``neg_``
        prefix of its name is dropped (``neg_mean_absolute_error`` -> column
        ``mean_absolute_error``, the negated value of ``cross_validate``'s); R² and scores
        given as callables are reported as scored.
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
        sorted order). Must stay None for a regressor.
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
        When X and y lengths differ, y is not a binary/multiclass target (classifier) or not
        finite numbers (regressor).
    ParameterError
        For an estimator that is neither a classifier nor a regressor, or an invalid
        ``cv``, ``scoring`` or ``pos_label``.

    Examples
    --------
    A classifier in a Pipeline, on five stratified folds repeated twice:

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

    A regressor: shuffled k-fold, errors reported as positive numbers.

    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.linear_model import Ridge
    >>> X, y = load_diabetes(return_X_y=True)
    >>> study = cross_validate_study(Ridge(), X, y, random_state=0)
    >>> study.metrics, study.info["cv"]
    (['mae', 'rmse', 'r2'], 'KFold(n_splits=5, random_state=0, shuffle=True)')
    >>> bool(40 < study.summary.loc["mae", "mean"] < 50), study.confusion_matrix is None
    (True, True)
    """
    started = time.time()
    y_arr, target = check_target(estimator, X, y, pos_label)
    scorers = resolve_scoring(
        scoring, average=target.average or "binary", pos_label=target.pos_label, task=target.task
    )
    scorer = check_scoring(estimator, scoring=scorers)
    shown, ranges = reporting(target, scoring, list(scorers))
    splitter = _resolve_cv(cv, y_arr, target, random_state)
    splits = list(splitter.split(X, y_arr, groups))
    n_repeats, per_repeat = _fold_layout(splitter, len(splits))
    results = run_folds(
        estimator, X, y_arr, splits, scorer, dict(params or {}), return_train_score, n_jobs,
        verbose, shown,
    )  # fmt: skip
    metrics = [shown[name][0] for name in scorers]
    folds, histories = tabulate(splits, results, metrics, per_repeat, n_repeats, return_train_score)
    cm, predictions, pooled_scores = pooled(target, y_arr, splits, results)
    summary, clipped = summarise(folds, ranges)
    info = _study_info(
        estimator, X, y_arr, splitter, splits, n_repeats, target, metrics, scoring, random_state,
        shown,
    )  # fmt: skip
    info["interval_clipped"] = clipped
    if pooled_scores is not None:
        info["pooled"] = pooled_scores
    info["elapsed_s"] = round(time.time() - started, 3)
    return StudyResult(
        folds=folds,
        summary=summary,
        confusion_matrix=cm,
        labels=target.labels,
        histories=histories,
        predictions=predictions,
        metrics=metrics,
        info=info,
    )
