"""The one place skdeep imports scikit-learn's private names from.

A flat list of re-exports: when scikit-learn moves or renames one of them, this file is the
only one to change. Import them from here, never from ``sklearn.*._private`` paths.
"""

from sklearn.model_selection._search import BaseSearchCV
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_parameter_constraints,
)
from sklearn.utils.validation import _check_sample_weight

__all__ = [
    "BaseSearchCV",
    "HasMethods",
    "Interval",
    "InvalidParameterError",
    "StrOptions",
    "_check_sample_weight",
    "_safe_indexing",
    "validate_parameter_constraints",
]
