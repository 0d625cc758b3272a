"""Metrics and ready-made scorers for multi-metric ``scoring=``, for classifiers and regressors.

``specificity_score`` is imbalanced-learn's (true negative rate); ``npv_score`` (negative
predictive value) follows the same signature and averaging rules as scikit-learn's
``precision_score``. :func:`make_scorers` (classification) and
:func:`make_regression_scorers` (``mae``, ``rmse``, ``r2``...) return dicts usable as
``scoring=`` in ``GridSearchCV``, ``cross_validate`` and skdeep's own searches.

Rules shared by :func:`skdeep.evaluation.cross_validate_study` and the ``skdeep`` commands
live here as well, so that a study and a search of the same data score the same things:
:func:`default_pos_label` (which class is "positive" when nobody says),
:func:`resolve_scoring` (every ``scoring=`` form of ``cross_validate`` to named scorers),
:func:`is_error_metric` and :func:`metric_range` (which scorers return negated errors, and
the values a metric can take).

Modules: ``_classification``, ``_regression``, ``_ranges``, ``_scoring``.
"""

from ._classification import (
    SCORER_NAMES,
    default_pos_label,
    make_scorers,
    npv_score,
    specificity_score,
)
from ._ranges import is_error_metric, metric_range
from ._regression import REGRESSION_SCORERS, make_regression_scorers
from ._scoring import resolve_scoring, scoring_names

__all__ = [
    "REGRESSION_SCORERS",
    "SCORER_NAMES",
    "default_pos_label",
    "is_error_metric",
    "make_regression_scorers",
    "make_scorers",
    "metric_range",
    "npv_score",
    "resolve_scoring",
    "scoring_names",
    "specificity_score",
]
