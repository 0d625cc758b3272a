"""A compiled network for one training phase: built fresh, or an engine reset to fresh weights.

Every fit starts from the initial weights of a freshly built model (seeded, so the result does
not depend on whether a compiled engine was reused). A newly compiled model runs a zero-epoch
``fit`` on one training pair so that Keras' one-off symbolic build (which draws from the data
RNG on some backends) happens here, not inside the seeded training run.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import keras
import numpy as np

from ..builders.optimizers import MOMENTUM_OPTIMIZERS, make_optimizer
from ..exceptions import describe
from . import _engines

__all__ = [
    "EPOCH_CALL_MAX_STEPS",
    "OptimizerSpec",
    "STEPS_PER_EXECUTION",
    "acquire",
    "compile_model",
    "steps_per_execution",
]

#: Batches run per compiled call during training (measured 1.6x faster epochs on tiny nets).
STEPS_PER_EXECUTION = 16
#: Epochs of at most this many batches run as one compiled call each (see
#: :func:`steps_per_execution`).
EPOCH_CALL_MAX_STEPS = 64


def steps_per_execution(n_samples: int, batch_size: int) -> int:
    """Batches per compiled training call: a whole epoch when it is short, else 16.

    With one call per epoch the training input can be one endless, reshuffled stream read
    through a single iterator per fit (:func:`skdeep._training._input.epoch_dataset`), instead
    of a new iterator per epoch (a few milliseconds each, more than a short epoch's training):
    a 20-epoch breast_cancer fit ran 1.5x faster. Longer epochs keep 16 batches per call; their
    iterator costs little against their training.

    Examples
    --------
    >>> steps_per_execution(569, 32), steps_per_execution(60000, 64)
    (18, 16)
    """
    steps = -(-n_samples // max(1, min(batch_size, n_samples)))
    return steps if steps <= EPOCH_CALL_MAX_STEPS else STEPS_PER_EXECUTION


@dataclass(frozen=True)
class OptimizerSpec:
    """The optimizer parameters of an estimator (an optimizer instance is copied per model)."""

    optimizer: object = "adam"
    learning_rate: float | None = 1e-3
    momentum: float = 0.0
    clipnorm: float | None = None
    clipvalue: float | None = None

    def key(self) -> tuple:
        """What makes two compiled models' optimizers interchangeable (learning rate aside)."""
        if isinstance(self.optimizer, keras.optimizers.Optimizer):
            config = self.optimizer.get_config()
            rate = config.pop("learning_rate", None)
            config.pop("name", None)
            if isinstance(rate, dict):  # a schedule lives in the compiled optimizer
                config["learning_rate"] = rate
            kind = (type(self.optimizer).__name__, repr(sorted(config.items())))
        else:
            kind = (
                self.optimizer,
                self.momentum if self.optimizer in MOMENTUM_OPTIMIZERS else None,
            )
        return (kind, self.clipnorm, self.clipvalue)

    def warn_unused_momentum(self, stacklevel: int) -> None:
        if self.momentum and self.optimizer not in MOMENTUM_OPTIMIZERS:
            warnings.warn(
                f"momentum={self.momentum} is ignored by optimizer={describe(self.optimizer)}; "
                f"it applies to {sorted(MOMENTUM_OPTIMIZERS)}.",
                UserWarning,
                stacklevel=stacklevel,
            )

    def build(self) -> keras.optimizers.Optimizer:
        return make_optimizer(
            self.optimizer,
            learning_rate=self.learning_rate,
            momentum=self.momentum,
            clipnorm=self.clipnorm,
            clipvalue=self.clipvalue,
        )


def compile_model(
    model: keras.Model,
    spec: OptimizerSpec,
    loss,
    metrics=("accuracy",),
    steps: int = STEPS_PER_EXECUTION,
) -> None:
    """Compile ``model`` with skdeep's optimizer and training settings (``steps`` batches per
    compiled call)."""
    model.compile(
        optimizer=spec.build(), loss=loss, metrics=list(metrics), steps_per_execution=steps
    )


def warm_up(model: keras.Model, example: tuple[np.ndarray, np.ndarray]) -> None:
    """Keras' one-off symbolic build of a newly compiled model, outside the seeded run.

    ``shuffle=False``: no random op runs, so this also works with TensorFlow's op
    determinism enabled (where an unseeded shuffle op raises).

    On TensorFlow, Keras defers building the compiled metrics to the first trace of the train
    step; their variables are then created inside that trace, and TensorFlow traces the whole
    step a second time (a ``tf.function`` that created variables is traced again without
    them). Updating the metrics once, eagerly, on the example pair creates them here: the
    first fit of a new network traces its train step once (``benchmarks/bench_first_fit.py``:
    0.42 s of CPU became 0.31 s for a one-hidden-layer network). The update is reset at once,
    and Keras resets the metrics again at the start of every epoch. A metric that cannot be
    updated outside a graph is left to Keras, which builds it in the first trace.
    """
    model.fit(*example, epochs=0, verbose=0, shuffle=False)
    if keras.backend.backend() == "tensorflow" and model.metrics:
        x, y = example
        try:
            model.compute_metrics(x, y, model(x, training=False), sample_weight=None)
        except Exception:  # a user's metric that only runs in a graph: Keras builds it in
            pass  # the first trace, as it would without this step
        model.reset_metrics()


def acquire(
    fresh: keras.Model,
    *,
    key: Hashable,
    compile: Callable[[keras.Model], None],
    owner: object,
    example: tuple[np.ndarray, np.ndarray] | None,
) -> keras.Model:
    """A compiled model of architecture ``key`` holding the initial weights of ``fresh``.

    A free engine of the same key is reset to the fresh weights and its optimizer to its
    initial state (no new traces); otherwise ``fresh`` itself is compiled, warmed up and
    registered as a new engine owned by ``owner``. The run sets its own learning rate.
    """
    _engines.note_model_built()
    engine = _engines.POOL.acquire(key, owner)
    if engine is not None and _engines.reset_engine(engine, fresh):
        return engine.model
    if engine is not None:  # same key, other shapes (cannot happen for a sound key): drop it
        engine.owner = None
    compile(fresh)
    if example is not None:
        warm_up(fresh, example)
    engine = _engines.Engine(key=key, model=fresh)
    engine.optimizer_state = _engines.snapshot_optimizer(fresh)
    _engines.POOL.register(engine, owner)
    return fresh
