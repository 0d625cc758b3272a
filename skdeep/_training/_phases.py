"""One training run of a compiled network: the unit every fit is made of.

A fit is a short sequence of phases (one for most estimators; a head phase and a fine-tune
phase for :class:`~skdeep.TransferClassifier`). Each phase trains one compiled network with
:func:`train` under its own :class:`RunSettings`; the estimator's parameters are never rewritten
for a phase. Training is seeded afresh for every run, so a reused engine and a newly compiled
model draw exactly the same shuffling and dropout streams.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

from ..exceptions import TrainingDivergedError
from ._inference import forward
from ._input import epoch_dataset
from ._monitor import TrainingMonitor
from ._prepare import Part, TrainingData
from ._schedules import LearningRateControl, Schedule
from ._seeding import data_seed, seeded

__all__ = ["Phase", "Record", "RunResult", "RunSettings", "merge_history", "train"]


@dataclass(frozen=True)
class RunSettings:
    """What one training run does (taken from the estimator's parameters by its phases)."""

    epochs: int
    batch_size: int
    learning_rate: float | None
    early_stopping: bool = False
    patience: int = 10
    seed: int | None = None
    verbose: int = 0
    max_samples: int | None = None  # bound of one validation inference call
    optimizer: str = ""  # named in the divergence error
    schedule: Schedule | None = None  # None: the rate stays as set (learning_rate, if any)
    monitor: str = "val_loss"
    min_delta: float = 0.0
    callbacks: tuple = ()  # the user's callbacks, copies of this fit
    restart_schedule: bool = False  # the schedule counts from this run's first epoch

    def replace(self, **changes) -> RunSettings:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class RunResult:
    """The record of one run: per-epoch logs, the network's epoch count after it, best epoch."""

    history: dict[str, list[float]]
    n_epochs: int
    best_epoch: int | None


def validation_evaluator(
    validation: Part, head, batch_size: int, max_samples: int | None, extra: tuple = ()
) -> Callable[[keras.Model], dict[str, float]]:
    """``evaluate(model)`` for :class:`TrainingMonitor`: the head's logs plus weight penalties."""

    def evaluate(model: keras.Model) -> dict[str, float]:
        raw = forward(model, validation.X, batch_size, max_samples)
        logs = head.validation_logs(raw, validation.y, validation.w, extra)
        penalties = model.losses
        if penalties:
            logs["val_loss"] += float(sum(keras.ops.convert_to_numpy(p) for p in penalties))
        return logs

    return evaluate


def _fit_inputs(
    train: Part, y_keras: np.ndarray, batch_size: int, seed: int, epoch_call: int
) -> dict:
    """Keras' training input: on TensorFlow skdeep's pipeline, endless when each compiled
    call (``epoch_call`` batches, the network's ``steps_per_execution``) is one epoch."""
    arrays = (train.X, y_keras) if train.w is None else (train.X, y_keras, train.w)
    steps = -(-len(train.X) // max(1, min(batch_size, len(train.X))))
    prepared = epoch_dataset(arrays, batch_size, seed, endless=epoch_call == steps)
    if prepared is None:  # JAX/torch: Keras iterates the arrays itself
        return dict(
            x=train.X, y=y_keras, sample_weight=train.w, batch_size=batch_size, shuffle=True
        )
    return dict(x=prepared[0], steps_per_epoch=prepared[1], shuffle=False)


def train(
    model: keras.Model,
    data: TrainingData,
    head,
    settings: RunSettings,
    *,
    initial_epoch: int = 0,
) -> RunResult:
    """Train ``model`` on ``data`` for ``settings.epochs`` more epochs; see the module docs.

    Raises
    ------
    TrainingDivergedError
        When the training loss became NaN or infinite (the run stops at that epoch).
    """
    evaluate = None
    if data.validation is not None:
        extra = () if settings.monitor == "val_loss" else (settings.monitor,)
        evaluate = validation_evaluator(
            data.validation, head, settings.batch_size, settings.max_samples, extra
        )
    with seeded(settings.seed):
        monitor = TrainingMonitor(
            evaluate=evaluate,
            early_stopping=settings.early_stopping,
            patience=settings.patience,
            monitor=settings.monitor,
            min_delta=settings.min_delta,
        )
        rates = LearningRateControl(
            settings.schedule,
            settings.learning_rate,
            run_start=initial_epoch,
            run_epochs=settings.epochs,
            restart=settings.restart_schedule,
        )
        y_keras = head.keras_target(data.train.y)
        seed = data_seed(settings.seed, initial_epoch)
        epoch_call = getattr(model, "steps_per_execution", 1)
        inputs = _fit_inputs(data.train, y_keras, settings.batch_size, seed, epoch_call)
        if settings.learning_rate is not None:
            model.optimizer.learning_rate = settings.learning_rate
        model.stop_training = False
        history = model.fit(
            **inputs,
            epochs=initial_epoch + settings.epochs,
            initial_epoch=initial_epoch,
            callbacks=[monitor, rates, *settings.callbacks],
            verbose=settings.verbose,
        )
    if monitor.diverged_at is not None:
        raise TrainingDivergedError(
            "Training diverged: the loss became NaN or infinite at epoch "
            f"{monitor.diverged_at}; predictions would be meaningless. "
            "Lower learning_rate, set clipnorm/clipvalue, or scale X. Received: "
            f"learning_rate={settings.learning_rate}, optimizer={settings.optimizer}"
        )
    logs = {k: [float(v) for v in values] for k, values in history.history.items()}
    n_run = len(logs.get("loss", []))
    return RunResult(logs, initial_epoch + n_run, monitor.best_epoch)


def merge_history(previous: dict | None, new: dict) -> dict[str, list[float]]:
    """``new`` appended to ``previous`` per key (a warm start continues the record)."""
    if not previous:
        return {k: list(v) for k, v in new.items()}
    merged = {k: list(v) for k, v in previous.items()}
    for k, values in new.items():
        merged.setdefault(k, []).extend(values)
    return merged


@dataclass
class Record:
    """What a fit has trained so far: the per-epoch logs, epoch count and restored epoch."""

    history: dict[str, list[float]] | None = None
    n_epochs: int = 0
    best_epoch: int | None = None
    results: dict[str, RunResult] = dataclasses.field(default_factory=dict)

    @classmethod
    def start(cls, est, continuing: bool) -> Record:
        """A fresh record, or the estimator's own when its network continues training."""
        if not continuing:
            return cls()
        return cls(getattr(est, "history_", None), getattr(est, "n_epochs_", 0))

    def add(self, phase: str, result: RunResult) -> None:
        self.history = merge_history(self.history, result.history)
        self.n_epochs = result.n_epochs
        self.best_epoch = result.best_epoch
        self.results[phase] = result

    def store(self, est) -> None:
        est.history_ = self.history if self.history is not None else {}
        est.n_epochs_ = self.n_epochs
        est.best_epoch_ = self.best_epoch


@dataclass(frozen=True)
class Phase:
    """One training run of a fit.

    Attributes
    ----------
    name : str
    settings : RunSettings
    head : callable
        ``head(model)``: the output contract of the network trained
        (:class:`~skdeep._training._head.ClassifierHead`).
    start : callable
        ``start(previous, data, settings, transaction) -> (model, data, settings)``: the
        compiled model to train (given the previous phase's network, the warm-started one, or
        None), what it trains on (the fit's data, or e.g. cached features of its images) and
        the run's settings, adapted to the network where needed (a network compiled by its
        user keeps its own optimizer's learning rate).
    finish : callable or None
        ``finish(model, result, record) -> keras.Model``: the network after the phase (e.g. the
        head composed with its base, or the previous weights when fine-tuning did not help).
    """

    name: str
    settings: RunSettings
    head: Callable
    start: Callable
    finish: Callable | None = None

    def run(self, previous, data: TrainingData, record: Record, transaction) -> keras.Model:
        model, phase_data, settings = self.start(previous, data, self.settings, transaction)
        head = self.head(model)
        result = train(model, phase_data, head, settings, initial_epoch=record.n_epochs)
        record.add(self.name, result)
        return model if self.finish is None else self.finish(model, result, record)
