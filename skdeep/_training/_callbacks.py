"""The user's Keras callbacks: checked before training, copied afresh for every fit.

The ``callbacks`` parameter holds templates: every fit trains with its own deep copy, so clones
in a search, parallel workers and repeated fits never share a callback's state (a CSVLogger's
open file, a ReduceLROnPlateau's counters). A file or folder path of a callback (``filename``,
``filepath``, ``log_dir``) may hold ``{fit}``, replaced in each copy by a name unique to that
fit (``<time>-<process>-<count>``, sortable), so that each fit of a search writes its own log:
``CSVLogger("logs/{fit}.csv")``, ``TensorBoard(log_dir="tb/{fit}")``.
"""

from __future__ import annotations

import copy
import itertools
import os
import tempfile
import threading
import time
from pathlib import Path

import keras

from ..exceptions import ParameterError, describe

__all__ = ["PATH_ATTRIBUTES", "check_callbacks", "continue_logs", "fit_callbacks"]

#: Callback attributes holding a path that may contain ``{fit}``.
PATH_ATTRIBUTES = ("filename", "filepath", "log_dir")
#: Callbacks that set the learning rate themselves.
RATE_CALLBACKS = (keras.callbacks.ReduceLROnPlateau, keras.callbacks.LearningRateScheduler)

_counter = itertools.count(1)
_lock = threading.Lock()


def fit_name() -> str:
    """A name unique to one fit: ``YYYYmmdd-HHMMSS-<pid>-<count>``."""
    with _lock:
        count = next(_counter)
    return f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{count}"


def check_callbacks(callbacks, *, lr_schedule: str) -> None:
    """ParameterError for anything that is not a usable Keras callback, before training."""
    if callbacks is None:
        return
    for i, callback in enumerate(callbacks):
        if not isinstance(callback, keras.callbacks.Callback):
            raise ParameterError(
                "callbacks must hold keras.callbacks.Callback instances. Expected e.g. "
                f"[keras.callbacks.CSVLogger('log.csv')]. Received: callbacks[{i}]="
                f"{describe(callback)}"
            )
        if isinstance(callback, RATE_CALLBACKS) and lr_schedule != "constant":
            raise ParameterError(
                f"{type(callback).__name__} and lr_schedule both set the learning rate. "
                "Expected one of them: lr_schedule='constant' with this callback, or no "
                f"such callback. Received: lr_schedule={lr_schedule!r}, callbacks[{i}]="
                f"{type(callback).__name__}"
            )
        for name in PATH_ATTRIBUTES:
            path = getattr(callback, name, None)
            if isinstance(path, str | os.PathLike):
                _check_writable(type(callback).__name__, name, str(path))


def _check_writable(kind: str, name: str, path: str) -> None:
    folder = Path(path.replace("{fit}", "x")).expanduser().resolve().parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not existing.is_dir() or not _can_write(existing):
        raise ParameterError(
            f"{kind} cannot write its {name}: the folder is not writable. Expected a path "
            f"in a writable folder. Received: {name}={path!r}"
        )


def _can_write(folder: Path) -> bool:
    """Whether a file can be created in ``folder`` (tried: permission bits lie to root)."""
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".skdeep-write-check-")
    except OSError:
        return False
    os.close(fd)
    os.unlink(name)
    return True


def fit_callbacks(callbacks) -> list[keras.callbacks.Callback]:
    """Fresh copies of ``callbacks`` for one fit, ``{fit}`` replaced in their paths."""
    if not callbacks:
        return []
    name = None
    copies = []
    for callback in callbacks:
        twin = copy.deepcopy(callback)
        for attribute in PATH_ATTRIBUTES:
            path = getattr(twin, attribute, None)
            if isinstance(path, str) and "{fit}" in path:
                name = name or fit_name()
                path = path.replace("{fit}", name)
                setattr(twin, attribute, path)
            if attribute != "log_dir" and isinstance(path, str | os.PathLike):
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        copies.append(twin)
    return copies


def continue_logs(callbacks) -> None:
    """Later phases of one fit append to the logs the first phase started."""
    for callback in callbacks:
        if isinstance(callback, keras.callbacks.CSVLogger):
            callback.append = True
