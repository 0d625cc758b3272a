"""``skdeep study`` and ``skdeep tune`` on regression targets: the task rule, the regressor,
MAE/RMSE/R² reports and the regression figures."""

import json
import pickle

import numpy as np
import pandas as pd
import pytest
from test_cli import fresh_runs, run_main

from skdeep import load as skdeep_load
from skdeep._commands import _data
from skdeep._commands.tune import TuneConfig, prepare

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def prices(tmp_path_factory):
    """A tiny table with a price-like target: numbers, a text column, a missing value."""
    folder = tmp_path_factory.mktemp("prices")
    rng = np.random.default_rng(0)
    n = 60
    frame = pd.DataFrame({"carat": rng.uniform(0.2, 2.0, n), "depth": rng.normal(61, 1, n)})
    frame["cut"] = rng.choice(["Fair", "Good", "Ideal"], n)
    frame.loc[3, "depth"] = np.nan
    frame["price"] = (4000 * frame["carat"] + 300 * (frame["cut"] == "Ideal")).round(2)
    frame.to_csv(folder / "prices.csv", index=False)
    frame.assign(price=frame["price"].round()).to_csv(folder / "whole.csv", index=False)
    return folder


# ---------------------------------------------------------------- the task rule
@pytest.mark.parametrize(
    "y, task",
    [
        (np.array([0.5, 1.5, 2.0]), "regression"),  # a fractional value
        (np.arange(21), "regression"),  # more than 20 distinct integers
        (np.arange(20), "classification"),  # up to 20: class labels
        (np.array([0, 1, 1, np.nan]), "classification"),  # missing values are ignored
        (np.array(["1.5", "2.5"]), "classification"),  # text is never a quantity
        (np.array([True, False]), "classification"),
    ],
)
def test_auto_task_rule(y, task):
    assert _data.resolve_task(y)[0] == task
    other = "classification" if task == "regression" else "regression"
    assert _data.resolve_task(y, other) == (other, f"--task {other}")


def test_prepare_picks_the_regressor_and_splits_without_stratifying(prices):
    config = TuneConfig(data=str(prices / "whole.csv"), target="price", cv=2, out=None)
    plan = prepare(config)
    assert plan.task == "regression" and "distinct values" in plan.why
    assert plan.refit == "r2" and plan.metrics == ["r2", "mae", "rmse"]
    assert plan.pos_label is None and plan.split[2].dtype == np.float64
    assert len(plan.split[3]) == 15  # test_size 0.25 of 60 rows


@pytest.mark.parametrize(
    "settings, message",
    [
        ({"task": "regression", "data": "iris"}, "A regression target must hold numbers"),
        ({"pos_label": 1}, "Expected no --pos-label for a regression target"),
        ({"estimator": "transfer"}, "The 'transfer' family has no regressor"),
        ({"params": {"class_weight": "balanced"}}, "Unknown ANNRegressor parameter"),
        ({"task": "ranking"}, "Invalid tune setting task"),
    ],
)
def test_regression_settings_are_checked_before_training(prices, settings, message):
    from skdeep.exceptions import SkdeepError

    base = {"data": str(prices / "prices.csv"), "target": "price", "cv": 2, "out": None}
    with pytest.raises(SkdeepError, match=message):
        prepare(TuneConfig(**{**base, **settings}))


def test_describe_a_regression_target():
    dataset = _data.load_dataset("diabetes")
    assert dataset.y.dtype == np.float64 and dataset.X.shape == (442, 10)
    assert dataset.describe("regression") == (
        "diabetes: 442 samples, 10 features, target mean 152.1, sd 77.09"
    )


# ---------------------------------------------------------------- end to end, as a user runs it
# (in this process: test_cli.py runs tune and study in fresh processes, as the console does)
FAST = ["--param", "units=8", "--param", "n_layers=1", "--quiet"]


