"""Shared helpers for the benchmark scripts: environment record, RSS, fresh interpreters, JSON."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def environment() -> dict:
    import keras
    import sklearn

    import skdeep

    info = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "sklearn": sklearn.__version__,
        "skdeep": skdeep.__version__,
    }
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        info["tensorflow"] = tf.__version__
        info["device"] = "GPU" if tf.config.list_physical_devices("GPU") else "CPU"
    elif keras.backend.backend() == "jax":
        import jax

        info["jax"] = jax.__version__
        info["device"] = str(jax.devices()[0])
    return info


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def run_json(code: str, env: dict | None = None) -> dict:
    """Run ``code`` in a fresh interpreter and return the JSON object on its last output line.

    ``env`` holds variables added to this process's environment.
    """
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=None if env is None else {**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def write(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"environment": environment(), **payload}
    path.write_text(json.dumps(payload, indent=2, default=float) + "\n")
    print(f"wrote {path}")
    return path
