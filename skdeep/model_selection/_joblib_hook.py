"""Counting the cross-validation fits of any joblib-based search, for :mod:`._progress`.

Any search that runs its fits through joblib (``GridSearchCV``, ``RandomizedSearchCV``,
``BayesSearchCV``, ``cross_validate`` and skdeep's own searches) reports each finished fit to
joblib's ``Parallel.print_progress`` in the main process, whatever ``n_jobs`` is. While
installed, this hook passes the number of newly finished fits to a callback. Only the
outermost ``Parallel`` call whose tasks are cross-validation fits is counted, so a pipeline
step that itself uses joblib does not inflate the count.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["COUNTED_TASKS", "active", "install", "uninstall"]

#: Task functions that are one cross-validation fit (scikit-learn's searches, cross_validate,
#: learning_curve, and EpochHalvingSearchCV). Other joblib loops (an estimator's own) are
#: not counted.
COUNTED_TASKS = frozenset({"_fit_and_score", "_fit_and_score_increment"})
_END = object()
_STATE: dict[str, Any] = {"callback": None, "depth": 0, "counted": {}, "patched": None}
_HOOK_LOCK = threading.RLock()


def active() -> bool:
    """Whether a callback is installed (an outer progress block is open)."""
    with _HOOK_LOCK:
        return _STATE["callback"] is not None


def install(callback: Callable[[int], None]) -> None:
    """Patch joblib so that ``callback(n)`` hears of every ``n`` newly finished fits."""
    with _HOOK_LOCK:
        _STATE["callback"] = callback
        _STATE["counted"] = {}
        _STATE["depth"] = 0
        if _STATE["patched"] is None:
            _patch()


def uninstall() -> None:
    """Restore joblib's own methods."""
    with _HOOK_LOCK:
        _STATE["callback"] = None
        _STATE["counted"] = {}
        if _STATE["patched"] is not None:
            _unpatch()


def _patch() -> None:
    import joblib

    original_call = joblib.Parallel.__call__
    original_progress = joblib.Parallel.print_progress

    def __call__(self, iterable):
        with _HOOK_LOCK:
            outer = _STATE["depth"] == 0
            _STATE["depth"] += 1
        try:
            if outer:
                iterator = iter(iterable)
                first = next(iterator, _END)
                iterable = [] if first is _END else itertools.chain([first], iterator)
                if first is not _END and _task_name(first) in COUNTED_TASKS:
                    with _HOOK_LOCK:
                        _STATE["counted"][id(self)] = 0
            return original_call(self, iterable)
        finally:
            with _HOOK_LOCK:
                _STATE["depth"] -= 1
                if outer:
                    _report(self)
                    _STATE["counted"].pop(id(self), None)

    def print_progress(self):
        _report(self)
        return original_progress(self)

    joblib.Parallel.__call__ = __call__
    joblib.Parallel.print_progress = print_progress
    _STATE["patched"] = (original_call, original_progress)


def _task_name(task) -> str:
    function = task[0] if isinstance(task, tuple) and task else task
    function = getattr(function, "function", function)  # sklearn's delayed wrapper
    return getattr(function, "__name__", "")


def _unpatch() -> None:
    import joblib

    original_call, original_progress = _STATE["patched"]
    joblib.Parallel.__call__ = original_call
    joblib.Parallel.print_progress = original_progress
    _STATE["patched"] = None


def _report(parallel) -> None:
    key = id(parallel)
    with _HOOK_LOCK:
        callback = _STATE["callback"]
        if callback is None or key not in _STATE["counted"]:
            return
        done = getattr(parallel, "n_completed_tasks", 0)
        delta = done - _STATE["counted"][key]
        _STATE["counted"][key] = done
    callback(delta)
