"""CoarseToFineSearchCV: narrowing on a landscape with a known optimum, API, skdeep pipelines."""

import math

import numpy as np
import pytest
from scipy.stats import loguniform, norm, randint, uniform
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skdeep import ANNClassifier
from skdeep.exceptions import ParameterError
from skdeep.model_selection import CoarseToFineSearchCV, search_space
from skdeep.model_selection._coarse_to_fine import _Dim, _to_dim

pytest.importorskip("skopt")

# The optimum of the landscape: a = 0.1 (searched on a log scale), b = 70, c = "good".
A_LOW, A_HIGH, B_LOW, B_HIGH = 1e-4, 1e2, 0, 100


def landscape(a, b, c):
    penalty = {"good": 0.0, "ok": 0.5}.get(c, 1.0)
    return -(((math.log10(a) + 1) / 6) ** 2) - ((b - 70) / 100) ** 2 - penalty


def distance(params):
    return math.hypot((math.log10(params["a"]) + 1) / 6, (params["b"] - 70) / 100)


class Landscape(BaseEstimator):
    """Scores a known function of its parameters, whatever the data."""

    def __init__(self, a=1.0, b=0, c="bad"):
        self.a = a
        self.b = b
        self.c = c

    def fit(self, X, y=None):
        self.fitted_ = True
        return self

    def score(self, X, y=None):
        return landscape(self.a, self.b, self.c)


SPACE = {
    "a": loguniform(A_LOW, A_HIGH),
    "b": randint(B_LOW, B_HIGH + 1),
    "c": ["bad", "ok", "good"],
}
X0 = np.zeros((10, 1))


def _search(**kwargs):
    params = dict(n_coarse=40, n_fine=12, shrink=0.3, top_k=2, cv=2, random_state=0)
    params.update(kwargs)
    return CoarseToFineSearchCV(Landscape(), SPACE, **params)


def _stages(search):
    stage = np.asarray(search.cv_results_["stage"])
    params = search.cv_results_["params"]
    coarse = [p for p, s in zip(params, stage) if s == "coarse"]
    fine = [p for p, s in zip(params, stage) if s == "fine"]
    return stage, coarse, fine


@pytest.mark.parametrize("fine", ["grid", "random", "bayes"])
def test_fine_stage_narrows_towards_the_known_optimum(fine):
    n_fine = 6 if fine == "bayes" else 12  # each Bayesian step refits a Gaussian process
    search = _search(fine=fine, n_fine=n_fine).fit(X0)
    stage, coarse, fine_params = _stages(search)
    assert len(coarse) == 40 and 1 <= len(fine_params) <= n_fine
    scores = search.cv_results_["mean_test_score"]
    best_coarse = coarse[int(np.argmax(scores[stage == "coarse"]))]
    # every fine sample lies in the window: 0.3 of the log-width of a, of the width of b
    log_a = [math.log10(p["a"]) for p in fine_params]
    assert max(log_a) - min(log_a) <= 0.3 * 6 + 1e-9
    assert all(abs(v - math.log10(best_coarse["a"])) <= 0.3 * 6 + 1e-9 for v in log_a)
    b = [p["b"] for p in fine_params]
    assert all(isinstance(v, (int, np.integer)) and B_LOW <= v <= B_HIGH for v in b)
    assert max(b) - min(b) <= 0.3 * 100 + 1
    # categoricals: only values of the top_k coarse candidates survive
    top = np.argsort(-scores[stage == "coarse"], kind="stable")[:2]
    assert {p["c"] for p in fine_params} <= {coarse[i]["c"] for i in top}
    # the fine stage samples closer to the optimum, and scores better on average
    assert np.mean([distance(p) for p in fine_params]) < np.mean([distance(p) for p in coarse])
    assert scores[stage == "fine"].mean() > scores[stage == "coarse"].mean()
    # the best candidate comes from the fine stage, beats the coarse best, is near the optimum
    assert search.cv_results_["stage"][search.best_index_] == "fine"
    assert search.best_score_ > scores[stage == "coarse"].max()
    assert distance(search.best_params_) < distance(best_coarse)
    assert abs(math.log10(search.best_params_["a"]) + 1) < 0.5
    assert abs(search.best_params_["b"] - 70) <= 15
    assert search.best_params_["c"] == "good"
    assert search.best_score_ == pytest.approx(scores.max())
    assert search.best_estimator_.fitted_


