"""``skdeep tune``: end-to-end runs on tiny data write every file; settings and errors."""

import contextlib
import io
import json
import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from skdeep._commands._common import load_dataset
from skdeep._commands.tune import TuneConfig
from skdeep.cli import build_parser, main

FILES = (
    "cv_results.csv",
    "best_params.json",
    "test_report.json",
    "confusion_matrix.csv",
    "model.pkl",
)
METRICS = ("accuracy", "precision", "recall", "specificity", "f1")


def _table(n=90, seed=0):
    X, y = make_classification(
        n_samples=n, n_features=4, n_informative=3, n_redundant=0, weights=[0.65], random_state=seed
    )
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(4)])
    frame["color"] = np.where(X[:, 0] > 0, "red", "blue")  # a text column: one-hot encoded
    frame["label"] = np.where(y == 1, "yes", "no")  # "yes" is the rarer class
    return frame


@pytest.fixture(scope="module")
def halving_output(tmp_path_factory):
    """One end-to-end run (CSV, flags, halving search); the tests below read its outputs."""
    root = tmp_path_factory.mktemp("tune")
    _table().to_csv(root / "data.csv", index=False)
    out = root / "out"
    argv = [
        "tune",
        "--dataset", str(root / "data.csv"),
        "--target", "label",
        "--search", "halving",
        "--n-iter", "3",
        "--epochs", "3",
        "--cv", "2",
        "--scoring", "f1",
        "--test-size", "0.3",
        "--param", "batch_size=16",
        "--out", str(out),
        "--quiet",
    ]  # fmt: skip
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = main(argv)
    return status, stdout.getvalue(), out


def test_end_to_end_writes_every_file(halving_output):
    status, printed, out = halving_output
    assert status == 0
    for name in FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name


def test_printed_report(halving_output):
    _, printed, _ = halving_output
    assert "best parameters:" in printed and "training epochs spent by the search: 10" in printed
    assert printed.startswith("data: 90 samples, 5 features (1 text, 0 missing values)")
    lines = printed.splitlines()
    header = lines.index("  metric        score")
    rows = lines[header + 1 : header + 1 + len(METRICS)]
    # each score right under its header: a name column of 12, a score column of 6
    for row in rows:
        assert re.fullmatch(r"  [a-z0-9]+ +\d\.\d{3}", row) and len(row) == 21, row
    assert sorted(row.split()[0] for row in rows) == sorted(METRICS)
    assert "confusion matrix (rows true, columns predicted: yes, no)" in printed


def test_cv_results_and_best_params(halving_output):
    _, _, out = halving_output
    results = pd.read_csv(out / "cv_results.csv")
    assert len(results) == 3 + 1  # 3 candidates, 1 survivor
    assert {"iter", "n_resources", "mean_test_f1", "rank_test_f1", "stage"} - set(results) == {
        "stage"
    }
    best = json.loads((out / "best_params.json").read_text())
    assert set(best) == {
        "model__n_layers",
        "model__units",
        "model__dropout",
        "model__learning_rate",
    }


def test_test_report_and_confusion_matrix(halving_output):
    _, _, out = halving_output
    report = json.loads((out / "test_report.json").read_text())
    assert report["positive_label"] == "yes" and report["n_test"] == 27
    assert set(report["test"]) == set(METRICS)
    assert all(0.0 <= v <= 1.0 for v in report["test"].values())
    assert np.asarray(report["confusion_matrix"]).sum() == 27
    assert report["n_epochs_total"] == 10  # 2 folds x (3 candidates x 1 + 1 x 2)
    matrix = pd.read_csv(out / "confusion_matrix.csv", index_col=0)
    assert list(matrix.columns) == ["yes", "no"] and matrix.to_numpy().sum() == 27


