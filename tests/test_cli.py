"""The ``skdeep`` console command, run as a user runs it: in a fresh process."""

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from skdeep.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("keras", "tensorflow", "sklearn", "pandas", "scipy", "matplotlib")


def _fresh_env() -> dict[str, str]:
    """A user's environment for a fresh process: this checkout first on the path, TensorFlow's
    log level left to skdeep."""
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    env["KERAS_BACKEND"] = "tensorflow"
    return env


def skdeep(*args, cwd=None, timeout=300) -> subprocess.CompletedProcess:
    """``python -m skdeep.cli ARGS`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "skdeep.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, env=_fresh_env(), timeout=timeout,
    )  # fmt: skip


def run_main(*args, cwd=None) -> subprocess.CompletedProcess:
    """The same command run in this process (``skdeep.cli.main``), for end-to-end tests of
    what a command computes and writes; what only a fresh process shows (TensorFlow's start-up
    lines, what is imported before an error) is tested with :func:`skdeep` and
    :func:`fresh_runs`."""
    from skdeep.cli import main

    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.chdir(cwd or os.getcwd()),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = main([str(a) for a in args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


_DRIVER = """
import contextlib, io, json, sys
from skdeep.cli import main
done = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
    modules = sorted({name.split(".")[0] for name in sys.modules})
    done.append([code, out.getvalue(), err.getvalue(), modules])
sys.stdout.write(json.dumps(done))
"""


def fresh_runs(*runs, cwd=None) -> list[subprocess.CompletedProcess]:
    """Each argument list of ``runs`` given to ``skdeep.cli.main`` in turn, in one fresh
    interpreter (the process's start-up is paid once for all of them): per run its exit
    status, output and error output, with ``modules``, the top-level packages imported by the
    end of that run (earlier runs' included, so a run that imported Keras shows in every later
    one), and ``native``, what the process itself wrote to its stderr (TensorFlow's native
    start-up lines go there)."""
    argvs = [[str(a) for a in argv] for argv in runs]
    process = subprocess.run(
        [sys.executable, "-c", _DRIVER, json.dumps(argvs)],
        capture_output=True, text=True, cwd=cwd, env=_fresh_env(), timeout=300,
    )  # fmt: skip
    assert process.returncode == 0, process.stderr[-3000:]
    results = []
    for argv, (code, out, err, modules) in zip(argvs, json.loads(process.stdout)):
        result = subprocess.CompletedProcess(argv, code, out, err)
        result.modules, result.native = set(modules), process.stderr
        results.append(result)
    return results


@pytest.fixture(scope="module")
def own_csv(tmp_path_factory):
    """A user's table: numbers, a text column, a few missing values, a string target."""
    folder = tmp_path_factory.mktemp("own")
    rng = np.random.default_rng(0)
    n = 48
    frame = pd.DataFrame(rng.normal(size=(n, 3)), columns=["a", "b", "c"])
    frame["city"] = rng.choice(["paris", "rome", "oslo"], n)
    frame.loc[[2, 9], "a"] = np.nan
    frame.loc[4, "city"] = np.nan
    frame["label"] = np.where(frame["b"] + (frame["city"] == "rome") > 0.8, "yes", "no")
    frame.to_csv(folder / "own.csv", index=False)
    return folder


HELP = [("--help",), ("tune", "--help"), ("study", "--help")]
ERRORS = [
    (("tune", "--data", "nope.csv"), "Dataset file not found"),
    (("study", "--data", "own.csv", "--target", "lbl"), "Target column not found"),
    (("tune", "--data", "own.csv", "--target", "label", "--out", "own.csv"), "existing file"),
    (("study", "--data", "iris", "--param", "unitz=3"), "Unknown ANNClassifier parameter"),
    (("tune", "--data", "iris", "--scoring", "f2"), "Unknown metric name"),
    (("study", "--data", "iris", "--pos-label", "setosa"), "binary targets only"),
    (("tune", "--config", "none.toml"), "Config file not found"),
]


@pytest.fixture(scope="module")
def fresh_cli(own_csv):
    """The help and error runs of the tests below in one fresh process, by argument tuple
    (the help runs first: they must import nothing heavy)."""
    runs = [*HELP, *(args for args, _ in ERRORS)]
    return dict(zip(runs, fresh_runs(*runs, cwd=own_csv)))


@pytest.mark.parametrize("args", HELP)
def test_help_loads_nothing_heavy_and_prints_no_tensorflow_lines(fresh_cli, args):
    result = fresh_cli[args]
    assert result.returncode == 0 and "usage: skdeep" in result.stdout
    assert not result.modules & set(HEAVY)
    assert result.stderr == "" and result.native == ""


@pytest.mark.parametrize("args, message", ERRORS)
def test_errors_come_before_tensorflow_is_imported(fresh_cli, args, message):
    result = fresh_cli[args]
    assert result.returncode == 2, result.stderr[-2000:]
    assert message in result.stderr
    assert result.stderr.startswith(f"skdeep {args[0]}: error: ")
    assert not result.modules & {"keras", "tensorflow"}


def test_the_console_script_exits_with_the_status_and_skips_the_last_collection(
    monkeypatch, capsys
):
    import gc

    import tomllib

    from skdeep import cli

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"skdeep": "skdeep.cli:run"}
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(capsys.readouterr().err))
    monkeypatch.setattr(sys, "argv", ["skdeep", "tune", "--data", "nope.csv"])
    with pytest.raises(SystemExit) as exit_:
        cli.run()
    assert exit_.value.code == 2  # main's status for an error it reports
    assert len(frozen) == 1 and "skdeep tune: error: " in frozen[0]  # written before


