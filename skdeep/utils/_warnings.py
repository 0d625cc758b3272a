"""Warnings that point at the user's line, however deep in skdeep they are raised."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

__all__ = ["warn_user"]

_PACKAGE = str(Path(__file__).resolve().parent.parent) + os.sep  # skdeep/, not skdeep_x/


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """``warnings.warn`` attributed to the first frame outside skdeep (the user's call).

    A fixed ``stacklevel`` is right for one call path only: the same check reached through a
    mixin's ``super()`` or another public method would point into skdeep instead.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_user("careful")
    >>> caught[0].message.args, caught[0].filename.startswith("<doctest")  # the caller's line
    (('careful',), True)
    """
    level, frame = 1, sys._getframe(1)
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back
    warnings.warn(message, category, stacklevel=level + 1)
