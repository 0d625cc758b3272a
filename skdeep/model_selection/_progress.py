"""A dependency-free progress bar for searches: fits done, elapsed time, time left.

Any search that runs its fits through joblib (``GridSearchCV``, ``RandomizedSearchCV``,
``BayesSearchCV``, ``cross_validate`` and skdeep's own searches) reports each finished fit to
joblib's ``Parallel.print_progress`` in the main process, whatever ``n_jobs`` is. While a
:func:`progress` block is open that hook also advances the bar. Only the outermost
``Parallel`` call is counted, so a pipeline step that itself uses joblib does not inflate the
count.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any, TextIO

__all__ = ["ProgressBar", "progress", "search_total"]


def _format_time(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class ProgressBar:
    """A one-line progress bar written to a text stream.

    On a terminal (or in a Jupyter kernel) the line is redrawn in place; elsewhere (logs, CI)
    a new line is written every 10% so logs stay short.

    Each finished task may count for several *units* of work (e.g. epochs); the time left is
    extrapolated from units, so stages with longer fits do not fool the estimate.

    Parameters
    ----------
    total : int or None
        Expected number of tasks (fits); None shows a count without percentage or time left.
    desc : str, default="search"
        Label shown at the start of the line.
    file : text stream, default=None
        Where to write; None means ``sys.stderr`` at the time of writing.
    disable : bool, default=False
        Count silently.
    """

    width = 24

    def __init__(
        self,
        total: int | None = None,
        *,
        desc: str = "search",
        file: TextIO | None = None,
        disable: bool = False,
    ) -> None:
        self.total = total
        self.desc = desc
        self.file = file
        self.disable = disable
        self.n = 0
        self.units_done = 0.0
        self.units_total: float | None = None if total is None else float(total)
        self.unit_weight = 1.0
        self.start = time.perf_counter()
        self._last_draw = -math.inf
        self._last_decile = -1
        self._last_written_n = -1
        self._closed = False
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- configuration
    def set_total(self, total: int | None, units: float | None = None) -> None:
        """Set the expected number of tasks (and optionally of work units)."""
        self.total = total
        self.units_total = units if units is not None else (None if total is None else float(total))

    def set_stage(self, desc: str | None = None, unit_weight: float = 1.0) -> None:
        """Rename the bar and set how many units each next task counts for."""
        if desc is not None:
            self.desc = desc
        self.unit_weight = float(unit_weight)

    # ---------------------------------------------------------------- updates
    def update(self, n: int = 1) -> None:
        """Record ``n`` finished tasks."""
        if n <= 0:
            return
        with self._lock:
            self.n += n
            self.units_done += n * self.unit_weight
            self._draw()

    def close(self) -> None:
        """Draw the final state and end the line."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._draw(final=True)

    # ---------------------------------------------------------------- rendering
    def _stream(self) -> TextIO:
        return self.file if self.file is not None else sys.stderr

    def _interactive(self, stream: TextIO) -> bool:
        try:
            if stream.isatty():
                return True
        except (AttributeError, ValueError):
            return False
        return "ipykernel" in sys.modules and stream in (sys.stderr, sys.stdout)

    def render(self) -> str:
        """The current line (without carriage return or newline)."""
        elapsed = time.perf_counter() - self.start
        if self.total:
            fraction = min(1.0, self.units_done / self.units_total) if self.units_total else 0.0
            filled = int(round(fraction * self.width))
            bar = "#" * filled + "." * (self.width - filled)
            if 0 < self.units_done and fraction < 1:
                left = elapsed * (self.units_total - self.units_done) / self.units_done
            else:
                left = 0.0 if fraction >= 1 else math.inf
            return (
                f"{self.desc} [{bar}] {self.n}/{self.total} fits {fraction:4.0%} "
                f"elapsed {_format_time(elapsed)} left {_format_time(left)}"
            )
        return f"{self.desc} {self.n} fits elapsed {_format_time(elapsed)}"

    def _draw(self, final: bool = False) -> None:
        if self.disable:
            return
        stream = self._stream()
        now = time.perf_counter()
        if self._interactive(stream):
            if not final and now - self._last_draw < 0.1:
                return
            self._last_draw = now
            stream.write("\r" + self.render() + ("\n" if final else ""))
            stream.flush()
            return
        if self.total and self.units_total:
            decile = int(10 * min(1.0, self.units_done / self.units_total))
        else:
            decile = self.n // 10
        if final and self.n in (0, self._last_written_n):
            return
        if final or decile > self._last_decile:
            self._last_decile = decile
            self._last_written_n = self.n
            stream.write(self.render() + "\n")
            stream.flush()


