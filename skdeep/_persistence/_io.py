"""``est.save(path)`` and ``skdeep.load(path)``."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import keras

from ..exceptions import DataError, ParameterError
from ._allowlist import OptimizerRef, SamplerRef
from ._archive import sha256, write_zip
from ._errors import Refused, refusal
from ._fitted import FittedSpec, spec_for
from ._format import FORMAT, FORMAT_VERSION, Contents, check_fitted, check_params, read_file
from ._keras_file import load_keras_model
from ._params import check_constraints
from ._values import encode

__all__ = ["load", "save"]


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def save(estimator: Any, path: str | os.PathLike) -> Path:
    """Write a fitted skdeep estimator to ``path`` (a zip file; ``.skdeep`` suggested).

    The file is written to a temporary file in the same folder and moved into place when
    complete: a failure (full disk, Ctrl-C) leaves an existing file at ``path`` untouched and
    no partial file. What is written is first checked with the loader's own rules, so a file
    ``save`` writes always loads.

    Parameters
    ----------
    estimator : fitted skdeep estimator
    path : str or path-like

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import os, tempfile
    >>> from skdeep import ANNClassifier
    >>> est = ANNClassifier(epochs=1, random_state=0).fit([[0.0], [1.0]] * 5, [0, 1] * 5)
    >>> path = save(est, os.path.join(tempfile.mkdtemp(), "m.skdeep"))
    >>> path.name, path.stat().st_size > 0
    ('m.skdeep', True)

    """
    estimator._check_fitted()
    cls = type(estimator)
    try:
        spec = spec_for(cls)
    except Refused as error:
        raise ParameterError(f"{cls.__name__} cannot be saved: {error}") from None
    unsaved = sorted(
        name
        for name in vars(estimator)
        if name.endswith("_")
        and not name.startswith("_")
        and name != "model_"
        and name not in spec.fields
    )
    if unsaved:  # a loaded copy would silently lack them
        raise ParameterError(
            f"{cls.__name__} has fitted attributes the saved-file spec does not list, so a "
            "loaded copy would lack them. Expected them in skdeep._persistence._fitted.SPECS. "
            f"Received: {unsaved}"
        )
    try:  # what loading will check, on exactly what loading will read
        data = _estimator_json(estimator, spec)
        written = json.loads(data)
        params = check_params(written["params"], cls, FORMAT_VERSION)
        fitted = check_fitted(written["fitted"], spec, params, FORMAT_VERSION)
        spec.check_model(fitted, estimator.model_)
    except Refused as error:
        raise refusal(path, error, action="save") from None
    with tempfile.TemporaryDirectory(prefix="skdeep-save-") as tmp:
        model_file = Path(tmp) / "model.keras"
        estimator.model_.save(model_file)
        files = {
            "estimator.json": {"size": len(data), "sha256": sha256(data)},
            "model.keras": {"size": model_file.stat().st_size, "sha256": _file_sha256(model_file)},
        }
        manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "files": files}
        members = {
            "manifest.json": json.dumps(manifest, indent=1).encode(),
            "estimator.json": data,
            "model.keras": model_file,
        }
        return write_zip(path, members)


def _estimator_json(estimator: Any, spec: FittedSpec) -> bytes:
    meta = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "class": type(estimator).__name__,
        "params": {
            name: encode(value, f"params.{name}")
            for name, value in estimator._saved_params().items()
        },
        "fitted": {
            name: encode(getattr(estimator, name), f"fitted.{name}")
            for name in spec.fields
            if hasattr(estimator, name)
        },
        "versions": {"skdeep": _version(), "keras": keras.__version__},
        "backend": keras.backend.backend(),
    }
    return json.dumps(meta, indent=1).encode()


def _checked_path(path: str | os.PathLike, action: str = "load") -> Path:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"No saved skdeep estimator at {str(path)!r}")
    if path.is_dir():
        raise DataError(
            f"Cannot {action} {str(path)!r}: it is a folder. Expected a saved estimator file "
            f"(est.save(path) writes one). Received: path={str(path)!r}"
        )
    return path


def load(path: str | os.PathLike, *, expected: type | None = None) -> Any:
    """Read an estimator written by ``est.save``; no code from the file is run.

    Every check of :func:`skdeep._persistence.audit` is made first (sizes, hashes, allowed
    classes, parameters, fitted attributes, the Keras architecture); the sampler and optimizer
    are then built from allowlisted classes, the network is loaded with Keras
    ``safe_mode=True`` and compared with the fitted attributes (output units and classes_,
    input shape and n_features_in_).

    Parameters
    ----------
    path : str or path-like
    expected : type, optional
        Refuse a file holding an estimator that is not an instance of this class.

    Returns
    -------
    estimator

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    skdeep.exceptions.DataError
        The file is a folder, damaged, truncated, too large, edited so that it no longer
        matches its hashes, or holds anything loading does not allow. The message names it.

    Examples
    --------
    >>> import os, tempfile, skdeep
    >>> from sklearn.datasets import make_classification
    >>> X, y = make_classification(n_samples=40, n_features=4, random_state=0)
    >>> est = skdeep.ANNClassifier(epochs=1, units=4, n_layers=1, random_state=0).fit(X, y)
    >>> path = est.save(os.path.join(tempfile.mkdtemp(), "m.skdeep"))
    >>> (load(path).predict(X) == est.predict(X)).all()
    np.True_
    """
    path = _checked_path(path)
    try:
        with read_file(path, expected=expected) as contents:
            return _build(contents)
    except Refused as error:
        raise refusal(path, error) from None
    except IsADirectoryError:  # replaced by a folder since the check
        raise DataError(f"Cannot load {str(path)!r}: it is a folder.") from None


def _build(contents: Contents) -> Any:
    params = {}
    for name, value in contents.params.items():
        if isinstance(value, SamplerRef | OptimizerRef):
            try:
                value = value.build()
            except (TypeError, ValueError) as error:
                raise Refused(
                    f"params.{name} could not be built", "valid parameters", repr(error)
                ) from None
        params[name] = value
    check_constraints(contents.cls, params)
    estimator = contents.cls(**params)
    model = load_keras_model(contents.model_file)
    contents.spec.check_model(contents.fitted, model)
    for name, value in contents.fitted.items():
        setattr(estimator, name, value)
    estimator.model_ = model
    estimator._restore_params(model)
    return estimator


def _version() -> str:
    from .. import __version__

    return __version__