def test_same_seed_same_candidates():
    first = _search(fine="random").fit(X0).cv_results_["params"]
    second = _search(fine="random").fit(X0).cv_results_["params"]
    assert first == second


def test_fine_grid_skips_candidates_already_tried_and_reports_its_space():
    space = {"b": [1, 2, 3], "c": ["bad", "good"]}
    search = CoarseToFineSearchCV(
        Landscape(), space, n_coarse=6, n_fine=5, top_k=1, cv=2, random_state=0
    ).fit(X0)
    stage, coarse, fine = _stages(search)
    assert len(coarse) == 6 and fine == []  # the whole grid was covered by the coarse stage
    assert search.fine_space_ == {"b": [3], "c": ["good"]}


def test_no_fine_stage_when_n_fine_is_zero():
    search = _search(n_fine=0).fit(X0)
    assert set(search.cv_results_["stage"]) == {"coarse"}
    assert search.fine_space_ == {}


def test_multimetric_refit_metric_drives_the_narrowing():
    scoring = {
        "up": lambda est, X, y=None: est.score(X, y),
        "down": lambda est, X, y=None: -est.score(X, y),
    }
    search = _search(fine="random", scoring=scoring, refit="down").fit(X0)
    results = search.cv_results_
    stage = np.asarray(results["stage"])
    assert search.best_index_ == int(np.argmax(results["mean_test_down"]))
    assert search.best_score_ == pytest.approx(results["mean_test_down"].max())
    down = results["mean_test_down"]
    assert down[stage == "fine"].mean() > down[stage == "coarse"].mean()
    assert set(search.scorer_) == {"up", "down"}


def test_multimetric_without_refit_has_no_best_estimator():
    scoring = {"up": lambda est, X, y=None: est.score(X, y), "two": lambda est, X, y=None: 2.0}
    search = _search(scoring=scoring, refit=False, n_fine=3).fit(X0)
    assert not hasattr(search, "best_estimator_")
    assert "fine" in set(search.cv_results_["stage"])


def test_multimetric_refit_must_name_a_metric():
    scoring = {"up": lambda est, X, y=None: est.score(X, y)}
    with pytest.raises(ValueError, match="refit must be set to a scorer key"):
        _search(scoring={**scoring, "b": scoring["up"]}, refit=True).fit(X0)


def test_skopt_dimensions_are_accepted_and_narrowed():
    from skopt.space import Categorical, Integer, Real

    space = {
        "a": Real(A_LOW, A_HIGH, prior="log-uniform"),
        "b": Integer(B_LOW, B_HIGH),
        "c": Categorical(["bad", "ok", "good"]),
    }
    search = CoarseToFineSearchCV(
        Landscape(), space, n_coarse=20, n_fine=6, fine="bayes", cv=2, random_state=0
    ).fit(X0)
    fine_space = search.fine_space_
    assert isinstance(fine_space["a"], Real) and fine_space["a"].prior == "log-uniform"
    width = math.log10(fine_space["a"].high) - math.log10(fine_space["a"].low)
    assert width == pytest.approx(0.3 * 6)
    assert isinstance(fine_space["b"], Integer)
    assert fine_space["b"].high - fine_space["b"].low <= 31


def test_narrow_keeps_integers_inside_the_original_bounds():
    dim = _to_dim("b", randint(0, 11))
    at_edge = dim.narrow(10, [10], 0.4)
    assert (at_edge.kind, at_edge.low, at_edge.high) == ("int", 6, 10)
    small = _to_dim("n", randint(1, 4)).narrow(2, [2], 0.3)
    assert (small.low, small.high) == (2, 2)


def test_narrow_log_real_shifts_the_window_inside_the_range():
    dim = _to_dim("a", loguniform(1e-4, 1e0))
    window = dim.narrow(1e-4, [1e-4], 0.5)
    assert window.log and window.low == pytest.approx(1e-4) and window.high == pytest.approx(1e-2)


def test_narrow_linear_real_and_choices():
    window = _to_dim("d", uniform(0.0, 0.5)).narrow(0.25, [0.25], 0.2)
    assert (window.low, window.high) == pytest.approx((0.2, 0.3))
    choice = _to_dim("c", ["x", "y", "z"]).narrow("y", ["y", "x", "y"], 0.3)
    assert choice.values == ["y", "x"]


