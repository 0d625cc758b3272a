"""k-fold and repeated k-fold studies of a classifier: per-fold scores, a summary with
confidence intervals, the pooled out-of-fold confusion matrix and the Keras training curves
of every fold.

- :func:`cross_validate_study` (``_study.py``): runs the folds.
- :class:`StudyResult` (``_result.py``): what a study found; ``report()``, figures, ``save()``.
- ``_io.py``: the folder :meth:`StudyResult.save` writes.
"""

from ._result import StudyResult
from ._study import cross_validate_study

__all__ = ["StudyResult", "cross_validate_study"]
