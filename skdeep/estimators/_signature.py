"""Each estimator's ``__init__``: the signature its parameters are declared in, a body that
stores them."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from inspect import Parameter
from typing import Any

from .._parameters import signature

__all__ = ["estimator_init"]


def estimator_init(class_name: str) -> Callable[..., None]:
    """The ``__init__`` of estimator ``class_name``: its signature, and a body that stores.

    The signature is :func:`skdeep._parameters.signature` (each parameter declared once), so
    scikit-learn's ``get_params``/``clone``, ``help`` and introspecting editors see every
    parameter with its type and default. The body stores each argument as given, the routed
    ``**model_params`` of a user network as ``_model_params``; nothing is validated or derived
    (that happens in ``fit``). A misspelt keyword raises TypeError naming the closest
    parameters.

    Examples
    --------
    >>> class Net:
    ...     __init__ = estimator_init("ANNClassifier")
    >>> Net(units=8).units, Net().epochs
    (8, 50)
    >>> Net(unit=8)
    Traceback (most recent call last):
    TypeError: Net(): got an unexpected keyword argument 'unit'. Did you mean 'units'?
    """
    sig = signature(class_name)
    names = [p.name for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD][1:]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        try:
            bound = sig.bind(self, *args, **kwargs)
        except TypeError as exc:
            hint = _did_you_mean(kwargs, names)
            raise TypeError(f"{type(self).__name__}(): {exc}{hint}") from None
        bound.apply_defaults()
        for name, value in list(bound.arguments.items())[1:]:
            if sig.parameters[name].kind is Parameter.VAR_KEYWORD:
                setattr(self, f"_{name}", dict(value))
            else:
                setattr(self, name, value)

    __init__.__signature__ = sig  # type: ignore[attr-defined]
    __init__.__qualname__ = f"{class_name}.__init__"
    return __init__


def _did_you_mean(kwargs: dict, names: list[str]) -> str:
    unknown = [key for key in kwargs if key not in names]
    close = [m for key in unknown for m in difflib.get_close_matches(key, names, n=2)]
    return f". Did you mean {' or '.join(repr(m) for m in close)}?" if close else ""
