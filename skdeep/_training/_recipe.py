"""The training recipe of a fit (learning rate, schedule, validation part, monitor, callbacks):
what each parameter resolves to, and every check between them, made before any data is touched.
"""

from __future__ import annotations

import os
import warnings
from numbers import Integral, Real

import keras

from ..builders.optimizers import OPTIMIZERS
from ..exceptions import ParameterError, describe
from ..utils._compat import HasMethods, Interval, StrOptions
from ._callbacks import check_callbacks, fit_callbacks
from ._model import OptimizerSpec
from ._phases import RunSettings
from ._schedules import SCHEDULES, Schedule
from ._seeding import fit_seed

__all__ = [
    "TRAINING_CONSTRAINTS",
    "base_learning_rate",
    "check_recipe",
    "holdout",
    "optimizer_spec",
    "run_settings",
    "schedule_of",
    "scheduled",
]

#: scikit-learn constraints of the training parameters every skdeep estimator takes.
TRAINING_CONSTRAINTS: dict = {
    "optimizer": [StrOptions(set(OPTIMIZERS)), keras.optimizers.Optimizer],
    "learning_rate": [None, Interval(Real, 0, None, closed="neither")],
    "momentum": [Interval(Real, 0, 1, closed="left")],
    "clipnorm": [None, Interval(Real, 0, None, closed="neither")],
    "clipvalue": [None, Interval(Real, 0, None, closed="neither")],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "epochs": [Interval(Integral, 1, None, closed="left")],
    "early_stopping": ["boolean"],
    "patience": [Interval(Integral, 0, None, closed="left")],
    "validation_fraction": [None, Interval(Real, 0, 1, closed="left")],
    "monitor": [StrOptions({"val_loss"})],
    "min_delta": [Interval(Real, 0, None, closed="left")],
    "lr_schedule": [StrOptions(set(SCHEDULES))],
    "lr_decay": [None, Interval(Real, 0, 1, closed="right")],
    "lr_decay_epochs": [None, Interval(Integral, 1, None, closed="left")],
    "warmup_epochs": [Interval(Integral, 0, None, closed="left")],
    "callbacks": [None, list, tuple],
    "memory": [None, str, os.PathLike, HasMethods(["cache"])],
    "warm_start": ["boolean"],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}

#: The validation fraction early stopping holds out when ``validation_fraction=None``.
EARLY_STOPPING_FRACTION = 0.1
#: The learning rate of a named optimizer when ``learning_rate=None``.
DEFAULT_LEARNING_RATE = 1e-3


def scheduled(optimizer) -> bool:
    """Whether an optimizer instance carries its own ``LearningRateSchedule``."""
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        return False
    return isinstance(optimizer.get_config().get("learning_rate"), dict)


def base_learning_rate(optimizer, learning_rate: float | None) -> float | None:
    """The rate a run starts from: ``learning_rate``; else an optimizer instance's own rate
    (None when it is a schedule: the optimizer then sets it at every step); else 1e-3."""
    if learning_rate is not None:
        return float(learning_rate)
    if isinstance(optimizer, keras.optimizers.Optimizer):
        rate = optimizer.get_config().get("learning_rate")
        return None if isinstance(rate, dict) else float(rate)
    return DEFAULT_LEARNING_RATE


def holdout(validation_fraction: float | None, early_stopping: bool) -> float | None:
    """The fraction held out for validation: ``validation_fraction``, or 0.1 for early
    stopping when it is None; None holds nothing out."""
    if validation_fraction is None:
        return EARLY_STOPPING_FRACTION if early_stopping else None
    return float(validation_fraction) or None


def schedule_of(est) -> Schedule | None:
    """The estimator's schedule; None when the rate stays constant (no warm-up)."""
    if est.lr_schedule == "constant" and not est.warmup_epochs:
        return None
    return Schedule(est.lr_schedule, est.lr_decay, est.lr_decay_epochs, est.warmup_epochs)


def optimizer_spec(est) -> OptimizerSpec:
    """The optimizer parameters of ``est``."""
    return OptimizerSpec(
        est.optimizer, est.learning_rate, est.momentum, est.clipnorm, est.clipvalue
    )


def run_settings(est, partial: bool) -> RunSettings:
    """What one training run of ``est`` does (``partial_fit``: one epoch, no early stopping)."""
    return RunSettings(
        epochs=1 if partial else est.epochs,
        batch_size=est.batch_size,
        learning_rate=base_learning_rate(est.optimizer, est.learning_rate),
        early_stopping=est.early_stopping and not partial,
        patience=est.patience,
        seed=fit_seed(est.random_state),
        verbose=est.verbose,
        max_samples=est._max_samples_per_call(),
        optimizer=describe(est.optimizer),
        schedule=schedule_of(est),
        monitor=est.monitor,
        min_delta=est.min_delta,
        callbacks=tuple(fit_callbacks(est.callbacks)),
    )


def check_recipe(est) -> None:
    """Every check between the recipe parameters of ``est`` (ParameterError naming them)."""
    fraction = holdout(est.validation_fraction, est.early_stopping)
    if est.early_stopping and fraction is None:
        raise ParameterError(
            "early_stopping=True needs held-out data to monitor. Expected "
            "validation_fraction in (0, 1) or None. Received: validation_fraction=0"
        )
    if est.monitor != "val_loss" and fraction is None:
        raise ParameterError(
            f"monitor={est.monitor!r} is computed on a validation part, and this fit holds "
            "none out. Expected early_stopping=True or validation_fraction in (0, 1). "
            f"Received: early_stopping={est.early_stopping}, "
            f"validation_fraction={est.validation_fraction}"
        )
    _check_schedule(est)
    check_callbacks(est.callbacks, lr_schedule=est.lr_schedule)


def _check_schedule(est) -> None:
    if scheduled(est.optimizer):
        for name, value, default in (
            ("learning_rate", est.learning_rate, None),
            ("lr_schedule", est.lr_schedule, "constant"),
            ("warmup_epochs", est.warmup_epochs, 0),
        ):
            if value != default:
                raise ParameterError(
                    f"The optimizer carries its own learning-rate schedule, and {name} would "
                    f"replace it. Expected {name}={default!r} with a scheduled optimizer, or an "
                    f"optimizer without a schedule. Received: {name}={value!r}, "
                    f"optimizer={describe(est.optimizer)}"
                )
    if est.warmup_epochs and est.warmup_epochs >= est.epochs:
        raise ParameterError(
            "warmup_epochs must leave epochs to train at the full rate. Expected "
            f"warmup_epochs < epochs. Received: warmup_epochs={est.warmup_epochs}, "
            f"epochs={est.epochs}"
        )
    if est.lr_schedule == "constant":
        unused = [n for n in ("lr_decay", "lr_decay_epochs") if getattr(est, n) is not None]
        if unused:
            warnings.warn(
                f"{', '.join(unused)} has no effect with lr_schedule='constant'; set "
                "lr_schedule to 'exponential', 'step', 'cosine' or 'plateau'.",
                UserWarning,
                stacklevel=5,
            )