def test_saved_model_is_the_refitted_pipeline(halving_output):
    _, _, out = halving_output
    with open(out / "model.pkl", "rb") as f:
        model = pickle.load(f)
    frame = _table()
    assert model[-1].n_epochs_ == 3 and model[-1].batch_size == 16
    assert set(model.predict(frame.drop(columns="label"))) <= {"yes", "no"}
    report = json.loads((out / "test_report.json").read_text())
    best = json.loads((out / "best_params.json").read_text())
    assert model.get_params()["model__units"] == best["model__units"]
    assert report["config"]["search"] == "halving"


def test_plots_are_written(halving_output):
    pytest.importorskip("skdeep.plotting")
    _, _, out = halving_output
    for name in ("search.png", "learning_curves.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_config_file_with_params_space_and_flag_override(tmp_path, capsys):
    X, y = make_classification(n_samples=80, n_features=5, random_state=1)
    np.savez(tmp_path / "data.npz", X=X, y=y)
    config = tmp_path / "tune.toml"
    config.write_text(
        """
dataset = "data.npz"
search = "grid"
cv = 2
epochs = 1
scoring = "accuracy"
out = "ignored"

[params]
batch_size = 32

[space]
units = [4, 8]
learning_rate = {low = 1e-3, high = 1e-2, log = true}
"""
    )
    out = tmp_path / "from-flag"
    status = main(["tune", "--config", str(config), "--out", str(out), "--search", "random",
                   "--n-iter", "2"])  # fmt: skip
    assert status == 0
    assert not (tmp_path / "ignored").exists()
    results = pd.read_csv(out / "cv_results.csv")
    assert len(results) == 2
    assert set(results["param_model__units"]) <= {4, 8}
    assert results["param_model__learning_rate"].between(1e-3, 1e-2).all()
    with open(out / "model.pkl", "rb") as f:
        model = pickle.load(f)
    assert model[-1].batch_size == 32 and model[-1].epochs == 1
    report = json.loads((out / "test_report.json").read_text())
    assert report["positive_label"] == 1 and report["refit_metric"] == "accuracy"
    err = capsys.readouterr().err
    assert "4/4 fits" in err  # the progress bar: 2 candidates x 2 folds


# ---------------------------------------------------------------- errors and settings
def _error(argv, capsys):
    status = main(argv)
    assert status == 2
    return capsys.readouterr().err


def test_unknown_dataset(capsys, tmp_path):
    err = _error(["tune", "--dataset", "mnist_full", "--out", str(tmp_path)], capsys)
    assert "Unknown dataset" in err and "Received: --data mnist_full" in err


def test_missing_dataset_file(capsys, tmp_path):
    err = _error(["tune", "--dataset", str(tmp_path / "none.csv"), "--out", str(tmp_path)], capsys)
    assert "Dataset file not found" in err


def test_csv_needs_target(tmp_path, capsys):
    _table().to_csv(tmp_path / "d.csv", index=False)
    err = _error(["tune", "--dataset", str(tmp_path / "d.csv"), "--out", str(tmp_path)], capsys)
    assert "needs --target naming its label column" in err and "Received: --target not set" in err


def test_npz_needs_x_and_y(tmp_path, capsys):
    np.savez(tmp_path / "d.npz", data=np.zeros((3, 2)))
    err = _error(["tune", "--dataset", str(tmp_path / "d.npz"), "--out", str(tmp_path)], capsys)
    assert "must hold arrays named X and y" in err and "['data']" in err


def test_unknown_config_key(tmp_path, capsys):
    (tmp_path / "c.toml").write_text('datset = "iris"\n')
    err = _error(["tune", "--config", str(tmp_path / "c.toml")], capsys)
    assert "Unknown setting in the config file" in err and "['datset']" in err


def test_invalid_toml(tmp_path, capsys):
    (tmp_path / "c.toml").write_text("dataset = \n")
    assert "not valid TOML" in _error(["tune", "--config", str(tmp_path / "c.toml")], capsys)


def test_missing_config_file(tmp_path, capsys):
    assert "Config file not found" in _error(["tune", "--config", str(tmp_path / "x.toml")], capsys)


def test_bad_scoring_name(capsys, tmp_path):
    err = _error(["tune", "--scoring", "auc", "--out", str(tmp_path)], capsys)
    assert "Unknown metric name" in err and "'specificity'" in err and "'auc'" in err


def test_bad_param_syntax(capsys):
    assert "--param takes NAME=VALUE" in _error(["tune", "--param", "batch_size"], capsys)


def test_unknown_estimator_parameter(capsys, tmp_path):
    argv = ["tune", "--dataset", "iris", "--param", "unitz=3", "--out", str(tmp_path)]
    err = _error(argv, capsys)
    assert "Unknown ANNClassifier parameter" in err and "Received: --param unitz" in err


def test_invalid_parameter_value(capsys, tmp_path):
    argv = ["tune", "--dataset", "iris", "--param", "units=many", "--out", str(tmp_path)]
    err = _error(argv, capsys)
    assert "Invalid value of the ANNClassifier parameter units. Expected an int" in err
    assert "Received: units='many'" in err


def test_bad_space_entry(tmp_path, capsys):
    (tmp_path / "c.toml").write_text('dataset = "iris"\n[space]\nunits = 8\n')
    err = _error(["tune", "--config", str(tmp_path / "c.toml")], capsys)
    assert "space.units must be a list of values or a table with low and high" in err


def test_unknown_search_choice_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["tune", "--search", "optuna"])
    assert info.value.code == 2 and "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize(
    "changes, name",
    [({"cv": 1}, "cv"), ({"test_size": 1.5}, "test_size"), ({"min_epochs": 99}, "min_epochs")],
)
def test_config_checks(changes, name):
    from skdeep.exceptions import ParameterError

    with pytest.raises(ParameterError, match=f"Invalid tune setting {name}"):
        TuneConfig(**changes).check()


