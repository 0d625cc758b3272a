"""Every private scikit-learn name skdeep uses, re-exported from one place.

scikit-learn may move or change its private modules in any release; importing them only here
keeps the fix for such a change to one file.
"""

from __future__ import annotations

from sklearn.utils._param_validation import InvalidParameterError, validate_parameter_constraints

__all__ = ["InvalidParameterError", "validate_parameter_constraints"]