def test_other_scipy_distributions_use_their_central_range():
    dim = _to_dim("z", norm(0, 1))
    assert dim.kind == "real" and dim.low == pytest.approx(-3.09, abs=0.01)


def test_grid_points_of_a_dim():
    assert _Dim("int", 1, 3).grid(5) == [1, 2, 3]
    assert _Dim("real", 1e-3, 1e-1, log=True).grid(3) == pytest.approx([1e-3, 1e-2, 1e-1])


def test_invalid_distribution_values():
    with pytest.raises(ParameterError, match=r"param_distributions\['a'\] must be a non-empty"):
        CoarseToFineSearchCV(Landscape(), {"a": 3}).fit(X0)
    with pytest.raises(ParameterError, match=r"Received: \[\]"):
        CoarseToFineSearchCV(Landscape(), {"a": []}).fit(X0)


@pytest.mark.parametrize(
    "params",
    [{"fine": "optuna"}, {"shrink": 0.0}, {"shrink": 1.5}, {"n_coarse": 0}, {"top_k": 0}],
)
def test_parameter_constraints(params):
    with pytest.raises(InvalidParameterError):
        CoarseToFineSearchCV(Landscape(), SPACE, **params).fit(X0)


def test_param_distributions_must_be_a_dict():
    with pytest.raises(InvalidParameterError, match="param_distributions"):
        CoarseToFineSearchCV(Landscape(), [SPACE]).fit(X0)


def test_clone_and_get_params():
    search = _search(fine="bayes")
    params = clone(search).get_params(deep=False)
    assert params["fine"] == "bayes" and params["n_coarse"] == 40 and params["top_k"] == 2


@pytest.mark.filterwarnings("ignore:One or more of the test scores are non-finite")
def test_unscorable_coarse_stage_skips_the_fine_stage():
    class Broken(Landscape):
        def score(self, X, y=None):
            return float("nan")

    search = CoarseToFineSearchCV(Broken(), SPACE, n_coarse=3, n_fine=3, cv=2, refit=False)
    with pytest.warns(UserWarning, match="fine stage is skipped"):
        search.fit(X0)
    assert set(search.cv_results_["stage"]) == {"coarse"}


def test_silent_by_default(capsys):
    _search(n_coarse=4, n_fine=2).fit(X0)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_verbose_one_draws_a_bar_on_stderr(capsys):
    _search(n_coarse=4, n_fine=2, verbose=1).fit(X0)
    captured = capsys.readouterr()
    assert captured.out == ""  # scikit-learn's own messages start at verbose=2
    last = captured.err.strip().splitlines()[-1]
    assert "12/12 fits" in last and "100%" in last and last.startswith("fine")


def test_ann_pipeline_end_to_end(binary_data, capsys):
    X, y = binary_data
    pipe = make_pipeline(StandardScaler(), ANNClassifier(epochs=1, batch_size=16, random_state=0))
    search = CoarseToFineSearchCV(
        pipe,
        search_space(pipe, "bayes"),
        n_coarse=2,
        n_fine=2,
        fine="random",
        cv=StratifiedKFold(2),
        scoring={"acc": "accuracy", "bal": "balanced_accuracy"},
        refit="bal",
        random_state=0,
        verbose=1,
    ).fit(X[:80], y[:80])
    results = search.cv_results_
    assert list(results["stage"]) == ["coarse", "coarse", "fine", "fine"]
    assert np.isfinite(results["mean_test_bal"]).all()
    assert search.best_estimator_[-1].n_epochs_ == 1
    assert search.predict(X[:5]).shape == (5,)
    assert set(search.best_params_) == {f"annclassifier__{n}" for n in search_space(ANNClassifier)}
    assert "8/8 fits" in capsys.readouterr().err


def test_bar_total_follows_the_candidates_really_run(capsys):
    space = {"b": [1, 2, 3], "c": ["bad", "good"]}
    CoarseToFineSearchCV(
        Landscape(), space, n_coarse=6, n_fine=5, top_k=1, cv=2, random_state=0, verbose=1
    ).fit(X0)
    assert "12/12 fits 100%" in capsys.readouterr().err  # 6 coarse, no fine point left