def test_parquet_matches_csv(tmp_path):
    pytest.importorskip("pyarrow")
    frame = _table(n=20)
    frame.to_parquet(tmp_path / "d.parquet")
    data = load_dataset(str(tmp_path / "d.parquet"), "label")
    pd.testing.assert_frame_equal(data.X, frame.drop(columns="label"))
    assert list(data.y) == list(frame["label"])


@pytest.mark.parametrize(
    "search, cls",
    [
        ("grid", "GridSearchCV"),
        ("random", "RandomizedSearchCV"),
        ("bayes", "BayesSearchCV"),
        ("coarse-to-fine", "CoarseToFineSearchCV"),
        ("halving", "EpochHalvingSearchCV"),
    ],
)
def test_every_search_kind_is_built_with_the_settings(search, cls):
    from sklearn.model_selection import StratifiedKFold

    from skdeep import ANNClassifier
    from skdeep._commands._common import model_pipeline
    from skdeep._commands.tune import _build_search
    from skdeep.metrics import make_scorers

    config = TuneConfig(search=search, n_iter=9, epochs=27, scoring="recall", seed=3)
    pipe = model_pipeline(np.zeros((4, 2)), ANNClassifier())
    built = _build_search(config, pipe, make_scorers(), StratifiedKFold(2))
    assert type(built).__name__ == cls
    params = built.get_params(deep=False)
    assert params["refit"] == "recall" and params["n_jobs"] == 1
    if search == "coarse-to-fine":
        assert (params["n_coarse"], params["n_fine"], params["random_state"]) == (6, 3, 3)
    if search == "halving":
        assert (params["n_candidates"], params["min_epochs"], params["max_epochs"]) == (9, 3, 27)
    if search in ("random", "bayes"):
        assert params["n_iter"] == 9


def test_n_jobs_zero_is_refused():
    from skdeep.exceptions import ParameterError

    with pytest.raises(ParameterError, match="Invalid tune setting n_jobs"):
        TuneConfig(n_jobs=0).check()
