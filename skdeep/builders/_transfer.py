"""Transfer-learning builder: a ``keras.applications`` base under a small head (pure Keras).

The network is three parts, each a named piece of the returned model so that the estimator can
train them separately (the head on cached base features, the top of the base in fine-tuning)::

    images (any size, 1 or 3 channels)
      -> [augmentation, training only]
      -> "features": Resizing(input_size) -> [grayscale to RGB] -> the base's own preprocessing
                     -> the base (include_top=False, global average pooling), always in
                        inference mode
      -> "head":     [Dropout] -> [Dense(dense_units, relu) -> [Dropout]] -> output

Only built-in Keras layers and the two small registered layers of this module are used (no
``Lambda``), so the model saves in the native ``.keras`` format and loads with
``safe_mode=True`` once ``skdeep`` is imported.

The catalogue of bases and the loading of their weights are in
:mod:`skdeep.builders._bases`; moving weights between the named parts, and the frozen bases
that fits share, in :mod:`skdeep.builders._transfer_parts`.
"""

from __future__ import annotations

import os

import keras

from ._bases import MIN_INPUT_SIZE, base_spec, check_weights, load_base
from ._blocks import NEGATIVE_SLOPE, activation_layer, output_head
from .augmentation import augment, augmentation_layers, augmentation_params

__all__ = [
    "InferenceMode",
    "ReverseChannels",
    "base_layers",
    "build_transfer",
    "compose",
    "set_trainable_layers",
    "transfer_features",
    "transfer_head",
]

#: ImageNet channel statistics used by the "caffe" (BGR, 0-255) and "torch" preprocessing.
_CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)
_TORCH_MEAN = (0.485, 0.456, 0.406)
_TORCH_STD = (0.229, 0.224, 0.225)


@keras.saving.register_keras_serializable(package="skdeep")
class ReverseChannels(keras.layers.Layer):
    """RGB -> BGR (reverses the last axis); used by the "caffe" preprocessing."""

    def call(self, inputs):
        return keras.ops.flip(inputs, axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape


@keras.saving.register_keras_serializable(package="skdeep")
class InferenceMode(keras.layers.Wrapper):
    """Run the wrapped layer in inference mode, whatever the training flag of the caller.

    Batch-normalisation statistics and dropout inside a pretrained base must stay in inference
    mode while the head (or the top of the base) trains. Keras' idiom
    ``base(x, training=False)`` is not enough when the base is nested in another functional
    model: Keras 3 overrides the recorded ``training=False`` with the outer call's flag, and
    batch-norm layers then update their moving statistics. This wrapper takes no ``training``
    argument, so the flag never reaches the base.
    """

    def call(self, inputs):
        return self.layer(inputs, training=False)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)


def _preprocessing(x: keras.KerasTensor, kind: str) -> keras.KerasTensor:
    """Images in [0, 1] -> what the base expects (``BaseSpec.preprocessing``, see ``_bases``)."""
    if kind == "tf":
        return keras.layers.Rescaling(2.0, offset=-1.0, name="preprocess")(x)
    if kind == "0-255":
        return keras.layers.Rescaling(255.0, name="preprocess")(x)
    if kind == "torch":
        return keras.layers.Normalization(
            mean=list(_TORCH_MEAN), variance=[s * s for s in _TORCH_STD], name="preprocess"
        )(x)
    if kind == "caffe":
        x = keras.layers.Rescaling(255.0, name="to_0_255")(x)
        x = ReverseChannels(name="rgb_to_bgr")(x)
        return keras.layers.Normalization(
            mean=list(_CAFFE_MEAN_BGR), variance=[1.0, 1.0, 1.0], name="preprocess"
        )(x)
    raise ValueError(f"Unknown preprocessing {kind!r}")  # registry bug, not user input


def base_layers(features: keras.Model) -> keras.Model:
    """The ``keras.applications`` base inside a model built by :func:`transfer_features`."""
    return features.get_layer("base").layer


def _tunable(layer: keras.layers.Layer) -> bool:
    return bool(layer.weights) and not isinstance(layer, keras.layers.BatchNormalization)


