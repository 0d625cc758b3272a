"""Every runnable example in docs/examples executes successfully (slow: real training)."""

import os
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


def test_cifar10_example_skips_with_the_how_to_when_the_data_are_absent(tmp_path):
    script = EXAMPLES[0].parent / "transfer_cifar10.py"
    code = (
        "import runpy, keras\n"
        "def offline():\n"
        "    raise OSError('no network (test)')\n"
        "keras.datasets.cifar10.load_data = offline\n"
        f"runpy.run_path({str(script)!r}, run_name='__main__')\n"
    )
    env = {**os.environ, "KERAS_HOME": str(tmp_path / "keras"), "SKDEEP_DATA": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("skipped: CIFAR-10 is not installed and the download failed")
    assert "cifar-10-python.tar.gz" in result.stdout
