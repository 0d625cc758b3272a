"""``audit(path)``: what loading a saved estimator would create, without creating it."""

from __future__ import annotations

import os
from typing import Any

from ._allowlist import OptimizerRef, SamplerRef
from ._errors import Refused, refusal
from ._format import Contents, read_file
from ._io import _checked_path

__all__ = ["audit"]


def audit(path: str | os.PathLike) -> dict[str, Any]:
    """Report what :func:`skdeep.load` would create from ``path``, building nothing.

    Runs every check loading runs that needs no object built — member sizes and zip-bomb
    ratios from the central directories, sha256 hashes, the estimator class, parameters
    (plain values, the sampler and optimizer against their allowlists, the class's parameter
    constraints), fitted attributes (names, types, shapes) and the Keras architecture in
    ``config.json`` (no bytecode, no class outside Keras) — and raises the ``DataError``
    loading would raise. Nothing beyond skdeep, Keras and imbalanced-learn is imported, and no
    estimator, sampler, optimizer or network is constructed. Left to loading: Keras' own
    checks while building the network, and comparing the built network's input and output
    shapes with ``n_features_in_`` / ``image_shape_`` and ``classes_``.

    Parameters
    ----------
    path : str or path-like
        A file written by ``est.save``.

    Returns
    -------
    dict
        ``class``, ``params`` (samplers and optimizers as ``{"class", "params"/"config"}``),
        ``sampler`` and ``optimizer`` (class names, or None / the optimizer's name),
        ``fitted`` (attribute names), ``keras_layers`` (layer class -> count),
        ``keras_objects`` (every Keras class the config names), ``custom_objects``
        (registered custom classes it uses), ``input_shapes``, ``weights_bytes`` (what the
        HDF5 weights declare), ``versions``, ``files``
        (size, sha256 and whether it matched the hash recorded at save; format version 1
        recorded none) and ``format_version``.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    skdeep.exceptions.DataError
        Anything :func:`skdeep.load` would refuse before building objects.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from sklearn.datasets import load_breast_cancer
    >>> from skdeep import ANNClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> est = ANNClassifier(epochs=1, n_layers=1, random_state=0).fit(X, y)
    >>> report = audit(est.save(Path(tempfile.mkdtemp()) / "cancer.skdeep"))
    >>> report["class"], report["optimizer"], report["keras_layers"]["Dense"]
    ('skdeep.ANNClassifier', 'adam', 2)
    """
    path = _checked_path(path, "audit")
    try:
        with read_file(path) as contents:
            return _report(path, contents)
    except Refused as error:
        raise refusal(path, error, action="audit") from None


def _describe(value: Any) -> Any:
    return value.describe() if isinstance(value, SamplerRef | OptimizerRef) else value


def _report(path: os.PathLike, contents: Contents) -> dict[str, Any]:
    params = contents.params
    sampler, optimizer = params.get("sampler"), params.get("optimizer")
    return {
        "path": os.fspath(path),
        "format_version": contents.format_version,
        "class": f"skdeep.{contents.cls.__name__}",
        "params": {name: _describe(value) for name, value in params.items()},
        "sampler": sampler.public_name if isinstance(sampler, SamplerRef) else None,
        "optimizer": (
            f"keras.optimizers.{optimizer.class_name}"
            if isinstance(optimizer, OptimizerRef)
            else optimizer
        ),
        "fitted": sorted(contents.fitted),
        "keras_layers": dict(sorted(contents.keras.layers.items())),
        "keras_objects": sorted(contents.keras.objects),
        "custom_objects": sorted(contents.keras.custom_objects),
        "input_shapes": contents.keras.input_shapes,
        "weights_bytes": contents.keras.weights_bytes,
        "versions": {
            **contents.meta["versions"],
            "backend": contents.meta["backend"],
            "keras (model.keras)": contents.keras.keras_version,
        },
        "files": contents.files,
    }
