"""Backend set-up at import: actionable missing-backend errors, per-worker threads and GPU memory.

Parallel searches (joblib's loky workers, dask workers) start one Python process per worker and
set ``OMP_NUM_THREADS`` to that worker's share of the cores. NumPy's BLAS honours it; Keras
backends do not: each TensorFlow worker would start one thread per core, and two workers on two
cores oversubscribe the CPU. At import skdeep therefore applies the limit to the backend:

* ``SKDEEP_NUM_THREADS`` (explicit) or ``OMP_NUM_THREADS`` → TensorFlow intra-op threads,
  PyTorch ``set_num_threads``, and for JAX (before its import) XLA's CPU thread flags;
* in a worker process (one with a parent), GPUs are not pre-allocated: TensorFlow memory growth
  is enabled and JAX's ``XLA_PYTHON_CLIENT_PREALLOCATE`` defaults to ``false``, so workers
  sharing a GPU do not each try to take all of its memory;
* TensorFlow's native start-up lines (``cpu_feature_guard``, the oneDNN notice, absl's "All
  log messages before absl::InitializeLog()") are kept off stderr: ``TF_CPP_MIN_LOG_LEVEL``
  defaults to 2 (warnings and info hidden), and since TensorFlow 2.20 prints some of those
  lines before it reads that variable, the import runs with the process's stderr captured and
  only the lines at or above the level are passed on. A ``TF_CPP_MIN_LOG_LEVEL`` the user set
  is honoured as it is (0 shows everything).

This module imports nothing heavy; :mod:`skdeep._keras` calls :func:`import_keras` once.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Iterator

_EXTRAS = {
    "tensorflow": "pip install 'skdeep[cpu]' (or 'skdeep[gpu]' for CUDA)",
    "jax": "pip install 'skdeep[jax]' (or jax[cuda12] for GPUs)",
    "torch": "pip install torch",
}


def thread_limit() -> int | None:
    """The per-process thread budget requested through the environment, if any."""
    for name in ("SKDEEP_NUM_THREADS", "OMP_NUM_THREADS"):
        value = os.environ.get(name, "").strip()
        if value.isdigit() and int(value) > 0:
            return int(value)
    return None


def in_worker_process() -> bool:
    return multiprocessing.parent_process() is not None


def _prepare_jax_environment(threads: int | None) -> None:
    if in_worker_process():
        os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    if threads is not None and "XLA_FLAGS" not in os.environ:
        os.environ["XLA_FLAGS"] = (
            f"--xla_cpu_multi_thread_eigen={'true' if threads > 1 else 'false'} "
            f"intra_op_parallelism_threads={threads}"
        )


def _configure_tensorflow(threads: int | None) -> None:
    import tensorflow as tf

    try:
        if threads is not None:
            tf.config.threading.set_intra_op_parallelism_threads(threads)
            tf.config.threading.set_inter_op_parallelism_threads(min(2, threads))
        if in_worker_process():
            for gpu in tf.config.list_physical_devices("GPU"):
                tf.config.experimental.set_memory_growth(gpu, True)
    except RuntimeError as exc:  # the runtime was initialised before skdeep was imported
        warnings.warn(
            "skdeep could not apply per-worker settings to TensorFlow because it was already "
            f"initialised ({exc}). In parallel searches each worker may use all cores or all "
            "GPU memory; import skdeep before running TensorFlow code, or set "
            "TF_NUM_INTRAOP_THREADS and TF_FORCE_GPU_ALLOW_GROWTH=true.",
            RuntimeWarning,
            stacklevel=3,
        )


#: A native (absl/glog) log line: severity letter, MMDD, time, thread, file:line.
_NATIVE_LINE = re.compile(r"^([IWEF])\d{4} [\d:.]+ +\d+ [^ \]]+:\d+\] ")
_SEVERITY = {"I": 0, "W": 1, "E": 2, "F": 3}
#: Lines of TensorFlow's start-up banner that carry no severity prefix: (text, severity).
_BARE_LINES = (
    ("WARNING: All log messages before absl::InitializeLog() is called", 1),
    ("To enable the following instructions:", 0),  # second line of cpu_feature_guard's notice
)


def native_log_level() -> int:
    """The minimum severity of TensorFlow's native log lines that reach stderr (0-3).

    ``TF_CPP_MIN_LOG_LEVEL`` when the user set it, else 2 (errors only), which is also written
    to the environment so that TensorFlow and worker processes use it.
    """
    value = os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2").strip()
    return int(value) if value.isdigit() else 0


def _shown(line: str, level: int) -> bool:
    match = _NATIVE_LINE.match(line)
    if match:
        return _SEVERITY[match.group(1)] >= level
    for text, severity in _BARE_LINES:
        if line.startswith(text):
            return severity >= level
    return True


def filter_native_log(text: str, level: int) -> str:
    """``text`` without the native log lines below ``level`` (other lines are kept).

    Examples
    --------
    >>> lines = ["I0000 00:00:1.5   7 port.cc:153] oneDNN custom operations are on.",
    ...          "E0000 00:00:1.6   7 cuda.cc:9] no GPU",
    ...          "UserWarning: kept"]
    >>> print(filter_native_log(chr(10).join(lines), 2))
    E0000 00:00:1.6   7 cuda.cc:9] no GPU
    UserWarning: kept
    """
    return "".join(line for line in text.splitlines(keepends=True) if _shown(line, level))


@contextlib.contextmanager
def _filtered_native_stderr(level: int) -> Iterator[None]:
    """Run the block with file descriptor 2 captured; replay the lines that pass ``level``."""
    if level <= 0:
        yield
        return
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all (e.g. a GUI process): nothing to keep quiet
        yield
        return
    with contextlib.suppress(AttributeError, ValueError, OSError):
        sys.stderr.flush()
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(AttributeError, ValueError, OSError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = filter_native_log(captured.read().decode("utf-8", "replace"), level)
            if kept:
                os.write(2, kept.encode("utf-8"))


def import_keras():
    """Import Keras and configure its backend; a missing backend says what to install."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    threads = thread_limit()
    if backend == "jax":
        _prepare_jax_environment(threads)
    quiet = "tensorflow" not in sys.modules and "keras" not in sys.modules
    with _filtered_native_stderr(native_log_level() if quiet else 0):
        keras = _import_keras_module(backend)
        active = keras.backend.backend()
        if active == "tensorflow":
            _configure_tensorflow(threads)
        elif active == "torch" and threads is not None:
            import torch

            torch.set_num_threads(threads)
    return keras


def _import_keras_module(backend: str):
    try:
        import keras
    except ImportError as exc:  # keras itself or its backend is missing
        hint = _EXTRAS.get(backend, f"install the '{backend}' package")
        raise ImportError(
            f"skdeep needs Keras 3 with a backend, and the '{backend}' backend "
            f"(KERAS_BACKEND={backend!r}) could not be imported: {exc}. "
            f"Install it with: {hint}; or set KERAS_BACKEND to an installed backend "
            "('tensorflow', 'jax' or 'torch')."
        ) from exc
    return keras
