"""Every ``scoring=`` form of ``cross_validate`` to named scorers, for both kinds of task.

One rule for :func:`skdeep.evaluation.cross_validate_study` and the ``skdeep`` commands, so
that a study and a search of the same data score the same metrics.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Set
from typing import Any

from ..exceptions import ParameterError, describe
from ._classification import _METRICS, AVERAGES, DEFAULT_SCORERS, SCORER_NAMES, make_scorers
from ._regression import DEFAULT_REGRESSION_SCORERS, REGRESSION_SCORERS

__all__ = ["TASKS", "resolve_scoring", "scoring_names"]

#: The kinds of target a study or a command scores.
TASKS = ("classification", "regression")


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise ParameterError(f"Unknown task. Expected one of {TASKS}. Received: task={task!r}")


def _specs(scoring: Any, task: str) -> dict[str, str | Callable]:
    """Result name -> metric name or scorer callable, for every accepted form."""
    if scoring is None:
        names = DEFAULT_SCORERS if task == "classification" else DEFAULT_REGRESSION_SCORERS
        return {name: name for name in names}
    if isinstance(scoring, str):
        return {"score": scoring}
    if callable(scoring):
        return {"score": scoring}
    if isinstance(scoring, Mapping):
        if not scoring or not all(isinstance(k, str) for k in scoring):
            raise ParameterError(
                "scoring as a dict must map metric names (strings) to metric names or scorer "
                f"callables. Received: scoring={describe(scoring)}"
            )
        for key, value in scoring.items():
            if not (isinstance(value, str) or callable(value)):
                raise ParameterError(
                    "scoring as a dict must map names to metric names or scorer callables. "
                    f"Received: scoring[{key!r}]={describe(value)}"
                )
        return dict(scoring)
    if isinstance(scoring, (list, tuple, Set)):
        names = list(scoring)
        if not names or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
            raise ParameterError(
                "scoring as a list, tuple or set must hold distinct metric names. Received: "
                f"scoring={describe(scoring)}"
            )
        return {name: name for name in names}
    raise ParameterError(
        "scoring must be None, a metric name, a callable, a list/tuple/set of names or a dict "
        f"of names or callables. Received: scoring={describe(scoring)}"
    )


def _named_scorer(name: str, task: str, average: str, pos_label: Any) -> Callable:
    from sklearn.metrics import get_scorer

    if task == "classification" and name in _METRICS:
        return make_scorers([name], average=average, pos_label=pos_label)[name]
    if task == "regression" and name in REGRESSION_SCORERS:
        return get_scorer(REGRESSION_SCORERS[name])
    try:
        return get_scorer(name)
    except ValueError:
        own = SCORER_NAMES if task == "classification" else tuple(REGRESSION_SCORERS)
        raise ParameterError(
            f"Unknown metric name. Expected a skdeep {task} metric among {list(own)} or a "
            "scikit-learn scorer name (sklearn.metrics.get_scorer_names()). Received: scoring "
            f"name {name!r}"
        ) from None


def scoring_names(scoring: Any, *, task: str = "classification") -> dict[str, str | None]:
    """What each metric of ``scoring`` is: result name -> metric name (None for a callable).

    Examples
    --------
    >>> scoring_names(None, task="regression")
    {'mae': 'mae', 'rmse': 'rmse', 'r2': 'r2'}
    >>> scoring_names("neg_mean_absolute_error", task="regression")
    {'score': 'neg_mean_absolute_error'}
    """
    _check_task(task)
    return {k: v if isinstance(v, str) else None for k, v in _specs(scoring, task).items()}


def resolve_scoring(
    scoring: Any,
    *,
    average: str = "binary",
    pos_label: Any = 1,
    task: str = "classification",
) -> dict[str, Callable]:
    """Named scorers for any ``scoring=`` that ``sklearn.model_selection.cross_validate`` takes.

    The names are the keys ``cross_validate`` reports (without its ``test_`` prefix), so a
    result computed with the same ``scoring`` lines up column for column.

    Parameters
    ----------
    scoring : None, str, callable, list/tuple/set of str, or dict
        * None: accuracy, precision, recall, specificity and F1 (:func:`make_scorers`) for
          classification; ``mae``, ``rmse`` and ``r2`` for regression.
        * a string or a callable scorer: one metric named ``"score"``, as in
          ``cross_validate`` (``test_score``).
        * a list, tuple or set of distinct strings: one metric per name.
        * a dict mapping names to strings or callables: one metric per key.

        For classification, strings from :data:`SCORER_NAMES` use ``average`` and
        ``pos_label``; for regression, strings from :data:`REGRESSION_SCORERS` are
        scikit-learn's scorers under short names (``"mae"`` is
        ``"neg_mean_absolute_error"``: negated, greater is better). Other strings are
        scikit-learn scorer names (``"roc_auc"``, ``"f1_macro"``, ``"neg_log_loss"``...).
    average : {"binary", "micro", "macro", "weighted"}, default="binary"
        Averaging of skdeep's classification metric names: "binary" for two classes,
        "macro" for more.
    pos_label : label, default=1
        Positive class of skdeep's metric names with ``average="binary"``.
    task : {"classification", "regression"}, default="classification"
        Which defaults and short names apply.

    Returns
    -------
    dict of str to callable

    Raises
    ------
    ParameterError
        For an empty or duplicated list, an unknown metric name, or another type.

    Examples
    --------
    >>> sorted(resolve_scoring({"f1": "f1", "recall": "recall"}, pos_label="yes"))
    ['f1', 'recall']
    >>> list(resolve_scoring("roc_auc"))
    ['score']
    >>> list(resolve_scoring(None, task="regression"))
    ['mae', 'rmse', 'r2']
    """
    _check_task(task)
    if average not in AVERAGES[1:]:
        raise ParameterError(
            f"average must be one of {AVERAGES[1:]}. Received: average={average!r}"
        )
    specs = _specs(scoring, task)
    return {
        name: _named_scorer(spec, task, average, pos_label) if isinstance(spec, str) else spec
        for name, spec in specs.items()
    }
