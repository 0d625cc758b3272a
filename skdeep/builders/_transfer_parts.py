"""The named parts of a transfer network, and the frozen bases that fits share (pure Keras).

A network of :func:`~skdeep.builders.build_transfer` is ``"features"`` then ``"head"``
(:data:`PARTS`): :func:`part_weights` and :func:`load_parts` move the weights of both between
networks, and :data:`FROZEN_BASES` keeps the few bases that fits with a frozen base read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import keras

__all__ = ["FROZEN_BASES", "PARTS", "FrozenBases", "load_parts", "part_weights"]

#: The named parts of a transfer network (``model.get_layer(part)``).
PARTS = ("features", "head")


def part_weights(model: keras.Model) -> dict[str, list]:
    """The weights of each part of a network built by :func:`build_transfer` or :func:`compose`.

    Examples
    --------
    >>> from skdeep.builders import build_transfer
    >>> model = build_transfer(input_shape=(32, 32, 3), n_classes=3, weights=None,
    ...                        input_size=32)
    >>> sorted(part_weights(model))
    ['features', 'head']
    """
    return {part: model.get_layer(part).get_weights() for part in PARTS}


def load_parts(model: keras.Model, weights: dict[str, list]) -> None:
    """Load weights from :func:`part_weights` into the parts of ``model``."""
    for part in PARTS:
        model.get_layer(part).set_weights(weights[part])


class FrozenBases:
    """The few most recently used frozen bases, shared by the fits of one configuration.

    Building a base (hundreds of layers, weights read from disk) costs more than training a
    head on cached features, so fits whose base stays frozen share one instance per base
    configuration (base, weights identity, input size, seed of a random base: what fixes its
    weights completely), wrapped in a "features" part of their own; they only read it.
    Fine-tuning always trains a copy of the weights in a network of its own.
    """

    def __init__(self, max_size: int = 4) -> None:
        self.max_size = max_size
        self._models: OrderedDict[tuple, keras.Model] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, config: tuple, build: Callable[[], keras.Model]) -> keras.Model:
        with self._lock:
            model = self._models.get(config)
            if model is not None:
                self._models.move_to_end(config)
                return model
        model = build()
        with self._lock:
            model = self._models.setdefault(config, model)
            while len(self._models) > self.max_size:
                self._models.popitem(last=False)
        return model

    def clear(self) -> None:
        with self._lock:
            self._models.clear()


#: The frozen bases shared by every TransferClassifier of the process.
FROZEN_BASES = FrozenBases()
