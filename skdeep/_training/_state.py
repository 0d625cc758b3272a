"""A failed fit changes nothing: the fitted state of an estimator is restored on any exception.

:func:`fit_transaction` snapshots the estimator's fitted attributes (names ending in ``_``, and
the private training state named in :data:`PRIVATE_STATE`) when a fit starts. If the fit raises
anything, ``KeyboardInterrupt`` included, the attributes are put back as they were (new ones
removed), a network that was training in place (warm start) gets its weights and optimizer
state back, and the compiled models the fit had acquired return to the pool. A never-fitted
estimator therefore stays unfitted, and a fitted one predicts exactly as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import keras
from sklearn.utils.validation import check_is_fitted

from ..exceptions import NotFittedError
from . import _engines

__all__ = ["FitTransaction", "check_fitted", "fit_transaction"]

#: Private attributes that are part of an estimator's fitted state.
PRIVATE_STATE = ("_parked_state",)


def _fitted_names(est) -> set[str]:
    return {
        k for k in vars(est) if (k.endswith("_") and not k.startswith("__")) or k in PRIVATE_STATE
    }


class FitTransaction:
    """Handle of one running fit: the owner of its engines and of in-place network snapshots."""

    def __init__(self, est) -> None:
        self.lease = _engines.Lease()
        self._saved = {k: vars(est)[k] for k in _fitted_names(est)}
        self._networks: list[tuple[keras.Model, dict]] = []

    def protect(self, model: keras.Model) -> None:
        """Restore ``model``'s variables if the fit fails (it is about to train in place)."""
        if all(m is not model for m, _ in self._networks):
            self._networks.append((model, _engines.park_state(model)))

    def rollback(self, est) -> None:
        for name in _fitted_names(est) - set(self._saved):
            delattr(est, name)
        vars(est).update(self._saved)
        for model, state in self._networks:
            _engines.load_state(model, state)


@contextlib.contextmanager
def fit_transaction(est) -> Iterator[FitTransaction]:
    """Run a fit of ``est``; on success ``est`` owns the engines of its new ``model_``."""
    transaction = FitTransaction(est)
    try:
        yield transaction
    except BaseException:
        transaction.rollback(est)
        raise
    _engines.POOL.commit(transaction.lease, est, getattr(est, "model_", None))


def check_fitted(est) -> None:
    """Raise skdeep's :class:`~skdeep.exceptions.NotFittedError` unless ``est`` has a
    network (``model_``)."""
    try:
        check_is_fitted(est, "model_")
    except Exception as exc:
        raise NotFittedError(
            f"This {type(est).__name__} instance is not fitted yet. Call 'fit' with "
            "appropriate arguments before using this estimator."
        ) from exc