def test_study_of_a_csv_price_target(prices, tmp_path):
    out = tmp_path / "study"
    result = run_main(
        "study", "--data", prices / "prices.csv", "--target", "price", "--cv", "3",
        "--param", "epochs=3", *FAST, "--out", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    printed = result.stdout
    assert "task: auto: a numeric target with fractional values -> regression (ANNRegressor)" in (
        printed
    )
    assert "errors (mae, rmse) as positive numbers, lower is better" in printed
    assert "pooled out-of-fold predictions (60): R² " in printed
    assert {p.name for p in out.iterdir()} == {
        "folds.csv", "summary.csv", "predictions.csv", "histories.json", "study.json",
        "report.txt", "learning_curves.png", "predictions.png", "residuals.png", "fits",
    }  # fmt: skip
    for name in ("predictions.png", "residuals.png", "learning_curves.png"):
        assert (out / name).read_bytes()[:8] == PNG
    info = json.loads((out / "study.json").read_text())
    assert info["cv"] == "KFold(n_splits=3, random_state=0, shuffle=True)"
    assert info["estimator_name"] == "ColumnTransformer -> ANNRegressor"
    assert info["command"]["task"] == "regression" and info["scoring"] == ["mae", "rmse", "r2"]
    folds = pd.read_csv(out / "folds.csv")
    assert (folds["mae"] > 0).all() and (folds["rmse"] >= folds["mae"]).all()


def test_study_repeats_use_repeated_kfold_and_task_can_be_forced(tmp_path):
    out = tmp_path / "diabetes"
    result = run_main(
        "study", "--data", "diabetes", "--task", "regression", "--cv", "2", "--repeats", "2",
        "--param", "epochs=1", "--scoring", "r2,neg_median_absolute_error", *FAST,
        "--out", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    info = json.loads((out / "study.json").read_text())
    assert info["cv"].startswith("RepeatedKFold(n_repeats=2, n_splits=2")
    assert info["scoring"] == ["r2", "median_absolute_error"]
    assert "task: --task regression (ANNRegressor)" in result.stdout


def test_tune_of_a_csv_price_target(prices, tmp_path):
    out = tmp_path / "tune"
    result = run_main(
        "tune", "--data", prices / "whole.csv", "--target", "price", "--cv", "2",
        "--n-iter", "2", "--epochs", "2", "--scoring", "rmse", *FAST, "--out", out,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    printed = result.stdout
    assert "auto: a numeric target with" in printed and "(ANNRegressor)" in printed
    assert "lower is better" in printed and "confusion matrix" not in printed
    assert "held-out test set (15 samples, errors (rmse, mae) as positive numbers" in printed
    names = {p.name for p in out.iterdir()}
    assert names == {
        "cv_results.csv", "best_params.json", "test_report.json", "model.pkl", "search.png",
        "learning_curves.png", "predictions.png", "residuals.png", "model.skdeep", "fits",
    }  # fmt: skip
    assert skdeep_load(out / "model.skdeep").n_features_in_ > 0
    report = json.loads((out / "test_report.json").read_text())
    assert report["task"] == "regression" and report["estimator_class"] == "ANNRegressor"
    assert set(report["test"]) == {"rmse", "mae", "r2"}
    assert report["test"]["rmse"] > 0 and report["cv_best_score"] > 0  # positive errors
    assert "confusion_matrix" not in report and "positive_label" not in report
    results = pd.read_csv(out / "cv_results.csv")
    best = results.loc[results["rank_test_rmse"] == 1, "mean_test_rmse"].iloc[0]
    assert report["cv_best_score"] == pytest.approx(-best)  # sklearn's sign in cv_results
    with open(out / "model.pkl", "rb") as f:
        model = pickle.load(f)
    frame = pd.read_csv(prices / "whole.csv")
    predictions = model.predict(frame.drop(columns="price"))
    assert predictions.shape == (60,) and predictions.dtype.kind == "f"


def test_regression_config_file_example_runs(prices, tmp_path):
    """The regression config of docs/regression.md, on the tiny table."""
    config = tmp_path / "tune.toml"
    config.write_text(
        f"""
data = "{prices / "whole.csv"}"
target = "price"
task = "regression"
scoring = "mae"
search = "random"
n_iter = 2
cv = 2
epochs = 2
out = "out"

[params]
units = 8
loss = "huber"

[space]
learning_rate = {{low = 1e-3, high = 1e-2, log = true}}
"""
    )
    result = run_main("tune", "--config", config, "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads((tmp_path / "out" / "test_report.json").read_text())
    assert report["refit_metric"] == "mae" and report["config"]["params"]["loss"] == "huber"
    assert set(report["best_params"]) == {"model__learning_rate"}


def test_regression_errors_come_before_tensorflow_is_imported(prices):
    (result,) = fresh_runs(
        ("study", "--data", prices / "prices.csv", "--target", "price", "--estimator", "transfer")
    )
    assert result.returncode == 2
    assert "The 'transfer' family has no regressor" in result.stderr
    assert not result.modules & {"keras", "tensorflow"}