def set_trainable_layers(features: keras.Model, trainable_layers: int) -> list[str]:
    """Freeze the base of ``features`` except its top ``trainable_layers`` layers.

    Layers are counted from the top of the base among those that hold weights, batch
    normalisation excluded: batch-normalisation layers always stay frozen (and, through
    :class:`InferenceMode`, in inference mode). ``0`` freezes the whole base.

    Returns
    -------
    list of str
        Names of the base layers left trainable, top first.
    """
    base = base_layers(features)
    if trainable_layers <= 0:
        features.trainable = False
        return []
    features.trainable = True
    tunable = [layer for layer in reversed(base.layers) if _tunable(layer)]
    chosen = {id(layer) for layer in tunable[:trainable_layers]}
    for layer in base.layers:
        layer.trainable = id(layer) in chosen
    return [layer.name for layer in tunable[:trainable_layers]]


def transfer_features(
    *,
    input_shape: tuple[int, ...],
    base: str = "mobilenet",
    weights: str | os.PathLike | None = "imagenet",
    input_size: int | None = 96,
    trainable_layers: int = 0,
    application: keras.Model | None = None,
) -> keras.Model:
    """The "features" part: images -> pooled base features (see :func:`build_transfer`).

    ``application`` reuses an existing base (the ``keras.applications`` model of ``base`` at
    ``input_size``, as found in ``base_layers(other_features)``) instead of building one: the
    new part then shares its weights. ``weights`` is ignored in that case.
    """
    spec = base_spec(base)
    if len(input_shape) != 3 or input_shape[-1] not in (1, 3):
        raise ValueError(
            "input_shape must be (height, width, channels) with 1 (grayscale) or 3 (RGB) "
            f"channels. Received: input_shape={tuple(input_shape)}"
        )
    size = spec.default_size if input_size is None else int(input_size)
    if size < MIN_INPUT_SIZE:
        raise ValueError(
            f"input_size must be at least {MIN_INPUT_SIZE} pixels. Received: input_size={size}"
        )
    if application is None:
        check_weights(weights)
        application = load_base(spec, base, size, weights)
    inputs = keras.Input(shape=tuple(input_shape), name="images")
    x = keras.layers.Resizing(size, size, name="resize")(inputs)
    if input_shape[-1] == 1:
        x = keras.layers.Concatenate(axis=-1, name="gray_to_rgb")([x, x, x])
    x = _preprocessing(x, spec.preprocessing)
    outputs = InferenceMode(application, name="base")(x)
    features = keras.Model(inputs, outputs, name="features")
    set_trainable_layers(features, trainable_layers)
    return features


def transfer_head(
    *,
    n_features: int,
    n_classes: int | None = None,
    n_outputs: int | None = None,
    dense_units: int = 128,
    dropout: float = 0.2,
    activation: str = "relu",
    kernel_initializer: str = "he_uniform",
    negative_slope: float = NEGATIVE_SLOPE,
) -> keras.Model:
    """The "head" part: pooled features -> class probabilities (see :func:`build_transfer`)."""
    inputs = keras.Input(shape=(int(n_features),), name="base_features")
    x = inputs
    if dropout > 0:
        x = keras.layers.Dropout(dropout, name="head_dropout")(x)
    if dense_units > 0:
        x = keras.layers.Dense(
            dense_units, kernel_initializer=kernel_initializer, name="head_dense"
        )(x)
        x = activation_layer(activation, negative_slope)(x)
        if dropout > 0:
            x = keras.layers.Dropout(dropout, name="head_dense_dropout")(x)
    return keras.Model(inputs, output_head(x, n_classes, n_outputs), name="head")


def compose(
    features: keras.Model, head: keras.Model, augmentation: list | None = None
) -> keras.Model:
    """``images -> [augmentation] -> features -> head`` as one functional model."""
    inputs = keras.Input(shape=features.input_shape[1:], name="images")
    x = augment(inputs, augmentation or [])
    return keras.Model(inputs, head(features(x)), name="transfer")