# ------------------------------------------------------------------- joblib hook
#: Task functions that are one cross-validation fit (scikit-learn's searches, cross_validate,
#: learning_curve, and EpochHalvingSearchCV). Other joblib loops (an estimator's own) are
#: not counted.
COUNTED_TASKS = frozenset({"_fit_and_score", "_fit_and_score_increment"})
_END = object()
_STATE: dict[str, Any] = {"bar": None, "depth": 0, "counted": {}, "patched": None}
_HOOK_LOCK = threading.RLock()


def _install() -> None:
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


def _uninstall() -> None:
    import joblib

    original_call, original_progress = _STATE["patched"]
    joblib.Parallel.__call__ = original_call
    joblib.Parallel.print_progress = original_progress
    _STATE["patched"] = None


def _report(parallel) -> None:
    bar = _STATE["bar"]
    key = id(parallel)
    with _HOOK_LOCK:
        if bar is None or key not in _STATE["counted"]:
            return
        done = getattr(parallel, "n_completed_tasks", 0)
        delta = done - _STATE["counted"][key]
        _STATE["counted"][key] = done
    bar.update(delta)


@contextlib.contextmanager
def progress(
    total: int | Any | None = None,
    *,
    desc: str = "search",
    file: TextIO | None = None,
) -> Iterator[ProgressBar]:
    """Show a progress bar for every fit run through joblib inside the block.

    Works with scikit-learn's ``GridSearchCV``/``RandomizedSearchCV``/``HalvingRandomSearchCV``,
    scikit-optimize's ``BayesSearchCV``, ``cross_validate`` and skdeep's searches, for any
    ``n_jobs``. Fits in worker processes are counted when they finish. Only cross-validation
    fits are counted (not the final refit, nor joblib loops inside an estimator or a nested
    search). Nested blocks are silent: only the outermost bar is drawn.

    Parameters
    ----------
    total : int, search estimator or None, default=None
        Number of fits to expect. Given a ``GridSearchCV``, ``RandomizedSearchCV`` or
        ``BayesSearchCV`` (unfitted), the count candidates x folds is worked out with
        :func:`search_total`. None shows a running count without time left.
    desc : str, default="search"
        Label at the start of the line.
    file : text stream, default=None
        Where to write; ``sys.stderr`` by default.

    Yields
    ------
    ProgressBar
        The bar (its ``n`` attribute counts finished fits).

    Examples
    --------
    >>> import io
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skdeep.model_selection import progress
    >>> X, y = load_iris(return_X_y=True)
    >>> search = GridSearchCV(LogisticRegression(max_iter=500), {"C": [0.1, 1.0]}, cv=3)
    >>> with progress(search, file=io.StringIO()) as bar:
    ...     _ = search.fit(X, y)
    >>> bar.n, bar.total
    (6, 6)
    """
    if total is not None and not isinstance(total, int):
        total = search_total(total)
    with _HOOK_LOCK:
        nested = _STATE["bar"] is not None
        bar = ProgressBar(total, desc=desc, file=file, disable=nested)
        if not nested:
            if _STATE["patched"] is None:
                _install()
            _STATE["bar"] = bar
            _STATE["counted"] = {}
            _STATE["depth"] = 0
    try:
        yield bar
    finally:
        if not nested:
            with _HOOK_LOCK:
                _STATE["bar"] = None
                _STATE["counted"] = {}
                _uninstall()
            bar.close()


def search_total(search: Any) -> int:
    """Number of cross-validation fits a search will run (candidates x folds, no refit).

    Parameters
    ----------
    search : GridSearchCV, RandomizedSearchCV, BayesSearchCV or a skdeep search

    Returns
    -------
    int

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import GridSearchCV
    >>> search_total(GridSearchCV(LogisticRegression(), {"C": [0.1, 1, 10]}, cv=4))
    12
    """
    from sklearn.model_selection import ParameterGrid, check_cv

    from ..exceptions import ParameterError, describe

    cv = getattr(search, "cv", None)
    n_splits = check_cv(cv).get_n_splits() if not hasattr(cv, "__len__") else len(cv)
    if hasattr(search, "_expected_fits"):
        return int(search._expected_fits(n_splits))
    if hasattr(search, "param_grid"):
        return len(ParameterGrid(search.param_grid)) * n_splits
    if hasattr(search, "n_iter"):
        n_iter = search.n_iter
        grid = getattr(search, "param_distributions", None)
        if grid is not None and _all_lists(grid):
            n_iter = min(n_iter, len(ParameterGrid(grid)))
        return int(n_iter) * n_splits
    raise ParameterError(
        "Cannot work out how many fits this search runs. Expected a GridSearchCV, "
        "RandomizedSearchCV, BayesSearchCV or skdeep search, or pass total=<int>. "
        f"Received: {describe(search)}"
    )


def _all_lists(space) -> bool:
    dicts = space if isinstance(space, list) else [space]
    return all(not hasattr(v, "rvs") for d in dicts for v in d.values())
