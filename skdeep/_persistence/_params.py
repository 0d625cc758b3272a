"""A class's parameters checked by the class's own rules: the names its ``__init__`` takes
and its ``_parameter_constraints``; used for estimators and for the samplers inside them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..utils._compat import InvalidParameterError, validate_parameter_constraints
from ._errors import Refused

__all__ = ["check_constraints", "check_param_names"]


def check_param_names(cls: type, names: Iterable[str], what: str, label: str) -> None:
    """Refuse ``names`` that are not parameters of ``cls``.

    The :class:`Refused` says ``what``, expects some of the known names and received
    ``f"{label}{unknown}"`` (the unknown names, sorted).
    """
    known = set(cls._get_param_names())
    unknown = sorted(set(names) - known)
    if unknown:
        raise Refused(what, f"some of {sorted(known)}", f"{label}{unknown}")


def check_constraints(
    cls: type,
    params: Mapping[str, Any],
    *,
    caller: str | None = None,
    what: str = "The file holds an invalid parameter",
) -> None:
    """Refuse ``params`` that break ``cls._parameter_constraints`` (none: all pass).

    ``caller`` is the name scikit-learn's message gives the class (``cls.__name__`` by
    default); the :class:`Refused` says ``what`` and received scikit-learn's message.
    """
    try:
        validate_parameter_constraints(
            getattr(cls, "_parameter_constraints", {}),
            params,
            caller_name=cls.__name__ if caller is None else caller,
        )
    except InvalidParameterError as error:
        raise Refused(what, "valid parameters", str(error)) from None
