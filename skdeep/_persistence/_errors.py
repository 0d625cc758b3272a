"""The one failure of a check on a saved file, turned into a ``DataError`` naming the file."""

from __future__ import annotations

import os

from ..exceptions import DataError, describe

__all__ = ["Refused", "received", "refusal"]


class Refused(Exception):
    """A check on a saved estimator failed: what is wrong, what was expected, what was found.

    Raised by the checks, which do not know the file's path; :func:`refusal` turns it into the
    :class:`~skdeep.exceptions.DataError` users see.
    """

    def __init__(self, what: str, expected: str, received: str) -> None:
        super().__init__(what, expected, received)
        self.what, self.expected, self.received = what, expected, received

    def __str__(self) -> str:
        return f"{self.what}. Expected {self.expected}. Received: {self.received}"


def refusal(path: str | os.PathLike, error: Refused, *, action: str = "load") -> DataError:
    """The ``DataError`` for ``error`` found in the file at ``path``.

    Examples
    --------
    >>> str(refusal("m.skdeep", Refused("estimator.json is not JSON", "a JSON object", "b'x'")))
    "Cannot load 'm.skdeep': estimator.json is not JSON. Expected a JSON object. Received: b'x'"
    """
    return DataError(f"Cannot {action} {str(path)!r}: {error}")


def received(name: str, value: object) -> str:
    """``name=<short repr>`` for the Received part of a message."""
    return f"{name}={describe(value)}"
