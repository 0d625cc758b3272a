"""The progress bar: counts fits of any joblib-based search, silent nesting, clean unhooking."""

import io
import sys

import joblib
import pytest
from scipy.stats import uniform
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_iris
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, cross_validate

from skdeep.exceptions import ParameterError
from skdeep.model_selection import (
    CoarseToFineSearchCV,
    EpochHalvingSearchCV,
    ProgressBar,
    progress,
    search_total,
)

X, y = load_iris(return_X_y=True)


class _Tty(io.StringIO):
    def isatty(self):
        return True


class _InnerJoblib(ClassifierMixin, BaseEstimator):
    """Runs its own joblib loop inside fit (must not be counted as search fits)."""

    def __init__(self, c=1.0):
        self.c = c

    def fit(self, X, y):
        joblib.Parallel(n_jobs=1)(joblib.delayed(abs)(i) for i in range(7))
        self.classes_ = sorted(set(y))
        return self

    def predict(self, X):
        return [self.classes_[0]] * len(X)


@pytest.mark.parametrize("n_jobs", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_grid_search_fits_are_counted(n_jobs):
    search = GridSearchCV(
        DummyClassifier(), {"strategy": ["most_frequent", "prior", "uniform"]}, cv=3, n_jobs=n_jobs
    )
    out = io.StringIO()
    with progress(search, file=out) as bar:
        search.fit(X, y)
    assert (bar.n, bar.total) == (9, 9)
    lines = out.getvalue().splitlines()
    assert "9/9 fits" in lines[-1] and "100%" in lines[-1]
    assert len(lines) <= 11  # one line per 10% when not a terminal


def test_inner_joblib_loops_are_not_counted():
    search = GridSearchCV(_InnerJoblib(), {"c": [1, 2]}, cv=2)
    with progress(search, file=io.StringIO()) as bar:
        search.fit(X, y)
    assert bar.n == 4


def test_nested_blocks_draw_only_the_outer_bar():
    out, inner_out = io.StringIO(), io.StringIO()
    with progress(file=out) as outer:
        with progress(file=inner_out) as inner:
            cross_validate(DummyClassifier(), X, y, cv=2)
    assert outer.n == 2 and inner_out.getvalue() == ""
    assert inner.disable


def test_unknown_total_shows_a_running_count():
    out = io.StringIO()
    with progress(file=out):
        cross_validate(DummyClassifier(), X, y, cv=3)
    assert "3 fits" in out.getvalue() and "%" not in out.getvalue()


def test_hooks_are_removed_after_the_block_even_on_error():
    original = joblib.Parallel.print_progress, joblib.Parallel.__call__
    with pytest.raises(RuntimeError), progress(file=io.StringIO()):
        raise RuntimeError("stop")
    assert (joblib.Parallel.print_progress, joblib.Parallel.__call__) == original


def test_terminal_output_redraws_in_place():
    out = _Tty()
    bar = ProgressBar(4, desc="grid", file=out)
    for _ in range(4):
        bar.update()
    bar.close()
    text = out.getvalue()
    assert text.startswith("\r") and text.endswith("\n") and text.count("\n") == 1
    assert "4/4 fits 100%" in text


def test_units_weight_the_time_left():
    bar = ProgressBar(4, file=io.StringIO(), disable=True)
    bar.set_total(4, units=10.0)
    bar.set_stage("rung 1", unit_weight=1.0)
    bar.update(2)
    assert "2/4 fits  20%" in bar.render()
    bar.set_stage("rung 2", unit_weight=4.0)
    bar.update(2)
    assert bar.render().startswith("rung 2") and "100%" in bar.render()


def test_search_total_of_common_searches():
    grid = GridSearchCV(LogisticRegression(), {"C": [1, 2, 3]}, cv=4)
    assert search_total(grid) == 12
    small = RandomizedSearchCV(LogisticRegression(), {"C": [1, 2]}, n_iter=10, cv=3)
    assert search_total(small) == 6  # a two-point grid is sampled without repeats
    c2f = CoarseToFineSearchCV(LogisticRegression(), {"C": [1, 2]}, n_coarse=5, n_fine=3, cv=2)
    assert search_total(c2f) == 16
    halving = EpochHalvingSearchCV(
        LogisticRegression(), {"C": [1.0]}, min_epochs=1, max_epochs=9, factor=3, cv=2
    )
    assert search_total(halving) == (1 + 1 + 1) * 2  # a one-point grid
    halving.set_params(param_distributions={"C": uniform(0.1, 1)})
    assert search_total(halving) == (9 + 3 + 1) * 2


def test_search_total_of_bayes_search():
    from skopt import BayesSearchCV
    from skopt.space import Real

    search = BayesSearchCV(LogisticRegression(), {"C": Real(0.1, 1)}, n_iter=7, cv=3)
    assert search_total(search) == 21


def test_search_total_of_something_else():
    with pytest.raises(ParameterError, match="Cannot work out how many fits"):
        search_total(LogisticRegression())


def test_terminal_bar_is_tqdm_with_fits_and_time_left():
    from tqdm import tqdm

    out = _Tty()
    bar = ProgressBar(6, desc="random", file=out)
    assert isinstance(bar._tqdm, tqdm)
    assert "0/6 fits   0%" in out.getvalue()  # drawn at once, before the first fit ends
    bar.update(3)
    bar.close()
    last = out.getvalue().split("\r")[-1]
    assert last.startswith("random [") and "3/6 fits  50%" in last and " left " in last


def test_in_a_notebook_kernel_the_bar_is_tqdm_auto(monkeypatch, capsys):
    import types

    from tqdm.auto import tqdm as auto

    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    bar = ProgressBar(2, desc="grid")
    assert isinstance(bar._tqdm, auto)
    bar.update(2)
    bar.close()
    assert "2/2 fits 100%" in capsys.readouterr().err
