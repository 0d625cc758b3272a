"""`skdeep study`: end to end on tiny data, options, config files and every error message."""

import json
import os

import numpy as np
import pandas as pd
import pytest

from skdeep.cli import main

FILES = {
    "folds.csv",
    "summary.csv",
    "confusion_matrix.csv",
    "predictions.csv",
    "histories.json",
    "study.json",
    "report.txt",
    "learning_curves.png",
    "confusion_matrix.png",
    "fits",  # every finished fold, for --resume
}
FAST = ["--param", "epochs=2", "--param", "units=8", "--param", "n_layers=1", "--quiet"]


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = np.where(X[:, 0] + 0.5 * X[:, 1] > 0, "yes", "no")
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"]).assign(label=y)
    folder = tmp_path_factory.mktemp("data")
    frame.to_csv(folder / "tiny.csv", index=False)
    np.savez(folder / "tiny.npz", X=X.astype("float32"), y=(y == "yes").astype(int))
    return folder


def test_bundled_dataset_end_to_end(tmp_path, capsys):
    out = tmp_path / "iris-study"
    rc = main(["study", "--data", "iris", "--cv", "2", "--out", str(out), *FAST])
    assert rc == 0
    assert {p.name for p in out.iterdir()} == FILES
    printed = capsys.readouterr().out
    report = (out / "report.txt").read_text().strip()
    assert report in printed
    assert "setosa" in report and "averaging: macro" in report
    folds = pd.read_csv(out / "folds.csv")
    assert len(folds) == 2 and (folds["n_epochs"] == 2).all()
    info = json.loads((out / "study.json").read_text())
    assert info["estimator_name"] == "StandardScaler -> ANNClassifier"
    assert info["command"]["params"] == {"epochs": 2, "units": 8, "n_layers": 1}
    assert info["command"]["scale"] is True
    assert "random_state=0" in info["estimator"]  # --seed (default 0) seeds the model
    histories = json.loads((out / "histories.json").read_text())
    assert len(histories) == 2 and len(histories[0]["loss"]) == 2


def test_csv_with_target_repeats_scoring_and_no_scale(table, tmp_path, capsys):
    out = tmp_path / "csv"
    argv = ["study", "--data", str(table / "tiny.csv"), "--target", "label", "--cv", "2"]
    argv += ["--repeats", "2", "--scoring", "recall,specificity", "--no-scale"]
    argv += ["--param", "activation=elu", "--seed", "3", "--out", str(out), *FAST]
    assert main(argv) == 0
    folds = pd.read_csv(out / "folds.csv")
    assert folds[["repeat", "fold"]].values.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert {"recall", "specificity"} <= set(folds) and "f1" not in folds
    info = json.loads((out / "study.json").read_text())
    assert info["estimator_name"] == "ANNClassifier"
    assert info["pos_label"] == "no"  # the rarer class (29 of 60)
    assert "activation='elu'" in info["estimator"] and "random_state=3" in info["estimator"]
    assert info["cv"] == "RepeatedStratifiedKFold(n_repeats=2, n_splits=2, random_state=3)"
    cm = pd.read_csv(out / "confusion_matrix.csv", index_col=0)
    assert cm.to_numpy().sum() == 2 * 60


def test_npz_and_config_file_with_flag_override(table, tmp_path):
    config = tmp_path / "study.toml"
    config.write_text(
        f'data = "{os.path.relpath(table / "tiny.npz", tmp_path)}"\n'
        "cv = 3\n"
        'out = "from-config"\n'
        "n-jobs = 1\n"
        "verbose = 0\n"
        'scoring = ["accuracy", "f1"]\n'
        "[param]\nepochs = 1\nunits = 4\nn_layers = 1\n"
    )
    assert main(["study", "--config", str(config), "--cv", "2"]) == 0
    out = tmp_path / "from-config"  # relative to the config file
    folds = pd.read_csv(out / "folds.csv")
    assert len(folds) == 2  # the flag won over cv = 3
    assert list(folds.columns[4:6]) == ["accuracy", "f1"] and "recall" not in folds
    info = json.loads((out / "study.json").read_text())
    assert info["command"]["params"] == {"epochs": 1, "units": 4, "n_layers": 1}
    assert info["labels"] == [0, 1] and info["pos_label"] == 1


def run_error(argv, capsys):
    assert main(["study", *argv]) == 2
    return capsys.readouterr().err


def test_option_errors(table, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    csv = str(table / "tiny.csv")
    assert "No dataset given. Expected --data" in run_error([], capsys)
    assert "Dataset file not found" in run_error(["--data", "nope.csv"], capsys)
    assert "needs --target naming its label column" in run_error(["--data", csv], capsys)
    err = run_error(["--data", csv, "--target", "y"], capsys)
    assert "Target column not found. Expected one of ['a', 'b', 'c', 'd', 'label']" in err
    assert "--param takes NAME=VALUE (e.g. --param batch_size=64). Received: --param units" in (
        run_error(["--data", "iris", "--param", "units"], capsys)
    )
    err = run_error(["--data", "iris", "--param", "unit=3"], capsys)
    assert "Unknown ANNClassifier parameter" in err and "Received: --param unit" in err
    assert "--cv must be an integer >= 2. Received: cv=1" in run_error(
        ["--data", "iris", "--cv", "1"], capsys
    )
    assert "--repeats must be an integer >= 1" in run_error(
        ["--data", "iris", "--repeats", "0"], capsys
    )
    assert "Unknown metric name" in run_error(
        ["--data", "iris", "--scoring", "f2", "--out", str(tmp_path / "x"), *FAST], capsys
    )


def test_data_file_errors(table, tmp_path, capsys, monkeypatch):
    text = tmp_path / "data.txt"
    text.write_text("1,2\n")
    assert "Unknown dataset. Expected a bundled name" in run_error(["--data", str(text)], capsys)
    bad_npz = tmp_path / "bad.npz"
    np.savez(bad_npz, features=np.zeros((3, 2)))
    err = run_error(["--data", str(bad_npz)], capsys)
    assert "must hold arrays named X and y. Expected keys X, y. Received: keys ['features']" in err
    parquet = tmp_path / "t.parquet"
    parquet.write_bytes(b"PAR1")

    def no_engine(path):
        raise ImportError("Unable to find a usable engine")

    monkeypatch.setattr(pd, "read_parquet", no_engine)
    err = run_error(["--data", str(parquet), "--target", "label"], capsys)
    assert "Reading Parquet files needs pyarrow" in err


def test_config_errors(tmp_path, capsys):
    assert "Config file not found" in run_error(["--config", str(tmp_path / "no.toml")], capsys)
    broken = tmp_path / "broken.toml"
    broken.write_text("cv = \n")
    assert "The config file is not valid TOML" in run_error(["--config", str(broken)], capsys)
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('data = "iris"\nfolds = 3\n')
    err = run_error(["--config", str(unknown)], capsys)
    assert "Unknown setting in the config file" in err and "Received: ['folds']" in err
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('data = "iris"\nestimator = "svm"\n')
    assert "Unknown estimator. Expected one of ['ann', 'cnn', 'transfer']" in run_error(
        ["--config", str(wrong)], capsys
    )


def test_estimator_choice_is_checked_by_argparse(capsys):
    with pytest.raises(SystemExit):
        main(["study", "--data", "iris", "--estimator", "svm"])
    assert "invalid choice: 'svm'" in capsys.readouterr().err
