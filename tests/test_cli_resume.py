"""Resumable runs: ``skdeep tune`` / ``skdeep study`` store every finished fit as it completes;
``--resume`` continues a killed run with the results of an uninterrupted one."""

import contextlib
import io
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from test_cli import fresh_runs

import skdeep
from skdeep._training import _phases
from skdeep.cli import main


@pytest.fixture(scope="module")
def data_csv(tmp_path_factory):
    X, y = make_classification(n_samples=80, n_features=4, random_state=0)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(4)])
    frame["label"] = np.where(y == 1, "yes", "no")
    path = tmp_path_factory.mktemp("data") / "data.csv"
    frame.to_csv(path, index=False)
    return path


def _tune(data_csv, out, *extra):
    argv = ["tune", "--dataset", str(data_csv), "--target", "label", "--search", "random"]
    argv += ["--n-iter", "2"]
    argv += ["--epochs", "2", "--cv", "2", "--param", "batch_size=16", "--out", str(out)]
    argv += ["--quiet", *extra]
    with contextlib.redirect_stdout(io.StringIO()):
        return main(argv)


def _untimed(path):
    frame = pd.read_csv(path)
    return frame.drop(columns=[c for c in frame if c.endswith("_time")])


def test_a_killed_tune_resumes_to_the_uninterrupted_results(data_csv, tmp_path, monkeypatch):
    assert _tune(data_csv, tmp_path / "full") == 0
    calls, real = [], _phases.train

    def killed_after_three(*args, **kwargs):  # of the 2 x 2 folds + 1 refit
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt  # Ctrl-C half-way through the search
        return real(*args, **kwargs)

    monkeypatch.setattr(_phases, "train", killed_after_three)
    with pytest.raises(KeyboardInterrupt):
        _tune(data_csv, tmp_path / "killed")
    stored = list((tmp_path / "killed" / "fits" / "skdeep-fits").glob("*.skdeep"))
    assert len(stored) == 3
    assert not (tmp_path / "killed" / "cv_results.csv").exists()  # written at the end only
    calls.clear()
    monkeypatch.setattr(_phases, "train", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    assert _tune(data_csv, tmp_path / "killed", "--resume") == 0
    full, resumed = tmp_path / "full", tmp_path / "killed"
    n_fits = len(pd.read_csv(full / "cv_results.csv")) * 2 + 1
    assert len(calls) == n_fits - 3  # only the unfinished fits trained
    pd.testing.assert_frame_equal(
        _untimed(resumed / "cv_results.csv"), _untimed(full / "cv_results.csv")
    )
    assert (resumed / "best_params.json").read_text() == (full / "best_params.json").read_text()
    model = skdeep.load(resumed / "model.skdeep")  # the safe format, beside the pickle
    assert model.n_epochs_ == 2 and model.classes_.tolist() == ["no", "yes"]


def test_an_output_folder_with_fits_needs_resume(data_csv, tmp_path):
    fits = tmp_path / "out" / "fits" / "skdeep-fits"
    fits.mkdir(parents=True)
    (fits / ("0" * 40 + ".skdeep")).write_bytes(b"x")
    runs = [
        (command, "--dataset", data_csv, "--target", "label", "--out", tmp_path / "out")
        for command in ("tune", "study")
    ]
    for done in fresh_runs(*runs):
        assert done.returncode == 2, done.stderr
        assert "holds 1 finished fits of an earlier run. Expected --resume" in done.stderr
        assert not done.modules & {"keras", "tensorflow"}  # refused before TensorFlow loads


def test_a_study_resumes_its_folds(data_csv, tmp_path, monkeypatch):
    argv = ["study", "--dataset", str(data_csv), "--target", "label", "--cv", "3"]
    argv += ["--param", "epochs=2", "--out", str(tmp_path / "s"), "--quiet"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(argv) == 0
    first = json.loads((tmp_path / "s" / "study.json").read_text())
    calls, real = [], _phases.train
    monkeypatch.setattr(_phases, "train", lambda *a, **k: (calls.append(1), real(*a, **k))[1])
    with contextlib.redirect_stdout(io.StringIO()):
        assert main([*argv, "--resume"]) == 0
    again = json.loads((tmp_path / "s" / "study.json").read_text())
    untimed = [k for k in first["summary"] if not k.endswith("_time")]
    assert calls == [] and len(untimed) >= 5
    assert {k: again["summary"][k] for k in untimed} == {k: first["summary"][k] for k in untimed}


def test_tune_help_names_the_safe_model_file_and_the_trust_rule_of_pickle(capsys):
    with pytest.raises(SystemExit) as done:
        main(["tune", "--help"])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "model.skdeep (skdeep's safe format: skdeep.load runs no code from it)" in text
    assert "pickle runs code when loaded, so open only files you trust" in text
    assert "--resume" in text