def build_transfer(
    *,
    input_shape: tuple[int, ...],
    n_classes: int | None = None,
    n_outputs: int | None = None,
    base: str = "mobilenet",
    weights: str | os.PathLike | None = "imagenet",
    input_size: int | None = 96,
    trainable_layers: int = 6,
    dense_units: int = 128,
    dropout: float = 0.2,
    activation: str = "relu",
    kernel_initializer: str = "he_uniform",
    negative_slope: float = NEGATIVE_SLOPE,
    flip: str | None = None,
    rotation: float = 0.0,
    zoom: float = 0.0,
    translation: float = 0.0,
    contrast: float = 0.0,
    gaussian_noise: float = 0.0,
) -> keras.Model:
    """Build an uncompiled transfer-learning classifier on a ``keras.applications`` base.

    Layout::

        images (height, width, 1 or 3 channels), values in [0, 1]
          -> [augmentation, training only]
          -> "features": Resizing(input_size x input_size) -> [grayscale to RGB]
                         -> the base's preprocessing -> base (no top, average pooling,
                            always in inference mode)
          -> "head": [Dropout] -> [Dense(dense_units, relu) -> [Dropout]]
                     -> output (sigmoid for 2 classes, softmax otherwise)

    The base's top ``trainable_layers`` layers (counting layers that hold weights, batch
    normalisation excluded) are trainable, the rest of the base is frozen; batch-normalisation
    layers are always frozen and the base always runs in inference mode, so its moving
    statistics never change. ``trainable_layers=0`` freezes the whole base (feature
    extraction). Access the parts with ``model.get_layer("features")`` and
    ``model.get_layer("head")``.

    Parameters
    ----------
    input_shape : tuple of int
        ``(height, width, channels)`` of the images, with 1 or 3 channels.
    n_classes : int or None
        Number of classes of a classifier (2 gives one sigmoid output).
    n_outputs : int or None
        Number of target columns of a regressor (linear outputs); give exactly one of the two.
    base : str, default="mobilenet"
        A key of :data:`BASES`: "mobilenet", "mobilenet_v2", "mobilenet_v3_small",
        "resnet50", "efficientnet_b0", "densenet121".
    weights : "imagenet", path or None, default="imagenet"
        "imagenet" loads Keras' ImageNet weights (downloaded once into ``~/.keras``), a path
        loads a Keras weights file of the base without its top (``.weights.h5``), None keeps
        the random initialisation.
    input_size : int or None, default=96
        Side of the square images the base sees (at least 32); images are resized inside the
        model. None uses the base's native size (224).
    trainable_layers : int, default=6
        Top layers of the base left trainable, see above.
    dense_units : int, default=128
        Width of the hidden dense layer of the head; 0 leaves it out (a linear head).
    dropout : float, default=0.2
        Dropout rate before the hidden layer and before the output, in [0, 1).
    activation, kernel_initializer, negative_slope
        Activation (with its leaky-ReLU slope) and initializer of the head's hidden layer.
    flip, rotation, zoom, translation, contrast, gaussian_noise
        Training-only augmentation, see :func:`skdeep.builders.augmentation_layers`.

    Returns
    -------
    keras.Model

    Examples
    --------
    >>> model = build_transfer(input_shape=(28, 28, 1), n_classes=10, weights=None,
    ...                        input_size=32)
    >>> model.output_shape
    (None, 10)
    >>> model.get_layer("features").output_shape
    (None, 1024)
    """
    options = dict(locals())  # the keyword arguments, before any other name is bound
    # the features are built first, so a random base (weights=None) is initialised the same way
    # whatever the augmentation and head: the estimator's feature cache relies on it
    features = transfer_features(
        input_shape=input_shape,
        base=base,
        weights=weights,
        input_size=input_size,
        trainable_layers=trainable_layers,
    )
    layers = augmentation_layers(**augmentation_params(options))
    head = transfer_head(
        n_features=features.output_shape[-1],
        n_classes=n_classes,
        n_outputs=n_outputs,
        dense_units=dense_units,
        dropout=dropout,
        activation=activation,
        kernel_initializer=kernel_initializer,
        negative_slope=negative_slope,
    )
    return compose(features, head, layers)
