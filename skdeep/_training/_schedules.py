"""Learning-rate schedules as flat parameters: the rate of every epoch, set by one callback.

A schedule is a function of the network's epoch number (so a warm start continues it where the
previous fit stopped) and of the run (cosine decays over the ``epochs`` of one fit: a warm
start is a warm restart). The learning rate is a variable of the compiled optimizer, so changing
it every epoch never retraces the train step, and engines stay shared between schedules.

=============  ==========================================================  ===================
schedule       rate at epoch ``e`` (0-based, warm-up aside)                ``lr_decay`` default
=============  ==========================================================  ===================
constant       ``lr``                                                      unused
exponential    ``lr * lr_decay ** e``                                      0.95
step           ``lr * lr_decay ** (e // lr_decay_epochs)``                 0.5 (every 10)
cosine         from ``lr`` down to ``lr * lr_decay`` over the run          0.01
plateau        ``lr``, times ``lr_decay`` after ``lr_decay_epochs``        0.5 (patience 5)
               epochs without improvement of the validation loss (the
               training loss without a validation part)
=============  ==========================================================  ===================

``warmup_epochs`` first raises the rate linearly from ``lr / (warmup_epochs + 1)`` to ``lr``
over the network's first ``warmup_epochs`` epochs; the schedule then starts from its epoch 0.
A training phase with a rate of its own (TransferClassifier's fine-tuning) restarts the
schedule from its first epoch, without warm-up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import keras

__all__ = ["SCHEDULES", "LearningRateControl", "Schedule"]

SCHEDULES = ("constant", "exponential", "step", "cosine", "plateau")
#: ``lr_decay`` and ``lr_decay_epochs`` when left at None.
DEFAULT_DECAY = {"exponential": 0.95, "step": 0.5, "cosine": 0.01, "plateau": 0.5}
DEFAULT_DECAY_EPOCHS = {"step": 10, "plateau": 5}


@dataclass(frozen=True)
class Schedule:
    """The learning rate of each epoch of a network (see the module docs).

    Examples
    --------
    >>> s = Schedule("step", decay=0.5, decay_epochs=2)
    >>> [round(s.rate(e, 0.1, run_start=0, run_epochs=6), 4) for e in range(6)]
    [0.1, 0.1, 0.05, 0.05, 0.025, 0.025]
    >>> w = Schedule("constant", warmup=3)
    >>> [round(w.rate(e, 0.1, run_start=0, run_epochs=5), 3) for e in range(5)]
    [0.025, 0.05, 0.075, 0.1, 0.1]
    """

    kind: str
    decay: float | None = None
    decay_epochs: int | None = None
    warmup: int = 0

    @property
    def factor(self) -> float:
        return DEFAULT_DECAY.get(self.kind, 1.0) if self.decay is None else self.decay

    @property
    def every(self) -> int:
        if self.decay_epochs is None:
            return DEFAULT_DECAY_EPOCHS.get(self.kind, 1)
        return self.decay_epochs

    def rate(
        self, epoch: int, base: float, *, run_start: int, run_epochs: int, origin: int = 0
    ) -> float:
        """The rate of network epoch ``epoch`` (base rate ``base``) in a run of ``run_epochs``
        epochs starting at epoch ``run_start``; the schedule counts from epoch ``origin`` (0:
        the network's first epoch; a later origin restarts it, without warm-up)."""
        warmup = self.warmup if origin == 0 else 0
        if epoch < warmup:
            return base * (epoch + 1) / (warmup + 1)
        e = epoch - origin - warmup
        if self.kind == "exponential":
            return base * self.factor**e
        if self.kind == "step":
            return base * self.factor ** (e // self.every)
        if self.kind == "cosine":
            start = max(run_start, origin + warmup)
            span = max(1, run_start + run_epochs - start - 1)
            t = min(1.0, max(0.0, (epoch - start) / span))
            floor = base * self.factor
            return floor + (base - floor) * 0.5 * (1 + math.cos(math.pi * t))
        return base  # constant; plateau starts from the base and reacts to the logs


class LearningRateControl(keras.callbacks.Callback):
    """Sets the scheduled rate at each epoch start and records the rate used in the logs.

    ``history_["learning_rate"]`` is the rate each epoch trained at (for an optimizer that
    carries its own ``LearningRateSchedule``, the rate at the end of the epoch). ``schedule``
    None only records (the optimizer, or a user callback, controls the rate).
    """

    def __init__(
        self,
        schedule: Schedule | None,
        base: float | None,
        *,
        run_start: int,
        run_epochs: int,
        restart: bool = False,
    ) -> None:
        super().__init__()
        self.schedule = schedule if base is not None else None
        self.base = base
        self.run_start = run_start
        self.run_epochs = run_epochs
        self.origin = run_start if restart else 0

    def on_train_begin(self, logs=None) -> None:
        self.scale = 1.0  # plateau reductions so far
        self.best = math.inf
        self.wait = 0
        self.used: float | None = None

    def on_epoch_begin(self, epoch: int, logs=None) -> None:
        if self.schedule is None:
            return
        rate = self.schedule.rate(
            epoch,
            self.base,
            run_start=self.run_start,
            run_epochs=self.run_epochs,
            origin=self.origin,
        )
        self.model.optimizer.learning_rate = rate * self.scale
        self.used = rate * self.scale

    def on_epoch_end(self, epoch: int, logs=None) -> None:
        if logs is None:
            return
        logs["learning_rate"] = self._current() if self.used is None else self.used
        if self.schedule is not None and self.schedule.kind == "plateau":
            self._plateau(logs.get("val_loss", logs.get("loss")))

    def _current(self) -> float:
        return float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))

    def _plateau(self, value) -> None:
        if value is None or not math.isfinite(value):
            return
        if value < self.best:
            self.best, self.wait = value, 0
            return
        self.wait += 1
        if self.wait >= self.schedule.every:
            self.scale *= self.schedule.factor
            self.wait = 0
