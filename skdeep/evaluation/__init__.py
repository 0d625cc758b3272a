"""k-fold and repeated k-fold studies of a classifier or a regressor: per-fold scores, a
summary with confidence intervals, the pooled out-of-fold confusion matrix (classifiers) or
predictions and residuals (regressors), and the Keras training curves of every fold.

- :func:`cross_validate_study` (``_study.py``): runs the steps of a study.
- ``_tasks.py``: what differs between classification and regression (target check, default
  splitter, how scores are reported, pooled predictions).
- ``_folds.py``: fitting and scoring the folds, the per-fold table.
- ``_summary.py``: mean, sd and the interval of each metric, kept inside its range.
- :class:`StudyResult` (``_result.py``): what a study found; ``report()`` (``_report.py``),
  figures, ``save()`` (``_io.py``).
"""

from ._result import StudyResult
from ._study import cross_validate_study

__all__ = ["StudyResult", "cross_validate_study"]
