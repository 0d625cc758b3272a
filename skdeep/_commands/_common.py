"""What ``skdeep tune``, ``skdeep study`` and ``skdeep demo`` share: one behaviour for both.

* **Settings**: defaults, then the TOML file of ``--config``, then flags (flags win). Config
  keys are the flag names with ``_`` or ``-`` (``n_jobs``, ``n-jobs``). Relative paths in a
  config file (``data``, ``out``) are relative to the file's folder; relative paths given as
  flags are relative to the working directory.
* **``--param NAME=VALUE``**: VALUE in TOML or Python spelling: ``true``/``True``,
  ``none``/``None``/``null``, ``1e-3``, ``"text"``/``'text'``, ``[28, 28, 1]``/``(28, 28, 1)``;
  any other word is a string (``activation=elu``).
* **Data**: a bundled scikit-learn dataset, a CSV/Parquet table with ``--target``, or an
  ``.npz`` file holding arrays ``X`` and ``y`` (see :mod:`skdeep._commands._data`).
* **Preprocessing** inside the Pipeline, fitted on each training fold only: median imputation
  and standardisation of numbers, most-frequent imputation and one-hot encoding of text.
* **Task**: ``--task classification`` or ``regression``; ``auto`` (the default) fits the
  family's regressor for a numeric target with a fractional value or more than 20 distinct
  values, its classifier otherwise (see :func:`skdeep._commands._data.resolve_task`).
* **Positive class**: ``--pos-label``, else :func:`skdeep.metrics.default_pos_label`
  (classification only).
* **Errors**: skdeep's typed errors. Everything that can be checked without training (paths,
  columns, the target, ``--out``, parameter names) is checked before TensorFlow is imported;
  parameter values are checked against the estimator's constraints right after the import,
  before any training.

This module imports nothing heavy at import time, so ``skdeep --help`` stays instant.
"""

from __future__ import annotations

import ast
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..exceptions import ParameterError, describe
from ._data import (
    BUNDLED,
    TASKS,
    Dataset,
    check_classification_target,
    check_regression_target,
    load_dataset,
    model_pipeline,
    resolve_task,
)

__all__ = [
    "BUNDLED",
    "TASKS",
    "Dataset",
    "check_classification_target",
    "check_regression_target",
    "check_out",
    "check_param_names",
    "load_dataset",
    "load_settings",
    "make_estimator",
    "merge_settings",
    "model_pipeline",
    "parse_params",
    "parse_value",
    "resolve_pos_label",
    "resolve_task",
]

#: Settings whose values are paths (resolved against a config file's folder).
PATH_KEYS = ("data", "out")
#: Bare words of the Python and TOML spellings and their values.
_WORDS = {"true": True, "false": False, "none": None, "null": None}


# ---------------------------------------------------------------------- settings
def _tomllib():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ParameterError(
                "Reading --config needs Python 3.11+ or the 'tomli' package (pip install "
                "tomli). Received: --config on Python < 3.11"
            ) from None
    return tomllib


