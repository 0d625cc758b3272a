"""Data for the ``skdeep`` commands: one loader, one target check, one preprocessing front.

Nothing here imports Keras: every problem with the data is reported before TensorFlow loads.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..exceptions import DataError, DatasetNotFoundError, ParameterError, describe

__all__ = [
    "BUNDLED",
    "MAX_CLASSES",
    "TASKS",
    "Dataset",
    "check_classification_target",
    "check_regression_target",
    "load_dataset",
    "model_pipeline",
    "preprocessing",
    "resolve_task",
]

#: Datasets bundled with scikit-learn (no download): name -> loader in sklearn.datasets.
BUNDLED = {
    "breast_cancer": "load_breast_cancer",
    "iris": "load_iris",
    "wine": "load_wine",
    "digits": "load_digits",
    "diabetes": "load_diabetes",  # a regression target: disease progression after a year
}
#: ``--task`` values; "auto" decides from the target (see :func:`resolve_task`).
TASKS = ("auto", "classification", "regression")
#: With ``--task auto``, a numeric target with more distinct integer values is a regression
#: target (prices, counts); up to this many it holds class labels.
MAX_CLASSES = 20
TABLE_SUFFIXES = (".csv", ".parquet", ".pq")
#: Text columns with more distinct values than this keep the most frequent ones only (the
#: rest share one "infrequent" column), so an ID-like column cannot blow up the inputs.
MAX_CATEGORIES = 50


@dataclass
class Dataset:
    """Features, labels and a short name (the bundled name or the file's stem)."""

    X: Any
    y: np.ndarray
    name: str

    def describe(self, task: str = "classification") -> str:
        """One line: samples, features, then classes or the target's mean and sd."""
        shape = np.shape(self.X)
        features = (
            f"{shape[1]} features"
            if len(shape) == 2
            else f"images of shape {tuple(int(d) for d in shape[1:])}"
        )
        kinds = ""
        if hasattr(self.X, "select_dtypes"):
            text = self.X.shape[1] - self.X.select_dtypes("number").shape[1]
            missing = int(self.X.isna().to_numpy().sum())
            kinds = f" ({text} text, {missing} missing values)" if text or missing else ""
        if task == "regression":
            values = np.asarray(self.y, dtype=float)
            about = f"target mean {np.nanmean(values):.4g}, sd {np.nanstd(values, ddof=1):.4g}"
        else:
            about = f"{len(np.unique(self.y))} classes"
        return f"{self.name}: {len(self.y)} samples, {features}{kinds}, {about}"


# ---------------------------------------------------------------------- loading
def load_dataset(data: str | os.PathLike | None, target: str | None = None) -> Dataset:
    """A bundled dataset, a CSV/Parquet table (``target`` names the label column) or an
    ``.npz`` file holding arrays ``X`` and ``y``.

    Raises
    ------
    ParameterError
        No dataset given, or an unsupported file type.
    DatasetNotFoundError
        The file does not exist.
    DataError
        The file cannot be read, lacks ``X``/``y`` or the target column.
    """
    if data is None or str(data) == "":
        raise ParameterError(
            f"No dataset given. Expected --data with a bundled name ({', '.join(BUNDLED)}) or "
            "a .csv, .parquet or .npz file. Received: --data not set"
        )
    if str(data) in BUNDLED:
        return _bundled(str(data))
    path = Path(data).expanduser()
    suffix = path.suffix.lower()
    if suffix not in (*TABLE_SUFFIXES, ".npz"):
        raise ParameterError(
            f"Unknown dataset. Expected a bundled name ({', '.join(BUNDLED)}) or a .csv, "
            f".parquet or .npz file. Received: --data {data}"
        )
    if not path.is_file():
        raise DatasetNotFoundError(
            f"Dataset file not found. Expected an existing {suffix} file. Received: --data {data}"
        )
    if suffix == ".npz":
        X, y = _read_npz(path)
    else:
        X, y = _read_table(path, target)
    return Dataset(X, y, path.stem)


def _bundled(name: str) -> Dataset:
    import sklearn.datasets

    bunch = getattr(sklearn.datasets, BUNDLED[name])()
    if "target_names" in bunch:  # class labels, by name
        y = np.asarray(bunch.target_names)[bunch.target]
    else:
        y = np.asarray(bunch.target, dtype=np.float64)
    return Dataset(np.asarray(bunch.data, dtype=np.float32), y, name)


def _read_npz(path: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [k for k in ("X", "y") if k not in archive.files]
            if missing:
                raise DataError(
                    "An .npz dataset must hold arrays named X and y. Expected keys X, y. "
                    f"Received: keys {sorted(archive.files)} in {path}"
                )
            return np.asarray(archive["X"]), np.asarray(archive["y"])
    except ValueError as exc:  # object arrays need pickle, which loading never runs
        if isinstance(exc, DataError):
            raise
        raise DataError(
            f"The .npz file cannot be read without pickle ({exc}). Expected numeric or string "
            f"arrays X and y (np.savez(path, X=X, y=y.astype(str))). Received: {path}"
        ) from None


def _read_table(path: Path, target: str | None):
    import pandas as pd

    try:
        if path.suffix.lower() == ".csv":
            frame = pd.read_csv(path)
        else:
            frame = pd.read_parquet(path)
    except ImportError as exc:
        raise ParameterError(
            "Reading Parquet files needs pyarrow. Install it with `pip install "
            f"'skdeep[parquet]'` (or pyarrow). Received: --data {path} ({exc})"
        ) from None
    except (ValueError, UnicodeDecodeError, OSError) as exc:  # pandas' parser errors
        raise DataError(f"The table cannot be read: {exc}. Received: --data {path}") from None
    columns = [str(c) for c in frame.columns]
    if not target:
        raise DataError(
            "A CSV/Parquet dataset needs --target naming its label column. Expected one of "
            f"{describe(columns, limit=300)}. Received: --target not set"
        )
    if target not in frame.columns:
        raise DataError(
            f"Target column not found. Expected one of {describe(columns, limit=300)}. "
            f"Received: --target {target}"
        )
    y = frame.pop(target)
    if frame.shape[1] == 0:
        raise DataError(
            f"The table has no feature columns besides the target. Expected at least one "
            f"more column. Received: columns {columns} in {path}"
        )
    return frame, y.to_numpy()


# ---------------------------------------------------------------------- checks
def resolve_task(y: np.ndarray, requested: str = "auto") -> tuple[str, str]:
    """``(task, why)``: "classification" or "regression", and one line saying why.

    ``requested`` other than "auto" is taken as given. "auto" picks regression for a
    numeric (not boolean) target that holds a fractional value or more than
    :data:`MAX_CLASSES` distinct values, and classification for anything else (text,
    booleans, a few integer values). Missing values are ignored here (they are refused
    later, with their rows).

    Examples
    --------
    >>> resolve_task(np.array([0.5, 1.25, 3.0]))
    ('regression', 'auto: a numeric target with fractional values -> regression')
    >>> resolve_task(np.array(["yes", "no"]))[0], resolve_task(np.arange(30))[0]
    ('classification', 'regression')
    """
    import pandas as pd

    if requested not in TASKS:
        raise ParameterError(
            f"Unknown task. Expected one of {list(TASKS)}. Received: task={requested!r}"
        )
    if requested != "auto":
        return requested, f"--task {requested}"
    values = np.asarray(y)
    if values.dtype.kind not in "iuf":
        return "classification", "auto: a non-numeric target -> classification"
    values = values[~pd.isna(values)].astype(float)
    if np.any(values != np.round(values)):
        return "regression", "auto: a numeric target with fractional values -> regression"
    distinct = len(np.unique(values))
    if distinct > MAX_CLASSES:
        return "regression", (
            f"auto: a numeric target with {distinct} distinct values (more than {MAX_CLASSES}) "
            "-> regression"
        )
    return "classification", (
        f"auto: {distinct} distinct integer values -> classification (--task regression "
        "to fit a regressor)"
    )


def check_regression_target(y: np.ndarray, *, min_samples: int = 2) -> None:
    """Numbers a regressor can learn: no missing or infinite values, ``min_samples`` rows."""
    import pandas as pd

    values = np.asarray(y)
    if values.dtype.kind not in "biuf":
        raise DataError(
            "A regression target must hold numbers. Expected a numeric target column. "
            f"Received: values such as {describe(np.unique(values.astype(str))[:5].tolist())}"
        )
    missing = np.flatnonzero(pd.isna(values) | ~np.isfinite(values.astype(float)))
    if missing.size:
        raise DataError(
            f"The target has {missing.size} missing or infinite values. Expected a number for "
            "every row (drop or fill those rows first). Received: rows "
            f"{describe(missing.tolist())}"
        )
    if len(values) < min_samples:
        raise DataError(
            f"Too few samples for the splits. Expected at least {min_samples} rows. "
            f"Received: {len(values)} rows"
        )


def check_classification_target(y: np.ndarray, *, min_per_class: int = 2) -> None:
    """Labels a classifier can learn: no missing values, 2+ classes, ``min_per_class`` each.

    ``min_per_class`` is what the stratified splits need (the number of folds, plus what a
    held-out test split takes).
    """
    import pandas as pd
    from sklearn.utils.multiclass import type_of_target

    missing = np.flatnonzero(pd.isna(y))
    if missing.size:
        raise DataError(
            f"The target has {missing.size} missing values. Expected a label for every row "
            f"(drop or fill those rows first). Received: missing labels in rows "
            f"{describe(missing.tolist())}"
        )
    kind = type_of_target(y)
    if kind not in ("binary", "multiclass"):
        raise DataError(
            "The target does not look like class labels (--task classification). Expected a "
            "binary or multiclass target, or --task regression for numbers. Received: a "
            f"{kind!r} target such as {describe(np.unique(y)[:5].tolist())}"
        )
    labels, counts = np.unique(y, return_counts=True)
    if counts.min() < min_per_class:
        rare = labels[counts < min_per_class].tolist()
        raise DataError(
            f"Some classes are too rare for the stratified splits. Expected at least "
            f"{min_per_class} samples per class. Received: classes {describe(rare)} with "
            f"{describe(counts[counts < min_per_class].tolist())} samples"
        )


def check_features(X: Any) -> None:
    """Refuse infinite values (imputation handles missing ones, not infinities)."""
    if hasattr(X, "select_dtypes"):
        numeric = X.select_dtypes("number").to_numpy(dtype=float, na_value=np.nan)
    else:
        numeric = np.asarray(X)
        if numeric.dtype.kind not in "biuf":
            raise DataError(
                "Array features must be numbers. Expected a numeric X in the .npz file. "
                f"Received: X of dtype {numeric.dtype}"
            )
    if np.isinf(numeric).any():
        raise DataError(
            "The features hold infinite values. Expected finite numbers (missing values are "
            f"imputed). Received: {int(np.isinf(numeric).sum())} infinite values"
        )


# ---------------------------------------------------------------------- preprocessing
def _numeric_steps(missing: bool, scale: bool) -> list:
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import StandardScaler

    return [SimpleImputer(strategy="median")] * missing + [StandardScaler()] * scale


def _chain(steps: list):
    from sklearn.pipeline import make_pipeline

    if not steps:
        return None
    return steps[0] if len(steps) == 1 else make_pipeline(*steps)


def preprocessing(X: Any, *, scale: bool = True):
    """The transformer in front of the model (None when nothing is needed).

    * tables: numeric columns get median imputation (when some value is missing) and
      standardisation (``scale``); other columns get most-frequent imputation and one-hot
      encoding (categories unseen in a training fold are ignored; beyond
      :data:`MAX_CATEGORIES` values the rare ones share a column);
    * 2-D arrays: median imputation when a value is missing, standardisation (``scale``);
    * images (3-D/4-D arrays): nothing (the image estimators scale uint8 pixels themselves).

    Every step sits in the Pipeline, so it is fitted on each training fold only.
    """
    if np.ndim(X) > 2:
        return None
    if not hasattr(X, "columns"):
        missing = bool(np.isnan(np.asarray(X, dtype=float)).any())
        return _chain(_numeric_steps(missing, scale))
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder

    numeric = list(X.select_dtypes("number").columns)
    other = [c for c in X.columns if c not in numeric]
    numbers = _chain(_numeric_steps(bool(X[numeric].isna().to_numpy().any()), scale))
    if not other:
        return numbers
    text = make_pipeline(
        SimpleImputer(strategy="most_frequent"),
        OneHotEncoder(
            handle_unknown="infrequent_if_exist",
            max_categories=MAX_CATEGORIES,
            sparse_output=False,
        ),
    )
    parts = [("text", text, other)]
    if numeric:
        parts.insert(0, ("numeric", numbers if numbers is not None else "passthrough", numeric))
    return ColumnTransformer(parts)


def model_pipeline(X: Any, estimator: Any, *, scale: bool = True):
    """``Pipeline([("preprocess", ...), ("model", estimator)])`` for ``X``.

    Without preprocessing (images, or ``scale=False`` on complete numeric data) the Pipeline
    holds the model alone, so parameter names are ``model__<name>`` in every case.
    """
    from sklearn.pipeline import Pipeline

    front = preprocessing(X, scale=scale)
    steps = [("model", estimator)]
    if front is not None:
        steps.insert(0, ("preprocess", front))
    return Pipeline(steps)
