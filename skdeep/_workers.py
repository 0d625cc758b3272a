"""Bounded memory in parallel searches: loky workers are replaced once they have grown enough.

TensorFlow keeps the graphs it traces for every network architecture for the life of the
process, whatever Python frees (measured: about 5 MB per new architecture of a small dense net;
``tf.config``, ``clear_session``, removing the functions from the eager context and
``malloc_trim`` do not give it back). skdeep reuses compiled models, so repeated architectures
cost nothing, but a search over architectures grows a process by that much per candidate.

What cannot be freed can be isolated: joblib's loky workers already end themselves and are
replaced after a task when their memory has grown by more than a threshold since their first
task (300 MB by default). In a worker process skdeep lowers it to ``SKDEEP_WORKER_MEMORY_MB``
(default 100 MB), so each worker of a search over architectures stays within about that much
of its start-up size, at the cost of one more TensorFlow import (a few seconds) per
replacement. The main process of ``n_jobs >= 2`` searches trains nothing and stays flat. A
search with ``n_jobs=1`` runs in the main process, where the growth stays.
"""

from __future__ import annotations

import os

__all__ = [
    "DEFAULT_WORKER_MEMORY_MB",
    "REPLACED_WORKER_WARNING",
    "bound_worker_memory",
    "quiet_replaced_workers",
    "worker_memory_limit",
]

#: What loky warns in the main process when a worker it is replacing had tasks queued; with
#: skdeep's bound that is the planned replacement, not the "memory leak" the text suspects.
REPLACED_WORKER_WARNING = r"A worker stopped while some jobs were given to the executor"

#: The growth (MB) after which a loky worker of a skdeep search is replaced.
DEFAULT_WORKER_MEMORY_MB = 100


def worker_memory_limit() -> int | None:
    """The threshold in bytes (``SKDEEP_WORKER_MEMORY_MB``; 0 or "off": loky's own)."""
    value = os.environ.get("SKDEEP_WORKER_MEMORY_MB", "").strip().lower()
    if value in ("0", "off", "none"):
        return None
    megabytes = int(value) if value.isdigit() else DEFAULT_WORKER_MEMORY_MB
    return megabytes * 2**20


def bound_worker_memory() -> bool:
    """In a loky worker, set its memory-growth threshold; True when it was set.

    Needs ``psutil`` (a dependency of skdeep), which loky uses to measure its workers.
    """
    import multiprocessing

    limit = worker_memory_limit()
    if limit is None or multiprocessing.parent_process() is None:
        return False
    try:
        from joblib.externals.loky import process_executor
    except ImportError:  # pragma: no cover - joblib without loky
        return False
    if not getattr(process_executor, "_USE_PSUTIL", False):
        return False
    process_executor._MAX_MEMORY_LEAK_SIZE = limit
    return True


def quiet_replaced_workers() -> None:
    """In the main process, silence loky's warning about a replaced worker (while the bound
    is on): every replacement of a search over many architectures would print it."""
    import multiprocessing
    import warnings

    if worker_memory_limit() is None or multiprocessing.parent_process() is not None:
        return
    warnings.filterwarnings("ignore", message=REPLACED_WORKER_WARNING, category=UserWarning)
