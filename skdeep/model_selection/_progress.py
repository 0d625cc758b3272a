"""A progress bar for searches (fits done, elapsed time, time left), drawn by tqdm.

Any search that runs its fits through joblib (``GridSearchCV``, ``RandomizedSearchCV``,
``BayesSearchCV``, ``cross_validate`` and skdeep's own searches) reports each finished fit to
joblib's ``Parallel.print_progress`` in the main process, whatever ``n_jobs`` is. While a
:func:`progress` block is open that hook also advances the bar. Only the outermost
``Parallel`` call is counted, so a pipeline step that itself uses joblib does not inflate the
count.

The bar is `tqdm <https://tqdm.github.io>`_'s: in a terminal it redraws in place, in a Jupyter
notebook it is a widget (``tqdm.auto``, when ipywidgets is installed). In a log file or CI
output (not a terminal) one line is written per tenth of the work, so logs stay short. Its
time left is the average pace so far (tqdm with ``smoothing=0``), measured in *units* of
work: a fit may count for several units (the epochs of a halving rung), so stages with longer
fits do not fool the estimate.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any, TextIO

from . import _joblib_hook as hook

__all__ = ["ProgressBar", "progress", "search_total"]

#: Line formats (tqdm ``bar_format``), with the extra field ``{fits}``.
BAR_FORMAT = "{desc} [{bar:24}] {fits} {percentage:3.0f}% elapsed {elapsed} left {remaining}"
COUNT_FORMAT = "{desc} {fits} elapsed {elapsed}"


def _fits_bar_class(base: type) -> type:
    """``base`` (a tqdm class) whose lines also show ``{fits}``: "3/12 fits"."""

    def __init__(self, *args, fits: str = "", **kwargs):
        self.skdeep_fits = fits
        base.__init__(self, *args, **kwargs)

    def format_dict(self):
        return {**base.format_dict.fget(self), "fits": self.skdeep_fits}

    return type(
        f"Fits{base.__name__}",
        (base,),
        {"__init__": __init__, "format_dict": property(format_dict)},
    )


class ProgressBar:
    """A progress bar of fits, drawn with tqdm.

    In a terminal (or a Jupyter kernel) the bar is redrawn in place; elsewhere (logs, CI) a
    new line is written every 10% so logs stay short.

    Each finished task may count for several *units* of work (e.g. epochs); the percentage and
    the time left are computed from units, so stages with longer fits do not fool the estimate.

    Parameters
    ----------
    total : int or None
        Expected number of tasks (fits); None shows a count without percentage or time left.
    desc : str, default="search"
        Label shown at the start of the line.
    file : text stream, default=None
        Where to write; None means ``sys.stderr`` at the time of writing (a widget in a
        notebook).
    disable : bool, default=False
        Count silently.
    """

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
        self._last_decile = -1
        self._last_written_n = -1
        self._closed = False
        self._lock = threading.Lock()
        stream = self._stream()
        # an interactive stream gets tqdm's live bar at once (0/N fits while the first fit runs)
        self._tqdm = None if disable or not self._interactive(stream) else self._live_bar(stream)

    # ---------------------------------------------------------------- configuration
    def set_total(self, total: int | None, units: float | None = None) -> None:
        """Set the expected number of tasks (and optionally of work units)."""
        with self._lock:
            self.total = total
            self.units_total = (
                units if units is not None else (None if total is None else float(total))
            )
            if self._tqdm is not None:
                self._tqdm.total = self.units_total
                self._tqdm.bar_format = self._format()

    def set_stage(self, desc: str | None = None, unit_weight: float = 1.0) -> None:
        """Rename the bar and set how many units each next task counts for."""
        with self._lock:
            if desc is not None:
                self.desc = desc
                if self._tqdm is not None:
                    self._tqdm.set_description_str(desc, refresh=False)
            self.unit_weight = float(unit_weight)

    # ---------------------------------------------------------------- updates
    def update(self, n: int = 1) -> None:
        """Record ``n`` finished tasks."""
        if n <= 0:
            return
        with self._lock:
            self.n += n
            self.units_done += n * self.unit_weight
            self._draw(n * self.unit_weight)

    def close(self) -> None:
        """Draw the final state and end the line."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if self._tqdm is not None:
                self._tqdm.skdeep_fits = self._fits()
                self._tqdm.close()
            else:
                self._draw(0.0, final=True)

    # ---------------------------------------------------------------- rendering
    def _fits(self) -> str:
        return f"{self.n}/{self.total} fits" if self.total else f"{self.n} fits"

    def _format(self) -> str:
        return BAR_FORMAT if self.total and self.units_total else COUNT_FORMAT

    def render(self) -> str:
        """The current line (without carriage return or newline)."""
        from tqdm import tqdm

        total = self.units_total if self.total and self.units_total else None
        done = min(self.units_done, total) if total else self.units_done
        return tqdm.format_meter(
            n=done,
            total=total,
            elapsed=time.perf_counter() - self.start,
            prefix=self.desc,
            ascii=".#",
            bar_format=self._format(),
            rate=done / max(time.perf_counter() - self.start, 1e-9) if done else None,
            fits=self._fits(),
        )

    def _stream(self) -> TextIO:
        return self.file if self.file is not None else sys.stderr

    def _interactive(self, stream: TextIO) -> bool:
        try:
            if stream.isatty():
                return True
        except (AttributeError, ValueError):
            return False
        return "ipykernel" in sys.modules and stream in (sys.stderr, sys.stdout)

    def _live_bar(self, stream: TextIO):
        """tqdm's own bar: a notebook widget (``tqdm.auto``) in Jupyter when no stream was
        given and ipywidgets is there, else the terminal bar on ``stream``."""
        from tqdm import tqdm as terminal

        options = {
            "total": self.units_total if self.total else None,
            "desc": self.desc,
            "bar_format": self._format(),
            "smoothing": 0,  # time left from the average pace, not the last few fits
            "mininterval": 0.1,
            "leave": True,
            "fits": self._fits(),
        }
        if self.file is None and "ipykernel" in sys.modules:
            from tqdm.auto import tqdm as auto

            with contextlib.suppress(ImportError):  # no ipywidgets: the terminal bar
                return _fits_bar_class(auto)(**options)
        return _fits_bar_class(terminal)(file=stream, **options)

    def _draw(self, units: float, final: bool = False) -> None:
        if self.disable:
            return
        stream = self._stream()
        if self._tqdm is not None:
            self._tqdm.skdeep_fits = self._fits()
            self._tqdm.update(units)
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
    nested = hook.active()
    bar = ProgressBar(total, desc=desc, file=file, disable=nested)
    if nested:
        yield bar
        return
    hook.install(bar.update)
    try:
        yield bar
    finally:
        hook.uninstall()
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
