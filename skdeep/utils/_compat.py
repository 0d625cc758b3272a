"""Every private scikit-learn name skdeep uses, imported in this one module.

scikit-learn keeps these names stable in practice but promises nothing; a release that moves
one breaks skdeep here, in one reviewable place, instead of in seven files.
"""

from __future__ import annotations

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
