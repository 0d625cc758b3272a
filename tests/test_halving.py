"""EpochHalvingSearchCV: rungs, warm-started survivors, epoch accounting, API, skdeep pipelines."""

import numpy as np
import pytest
from scipy.stats import uniform
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError

from skdeep import ANNClassifier
from skdeep.exceptions import ParameterError
from skdeep.model_selection import EpochHalvingSearchCV, rung_budgets

rng = np.random.RandomState(0)
X = rng.normal(size=(60, 3))
y = np.tile([0, 1], 30)
QUALITIES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


class EpochModel(ClassifierMixin, BaseEstimator):
    """Scores ``quality * (1 - exp(-epochs trained / 3))``; honours warm_start like skdeep."""

    def __init__(self, quality=0.5, epochs=1, warm_start=False, fail=False):
        self.quality = quality
        self.epochs = epochs
        self.warm_start = warm_start
        self.fail = fail

    def fit(self, X, y, sample_weight=None):
        if self.fail:
            raise RuntimeError("cannot train this one")
        if self.warm_start and hasattr(self, "n_epochs_"):
            self.n_epochs_ += self.epochs
            self.n_fit_calls_ += 1
        else:
            self.n_epochs_ = self.epochs
            self.n_fit_calls_ = 1
        self.n_train_ = len(X)
        self.weights_seen_ = None if sample_weight is None else len(sample_weight)
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.repeat(self.classes_[0], len(X))

    def score(self, X, y, sample_weight=None):
        return self.quality * (1 - np.exp(-self.n_epochs_ / 3))


def _search(space=None, **kwargs):
    params = dict(min_epochs=1, max_epochs=9, factor=3, cv=3)
    params.update(kwargs)
    return EpochHalvingSearchCV(EpochModel(), space or {"quality": QUALITIES}, **params)


def test_rung_budgets():
    assert rung_budgets(3, 81, 3) == [3, 9, 27, 81]
    assert rung_budgets(1, 30, 3) == [1, 3, 10, 30]
    assert rung_budgets(5, 5, 3) == [5]
    assert rung_budgets(2, 16, 2) == [2, 4, 8, 16]


def test_survivors_continue_training_and_epochs_add_up():
    search = _search().fit(X, y)
    results = search.cv_results_
    assert search.n_resources_ == [1, 3, 9]
    assert search.n_candidates_ == [9, 3, 1]
    # the best third survives each rung
    survivors = [p["quality"] for p, it in zip(results["params"], results["iter"]) if it == 1]
    assert sorted(survivors) == [0.7, 0.8, 0.9]
    assert [p["quality"] for p, it in zip(results["params"], results["iter"]) if it == 2] == [0.9]
    # fold models kept training: the epochs they report equal the cumulative rung budget
    np.testing.assert_array_equal(results["n_epochs_trained"], results["n_resources"])
    # 3 folds x (9 candidates x 1 epoch + 3 x 2 more + 1 x 6 more)
    assert search.n_epochs_total_ == 3 * (9 * 1 + 3 * 2 + 1 * 6) == 63
    assert search.best_params_ == {"quality": 0.9}
    assert search.best_score_ == pytest.approx(0.9 * (1 - np.exp(-3)))
    assert results["iter"][search.best_index_] == 2
    # the winner is refitted once, from scratch, for the epochs it reached
    best = search.best_estimator_
    assert (best.n_epochs_, best.n_fit_calls_, best.warm_start) == (9, 1, False)
    assert best.n_train_ == len(X)


def test_scores_of_a_rung_match_the_epochs_reached():
    results = _search().fit(X, y).cv_results_
    for params, epochs, score in zip(
        results["params"], results["n_resources"], results["mean_test_score"]
    ):
        assert score == pytest.approx(params["quality"] * (1 - np.exp(-epochs / 3)))


def test_later_rungs_rank_first():
    search = _search().fit(X, y)
    ranks, iters = search.cv_results_["rank_test_score"], search.cv_results_["iter"]
    assert ranks[search.best_index_] == 1
    assert ranks[iters == 2].max() < ranks[iters == 1].min()
    assert ranks[iters == 1].max() < ranks[iters == 0].min()


def test_cv_results_layout():
    results = _search().fit(X, y).cv_results_
    n_rows = 9 + 3 + 1
    for key in (
        "iter",
        "n_resources",
        "candidate",
        "n_epochs_trained",
        "params",
        "param_quality",
        "split0_test_score",
        "split2_test_score",
        "mean_test_score",
        "std_test_score",
        "rank_test_score",
        "mean_fit_time",
        "std_score_time",
    ):
        assert len(results[key]) == n_rows, key
    assert isinstance(results["param_quality"], np.ma.MaskedArray)


