"""The network a training phase gets: the estimator's current one, a parked one, or a fresh one.

These functions drive the family hooks of an estimator (``_network``, ``_architecture``,
``_head_of``, ``_compile``, ``_optimizer_spec``; see :class:`skdeep.base.SkdeepEstimator`):
the network is built fresh under the fit's seed, then either a free compiled engine of the
same architecture takes its weights or it is compiled and becomes one (:mod:`._model`).
"""

from __future__ import annotations

from collections.abc import Callable

import keras

from ..exceptions import DataError, ParameterError, describe
from . import _engines
from ._model import acquire, steps_per_execution
from ._prepare import TrainingData
from ._seeding import seeded

__all__ = ["fresh_network", "park", "phase_network"]


def fresh_network(
    est,
    data: TrainingData,
    settings,
    transaction,
    *,
    build: Callable | None = None,
    key: Callable | None = None,
) -> keras.Model:
    """A compiled network with fresh seeded weights (an engine reused when possible).

    ``build(input_shape)`` and ``key(input_shape, model)`` default to the family's
    ``_network`` and ``_architecture``.
    """
    shape = tuple(int(d) for d in data.train.X.shape[1:])
    build, key = build or est._network, key or est._architecture
    with seeded(settings.seed, private_keras_seeds=True):
        try:
            fresh = build(shape)
        except ParameterError:
            raise
        except ValueError as exc:  # an invalid architecture combination: name it
            raise ParameterError(
                f"{type(est).__name__} cannot build its network: {exc}. Received: "
                f"{describe(est._builder_params(), limit=300)}"
            ) from exc
        head = est._head_of(fresh)
        steps = steps_per_execution(len(data.train), settings.batch_size)
        architecture = (
            type(est).__qualname__,
            keras.backend.backend(),
            shape,
            key(shape, fresh),
            est._optimizer_spec().key(),
            steps,
        )
        return acquire(
            fresh,
            key=architecture,
            compile=lambda model: est._compile(model, head, steps),
            owner=transaction.lease,
            example=(data.train.X[:1], head.keras_target(data.train.y[:1])),
        )


def phase_network(est, previous, data: TrainingData, settings, transaction) -> keras.Model:
    """The network a phase trains: the current one (warm start), a parked one, or a fresh one."""
    if previous is not None:
        transaction.protect(previous)
        return previous
    state = getattr(est, "_parked_state", None)
    if state is None:
        return fresh_network(est, data, settings, transaction)
    if tuple(data.train.X.shape[1:]) != state["input_shape"]:
        raise DataError(
            "warm_start=True continues the network trained by the previous fit. Expected "
            f"samples of shape {state['input_shape']}. Received: {data.train.X.shape[1:]}"
        )
    model = fresh_network(est, data, settings, transaction)
    _engines.load_state(model, state)
    est._parked_state = None
    return model


def park(est) -> bool:
    """Keep ``est``'s training state as NumPy arrays and give its compiled model back.

    For searches that continue many fitted networks later (``EpochHalvingSearchCV``): a parked
    estimator holds only the values of its model's and optimizer's variables; its next ``fit``
    with ``warm_start=True`` continues exactly where training stopped, in a pooled model of the
    same architecture. Until then it cannot predict. Returns False when nothing was parked.
    """
    if not hasattr(est, "model_"):
        return False
    est._parked_state = _engines.park_state(est.model_)
    _engines.POOL.release(est)
    del est.model_
    return True
