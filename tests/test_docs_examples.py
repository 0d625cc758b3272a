"""Every runnable example in docs/examples executes successfully (slow: real training)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "docs" / "examples").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(path, tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, str(path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_cifar10_example_skips_with_the_how_to_when_the_data_are_absent(
    tmp_path, monkeypatch, capsys
):
    import keras

    def offline():
        raise OSError("no network (test)")

    monkeypatch.setattr(keras.datasets.cifar10, "load_data", offline)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("SKDEEP_DATA", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:  # the script, run as `python transfer_cifar10.py`
        runpy.run_path(str(EXAMPLES[0].parent / "transfer_cifar10.py"), run_name="__main__")
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("skipped: CIFAR-10 is not installed and the download failed")
    assert "cifar-10-python.tar.gz" in out
