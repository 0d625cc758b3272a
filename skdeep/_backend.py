"""Backend set-up at import: actionable missing-backend errors, per-worker threads and GPU memory.

Parallel searches (joblib's loky workers, dask workers) start one Python process per worker and
set ``OMP_NUM_THREADS`` to that worker's share of the cores. NumPy's BLAS honours it; Keras
backends do not: each TensorFlow worker would start one thread per core, and two workers on two
cores oversubscribe the CPU. At import skdeep therefore applies the limit to the backend:

* ``SKDEEP_NUM_THREADS`` (explicit) or ``OMP_NUM_THREADS`` → TensorFlow intra-op threads,
  PyTorch ``set_num_threads``, and for JAX (before its import) XLA's CPU thread flags;
* in a worker process (one with a parent), GPUs are not pre-allocated: TensorFlow memory growth
  is enabled and JAX's ``XLA_PYTHON_CLIENT_PREALLOCATE`` defaults to ``false``, so workers
  sharing a GPU do not each try to take all of its memory.
"""

from __future__ import annotations

import multiprocessing
import os
import warnings

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


def import_keras():
    """Import Keras and configure its backend; a missing backend says what to install."""
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    threads = thread_limit()
    if backend == "jax":
        _prepare_jax_environment(threads)
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
    active = keras.backend.backend()
    if active == "tensorflow":
        _configure_tensorflow(threads)
    elif active == "torch" and threads is not None:
        import torch

        torch.set_num_threads(threads)
    return keras