def test_pipeline_final_step_is_warm_started():
    pipe = make_pipeline(StandardScaler(), EpochModel())
    search = EpochHalvingSearchCV(
        pipe, {"epochmodel__quality": QUALITIES[:3]}, min_epochs=2, max_epochs=6, cv=2
    ).fit(X, y)
    np.testing.assert_array_equal(
        search.cv_results_["n_epochs_trained"], search.cv_results_["n_resources"]
    )
    assert search.best_estimator_[-1].n_epochs_ == 6
    assert search.n_epochs_total_ == 2 * (3 * 2 + 1 * 4)


def test_exhaust_samples_enough_candidates_for_one_winner():
    search = _search({"quality": uniform(0, 1)}, random_state=0).fit(X, y)
    assert search.n_candidates_ == [9, 3, 1]
    search = _search({"quality": uniform(0, 1)}, n_candidates=5, random_state=0).fit(X, y)
    assert search.n_candidates_ == [5, 2, 1]


def test_grid_is_subsampled_without_repeats():
    search = _search(n_candidates=4, random_state=0).fit(X, y)
    first = [
        p["quality"]
        for p, it in zip(search.cv_results_["params"], search.cv_results_["iter"])
        if it == 0
    ]
    assert len(first) == len(set(first)) == 4


def test_a_single_survivor_still_trains_to_max_epochs():
    search = _search({"quality": [0.2, 0.8]}).fit(X, y)
    assert search.n_candidates_ == [2, 1, 1]
    assert search.best_estimator_.n_epochs_ == 9


def test_multimetric_refit_metric_picks_survivors():
    scoring = {
        "score": lambda est, X, y: est.score(X, y),
        "worse": lambda est, X, y: -est.score(X, y),
    }
    search = _search(scoring=scoring, refit="worse").fit(X, y)
    assert search.best_params_ == {"quality": 0.1}
    assert search.best_score_ == pytest.approx(
        search.cv_results_["mean_test_worse"][search.best_index_]
    )
    assert set(search.scorer_) == {"score", "worse"}
    assert "rank_test_score" in search.cv_results_ and "split1_test_worse" in search.cv_results_


def test_multimetric_without_refit():
    scoring = {"a": lambda est, X, y: est.score(X, y), "b": lambda est, X, y: 1.0}
    search = _search(scoring=scoring, refit=False).fit(X, y)
    assert not hasattr(search, "best_estimator_") and not hasattr(search, "best_params_")
    with pytest.raises(ValueError, match="refit must be set to a scorer key"):
        _search(scoring=scoring, refit=True).fit(X, y)


def test_callable_refit_chooses_the_row_and_its_epochs():
    search = _search(refit=lambda results: 0).fit(X, y)
    assert search.best_index_ == 0
    assert search.best_estimator_.n_epochs_ == 1
    assert not hasattr(search, "best_score_")


def test_failed_candidates_score_nan_and_never_survive():
    space = {"quality": [0.5, 0.9], "fail": [False, True]}
    with pytest.warns(UserWarning, match=r"6 fits failed out of a total of \d+"):
        search = _search(space, min_epochs=1, max_epochs=3).fit(X, y)
    results = search.cv_results_
    failed = np.array([p["fail"] for p in results["params"]])
    assert np.isnan(results["mean_test_score"][failed]).all()
    assert not failed[results["iter"] == 1].any()
    assert search.best_params_ == {"quality": 0.9, "fail": False}


def test_error_score_raise_propagates():
    with pytest.raises(RuntimeError, match="cannot train"):
        _search({"quality": [0.5], "fail": [True]}, error_score="raise").fit(X, y)


def test_all_failed_rung():
    with pytest.raises(ValueError, match=r"All the 3 fits of rung 0 failed"):
        _search({"quality": [0.5], "fail": [True]}).fit(X, y)


def test_sample_weight_is_split_with_the_folds():
    search = _search({"quality": [0.5]}, max_epochs=1, cv=3).fit(X, y, sample_weight=np.ones(60))
    assert search.best_estimator_.weights_seen_ == 60
    assert search.n_epochs_total_ == 3


def test_estimator_without_warm_start_is_rejected():
    with pytest.raises(ParameterError, match=r"needs an estimator with `epochs` and `warm_start`"):
        EpochHalvingSearchCV(LogisticRegression(), {"C": [1.0]}).fit(X, y)


@pytest.mark.parametrize("name", ["epochs", "warm_start"])
def test_epochs_is_the_budget_not_a_parameter(name):
    pipe = make_pipeline(StandardScaler(), EpochModel())
    with pytest.raises(ParameterError, match=r"epochs and warm_start are set by"):
        EpochHalvingSearchCV(pipe, {f"epochmodel__{name}": [1, 2]}).fit(X, y)


def test_max_epochs_below_min_epochs():
    with pytest.raises(ParameterError, match=r"Received: min_epochs=5, max_epochs=2"):
        _search(min_epochs=5, max_epochs=2).fit(X, y)


def test_space_list_must_hold_dicts():
    with pytest.raises(ParameterError, match=r"a dict or a list of dicts"):
        _search([{"quality": [0.5]}, 3]).fit(X, y)