def test_console_script_help():
    script = Path(sys.executable).with_name("skdeep")
    if not script.exists():
        pytest.skip("the skdeep console script is not installed next to this Python")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    result = subprocess.run([script, "tune", "--help"], capture_output=True, text=True, env=env)
    assert result.returncode == 0 and "--param NAME=VALUE" in result.stdout
    assert result.stderr == ""


def test_tune_and_study_on_the_same_csv_agree(own_csv, tmp_path):
    """Python and TOML spellings of --param work in both; the same positive class; one
    preprocessing front (text and missing values) in both."""
    common = ["--data", own_csv / "own.csv", "--target", "label", "--cv", "2", "--quiet"]
    tune = run_main(  # a fresh process's start-up lines: test_demo_runs_the_halving_preset
        "tune", *common, "--n-iter", "2", "--epochs", "2", "--param", "early_stopping=True",
        "--param", "batch_size=16", "--out", tmp_path / "tune",
    )  # fmt: skip
    assert tune.returncode == 0, tune.stderr[-3000:]
    study = run_main(
        "study", *common, "--param", "epochs=2", "--param", "early_stopping=true",
        "--out", tmp_path / "study",
    )  # fmt: skip
    assert study.returncode == 0, study.stderr[-3000:]
    for result in (tune, study):
        assert "own: 48 samples, 4 features (1 text, 3 missing values), 2 classes" in result.stdout
    results = pd.read_csv(tmp_path / "tune" / "cv_results.csv")
    assert results["mean_test_f1"].notna().all()  # no failed fit
    report = json.loads((tmp_path / "tune" / "test_report.json").read_text())
    info = json.loads((tmp_path / "study" / "study.json").read_text())
    assert report["positive_label"] == info["pos_label"] == "yes"  # the rarer class
    assert report["config"]["params"]["early_stopping"] is True
    assert info["command"]["params"] == {"epochs": 2, "early_stopping": True}
    assert info["estimator_name"] == "ColumnTransformer -> ANNClassifier"
    folds = pd.read_csv(tmp_path / "study" / "folds.csv")
    assert folds["f1"].notna().all() and len(folds) == 2


def test_demo_runs_the_halving_preset_and_reports():
    result = skdeep("demo", "--n-iter", "2", "--cv", "2", "--quiet")
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert out.startswith("breast_cancer: 569 samples, 30 features, 2 classes")
    assert "halving search: 5 results x 2 folds" in out  # 2 candidates, then the better one
    assert "training epochs spent by the search:" in out and "best parameters:" in out
    for metric in ("precision", "recall", "specificity", "f1"):
        assert f"\n  {metric} " in out
    assert "positive class 'malignant'" in out and "confusion matrix" in out
    assert result.stderr == ""  # --quiet: no bar; no TensorFlow start-up lines (a new process)


def _make(*args):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_demo_installs_only_what_the_demo_needs_and_says_so_first(tmp_path):
    lines = _make("demo", f"VENV={tmp_path / 'venv'}")
    installs = [i for i, line in enumerate(lines) if "pip install" in line and ".[" in line]
    assert len(installs) == 1 and '".[cpu]"' in lines[installs[0]]
    said = " ".join(lines[: installs[0]])
    assert "TensorFlow" in said and "once" in said and "MB" in said
    assert lines[-1].endswith("skdeep demo")
    tests = _make("test", f"VENV={tmp_path / 'venv'}")
    assert any('".[cpu,dev]"' in line for line in tests)


def test_unknown_command_exits_with_usage(capsys):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["nope"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
