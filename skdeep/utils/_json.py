"""Plain JSON values from the NumPy-flavoured objects searches and studies produce."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

__all__ = ["to_jsonable"]


def to_jsonable(value: Any, *, fallback=repr) -> Any:
    """``value`` with NumPy scalars/arrays as Python values, tuples as lists, keys as strings.

    Non-finite floats become None (JSON has no NaN). Objects JSON cannot hold go through
    ``fallback`` (``repr`` by default; pass ``fallback=None`` to keep them as they are).

    Examples
    --------
    >>> import numpy as np
    >>> to_jsonable({"a": np.float32(0.5), 1: (np.int64(2), float("nan"))})
    {'a': 0.5, '1': [2, None]}
    """
    if isinstance(value, dict):
        return {str(k): to_jsonable(v, fallback=fallback) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v, fallback=fallback) for v in value]
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist(), fallback=fallback)
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)) or fallback is None:
        return value
    return fallback(value)