@pytest.mark.parametrize(
    "params", [{"factor": 1}, {"n_candidates": 0}, {"n_candidates": "all"}, {"min_epochs": 0}]
)
def test_parameter_constraints(params):
    with pytest.raises(InvalidParameterError):
        _search(**params).fit(X, y)


def test_clone_keeps_parameters():
    search = _search(n_candidates=4, factor=2)
    params = clone(search).get_params(deep=False)
    assert (params["n_candidates"], params["factor"], params["max_epochs"]) == (4, 2, 9)


def test_silent_by_default_and_bar_with_verbose(capsys):
    _search().fit(X, y)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    _search(verbose=2).fit(X, y)
    captured = capsys.readouterr()
    assert "39/39 fits" in captured.err.strip().splitlines()[-1]
    assert captured.out.count("[EpochHalvingSearchCV] rung") == 3


# ---------------------------------------------------------------- a real network
def test_ann_pipeline_continues_training(binary_data):
    X_real, y_real = binary_data
    pipe = make_pipeline(StandardScaler(), ANNClassifier(batch_size=16, random_state=0))
    search = EpochHalvingSearchCV(
        pipe,
        {"annclassifier__units": [4, 8, 16]},
        min_epochs=1,
        max_epochs=3,
        factor=3,
        cv=StratifiedKFold(2),
    ).fit(X_real[:80], y_real[:80])
    results = search.cv_results_
    np.testing.assert_array_equal(results["n_resources"], [1, 1, 1, 3])
    np.testing.assert_array_equal(results["n_epochs_trained"], [1, 1, 1, 3])
    assert search.n_epochs_total_ == 2 * (3 * 1 + 1 * 2)
    best = search.best_estimator_[-1]
    assert best.n_epochs_ == 3 and len(best.history_["loss"]) == 3
    assert best.warm_start is False
    assert np.isfinite(results["mean_test_score"]).all()
    assert search.score(X_real[80:], y_real[80:]) > 0.5


@pytest.mark.slow
def test_ann_parallel_fits_match_sequential(binary_data):
    X_real, y_real = binary_data
    pipe = make_pipeline(StandardScaler(), ANNClassifier(batch_size=16, random_state=0))
    results = [
        EpochHalvingSearchCV(
            pipe,
            {"annclassifier__units": [4, 8, 16]},
            min_epochs=1,
            max_epochs=3,
            cv=StratifiedKFold(2),
            n_jobs=n_jobs,
        )
        .fit(X_real[:80], y_real[:80])
        .cv_results_
        for n_jobs in (1, 2)
    ]
    np.testing.assert_allclose(results[0]["mean_test_score"], results[1]["mean_test_score"])
    np.testing.assert_array_equal(results[0]["n_epochs_trained"], results[1]["n_epochs_trained"])


def test_cnn_continues_training():
    import skdeep

    cnn = getattr(skdeep, "CNNClassifier", None)
    if cnn is None:
        pytest.skip("skdeep.CNNClassifier is not available in this build")
    from sklearn.datasets import load_digits

    X_img, y_img = load_digits(n_class=2, return_X_y=True)
    model = cnn(image_shape=(8, 8, 1), n_blocks=1, batch_size=16, random_state=0)
    search = EpochHalvingSearchCV(
        model, {"filters": [8, 16]}, min_epochs=1, max_epochs=2, factor=2, cv=StratifiedKFold(2)
    ).fit((X_img[:60] / 16.0).astype("float32"), y_img[:60])
    np.testing.assert_array_equal(search.cv_results_["n_epochs_trained"], [1, 1, 2])
    assert search.best_estimator_.n_epochs_ == 2


def test_fold_models_are_parked_between_rungs_not_kept_compiled(binary_data, monkeypatch):
    # 4 candidates of one architecture x 2 folds: each fold model continues in a pooled
    # compiled model instead of holding its own (8 compiled models and their graphs before)
    from skdeep._training import _engines

    X_real, y_real = binary_data
    monkeypatch.setattr(_engines, "POOL", _engines.EnginePool())  # empty for this test
    registered = []
    real_register = _engines.POOL.register

    def spy(engine, owner):
        registered.append(engine.key)
        return real_register(engine, owner)

    monkeypatch.setattr(_engines.POOL, "register", spy)
    search = EpochHalvingSearchCV(
        ANNClassifier(units=8, batch_size=16, random_state=0),
        {"learning_rate": [1e-3, 3e-3, 1e-2, 3e-2]},
        min_epochs=1,
        max_epochs=4,
        factor=2,
        cv=StratifiedKFold(2),
    ).fit(X_real[:80], y_real[:80])
    np.testing.assert_array_equal(search.cv_results_["n_resources"], [1, 1, 1, 1, 2, 2, 4])
    # one compiled model for every fold model; the refit on all 80 rows has epochs of another
    # length (5 batches instead of 3), compiled as one call each: a second one
    assert len(registered) == 2
    assert [key[-1] for key in registered] == [3, 5]
    assert search.best_estimator_.n_epochs_ == 4