def load_settings(
    path: str | os.PathLike, known: Iterable[str], *, aliases: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Settings from a TOML file: keys normalised, unknown keys refused, paths resolved.

    Parameters
    ----------
    path : path-like
        The ``--config`` file.
    known : iterable of str
        Accepted keys (after replacing ``-`` with ``_`` and applying ``aliases``).
    aliases : mapping, default=None
        Other accepted spellings of a key, e.g. ``{"dataset": "data"}``.

    Returns
    -------
    dict
        With relative ``data`` (unless a bundled name) and ``out`` made relative to the
        file's folder.

    Raises
    ------
    ParameterError
        Missing file, invalid TOML or an unknown key.
    """
    file = Path(path)
    if not file.is_file():
        raise ParameterError(
            f"Config file not found. Expected an existing TOML file. Received: --config {path}"
        )
    tomllib = _tomllib()
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError(
            f"The config file is not valid TOML: {exc}. Received: --config {path}"
        ) from None
    aliases = dict(aliases or {})
    settings: dict[str, Any] = {}
    for key, value in raw.items():
        name = key.replace("-", "_")
        settings[aliases.get(name, name)] = value
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise ParameterError(
            f"Unknown setting in the config file. Expected keys among {sorted(known)}. "
            f"Received: {unknown} in {path}"
        )
    base = file.resolve().parent
    for key in PATH_KEYS:
        value = settings.get(key)
        if isinstance(value, str) and not (key == "data" and value in BUNDLED):
            settings[key] = str(resolve_path(value, base))
    return settings


def resolve_path(value: str | os.PathLike, base: Path) -> Path:
    """``value`` with ``~`` expanded, relative to ``base`` unless absolute."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else base / path


def merge_settings(
    defaults: Mapping[str, Any], config: Mapping[str, Any], flags: Mapping[str, Any]
) -> dict[str, Any]:
    """Defaults, updated by the config file, updated by the flags that were given (not None)."""
    merged = {**defaults, **config}
    merged.update({k: v for k, v in flags.items() if v is not None})
    return merged


# ---------------------------------------------------------------------- --param
def parse_value(text: str) -> Any:
    """A ``--param`` value in TOML or Python spelling; any other text is a string.

    Examples
    --------
    >>> [parse_value(t) for t in ("true", "True", "None", "3", "1e-3", "'elu'", "elu")]
    [True, True, None, 3, 0.001, 'elu', 'elu']
    >>> parse_value("[28, 28, 1]"), parse_value("(28, 28, 1)")
    ((28, 28, 1), (28, 28, 1))
    """
    text = text.strip()
    if text.lower() in _WORDS:
        return _WORDS[text.lower()]
    tomllib = _tomllib()
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return text  # a bare word such as elu or adam
    return _as_param(value)


def _as_param(value: Any) -> Any:
    """Sequences as tuples (estimator parameters such as ``image_shape`` are tuples)."""
    if isinstance(value, list):
        return tuple(_as_param(v) for v in value)
    return value


def parse_params(raw: Any, *, option: str = "--param") -> dict[str, Any]:
    """Estimator parameters from ``NAME=VALUE`` strings or a TOML table.

    Examples
    --------
    >>> parse_params(["units=32", "early_stopping=true", "activation=elu"])
    {'units': 32, 'early_stopping': True, 'activation': 'elu'}
    """
    if isinstance(raw, Mapping):
        return {str(k): _as_param(v) for k, v in raw.items()}
    if isinstance(raw, str):
        raw = [raw]
    params: dict[str, Any] = {}
    for item in raw or []:
        name, sep, text = str(item).partition("=")
        if not sep or not name.strip():
            raise ParameterError(
                f"{option} takes NAME=VALUE (e.g. {option} batch_size=64). "
                f"Received: {option} {item}"
            )
        params[name.strip()] = parse_value(text)
    return params


def check_param_names(family: str, params: Mapping[str, Any], task: str = "classification") -> None:
    """Refuse parameter names the family's estimator does not have (no Keras import)."""
    from .._families import estimator_class_name, parameter_names

    valid = parameter_names(family, task)
    unknown = sorted(set(params) - valid)
    if unknown:
        raise ParameterError(
            f"Unknown {estimator_class_name(family, task)} parameter. Expected names among "
            f"{sorted(valid)}. Received: --param {', '.join(unknown)}"
        )


_EXPECTED = re.compile(r"must be (.*)\. Got .* instead\.?$", re.DOTALL)


def make_estimator(
    family: str, params: Mapping[str, Any], *, seed: Any = None, task: str = "classification"
):
    """The family's classifier or regressor with ``params`` (``random_state=seed`` unless
    given).

    Imports the estimator class (hence Keras), then checks every value against the class's
    ``_parameter_constraints``, so a bad value fails here, before any training.
    """
    from .._families import estimator_class
    from ..utils._compat import InvalidParameterError, validate_parameter_constraints

    check_param_names(family, params, task)
    cls = estimator_class(family, task)
    params = dict(params)
    if "random_state" in cls().get_params() and "random_state" not in params:
        params["random_state"] = seed
    constraints = getattr(cls, "_parameter_constraints", {})
    for name, value in params.items():
        if name not in constraints:
            continue
        try:
            validate_parameter_constraints(
                {name: constraints[name]}, {name: value}, caller_name=cls.__name__
            )
        except InvalidParameterError as exc:
            match = _EXPECTED.search(str(exc))
            expected = match.group(1) if match else str(exc)
            raise ParameterError(
                f"Invalid value of the {cls.__name__} parameter {name}. Expected {expected}. "
                f"Received: {name}={describe(value)}"
            ) from None
    return cls(**params)


# ---------------------------------------------------------------------- outputs, labels
def fits_folder(out: Path, resume: bool) -> Path:
    """Where the command stores each finished fit (``<out>/fits``, skdeep's ``memory=``).

    A run killed half-way continues with ``--resume``: the fits stored there load instead of
    training again. Without it, a folder that already holds fits is refused rather than
    silently mixed with a new run (checked before any training).
    """
    folder = out / "fits"
    stored = list((folder / "skdeep-fits").glob("*.skdeep")) if folder.is_dir() else []
    if stored and not resume:
        raise ParameterError(
            f"The output folder holds {len(stored)} finished fits of an earlier run. Expected "
            "--resume to continue that run, or another --out for a new one. Received: --out "
            f"{out}"
        )
    return folder


def check_out(out: str | os.PathLike | None, *, option: str = "--out") -> Path | None:
    """Make sure the output folder can be created and written, without creating it.

    The nearest existing folder on the way is probed with a temporary file, so read-only
    mounts and permissions are caught before any training (not after an hour of it).
    """
    if out is None:
        return None
    path = Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise ParameterError(
            f"The output folder is an existing file. Expected a folder (new or existing). "
            f"Received: {option} {out}"
        )
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ParameterError(
            f"The output folder cannot be created: {existing} is a file. Expected a path "
            f"whose parents are folders. Received: {option} {out}"
        )
    try:
        fd, probe = tempfile.mkstemp(prefix=".skdeep-write-test-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ParameterError(
            f"The output folder is not writable ({exc.strerror or exc}). Expected a folder "
            f"you can write to. Received: {option} {out}"
        ) from None
    return path


def resolve_pos_label(y: Any, requested: Any = None) -> Any:
    """The positive class of a binary ``y`` (None for multiclass).

    A requested label matches a class equal to it or spelled the same (``--pos-label 1``
    matches the string class ``"1"``).
    """
    import numpy as np

    from ..metrics import default_pos_label

    labels = np.unique(np.asarray(y)).tolist()
    if requested is not None and len(labels) != 2:
        raise ParameterError(
            "A positive class applies to binary targets only (multiclass scores are "
            f"macro-averaged). Expected no --pos-label for {len(labels)} classes. "
            f"Received: pos_label={requested!r}"
        )
    if requested is not None:
        for value in labels:
            if value == requested or str(value) == str(requested):
                return value
        raise ParameterError(
            f"pos_label is not a class of the target. Expected one of {labels}. "
            f"Received: pos_label={requested!r}"
        )
    return default_pos_label(y) if len(labels) == 2 else None
