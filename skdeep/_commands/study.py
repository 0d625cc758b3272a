"""``skdeep study``: a k-fold (or repeated k-fold) study of one model on one dataset.

Writes the folder of :meth:`skdeep.evaluation.StudyResult.save` and prints the report. Every
flag can also come from a TOML file (``--config study.toml``) whose keys are the flag names
(``n_jobs`` or ``n-jobs``; ``param`` as a table of estimator parameters or a list of
``"key=value"`` strings); flags given on the command line win over the file.
"""

from __future__ import annotations

import argparse
import ast
import importlib
from pathlib import Path
from typing import Any

import numpy as np

#: Estimator names accepted by ``--estimator``: name -> "module:Class" (imported on use, so
#: model families added later only need a line here).
ESTIMATORS = {
    "ann": "skdeep.estimators:ANNClassifier",
}
#: Datasets bundled with scikit-learn (no download): name -> loader in sklearn.datasets.
BUNDLED = {
    "breast_cancer": "load_breast_cancer",
    "iris": "load_iris",
    "wine": "load_wine",
    "digits": "load_digits",
}
#: Defaults of the options that a config file may also set.
DEFAULTS: dict[str, Any] = {
    "data": None,
    "target": None,
    "estimator": "ann",
    "param": [],
    "cv": 5,
    "repeats": 1,
    "scoring": None,
    "pos_label": None,
    "scale": None,
    "seed": 0,
    "out": None,
    "n_jobs": 1,
    "verbose": 1,
}


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "study",
        help="cross-validate a model: per-fold scores, summary, confusion matrix, curves",
        description=(
            "Stratified k-fold (or repeated k-fold) study of a classifier: writes folds.csv, "
            "summary.csv, confusion_matrix.csv, predictions.csv, histories.json, study.json, "
            "report.txt, learning_curves.png and confusion_matrix.png to --out and prints "
            "mean ± sd of each metric."
        ),
    )
    parser.add_argument(
        "--data",
        help=f"a bundled dataset ({', '.join(BUNDLED)}), a CSV/Parquet file (with --target) "
        "or an .npz file holding arrays X and y",
    )
    parser.add_argument("--target", help="label column of a CSV/Parquet file")
    parser.add_argument(
        "--estimator", choices=sorted(ESTIMATORS), default=None, help="model family (ann)"
    )
    parser.add_argument(
        "--param",
        action="append",
        default=None,
        metavar="KEY=VALUE",
        help="estimator parameter, repeatable; VALUE is a Python literal (e.g. units=32, "
        "dropout=0.2, early_stopping=True, activation=elu)",
    )
    parser.add_argument("--cv", type=int, default=None, help="folds per repeat (5)")
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="repeats of the k-fold split with new shuffles (1)",
    )
    parser.add_argument(
        "--scoring",
        default=None,
        help="comma-separated metric names (default: accuracy,precision,recall,specificity,f1)",
    )
    parser.add_argument(
        "--pos-label",
        default=None,
        help="positive class for binary scores (default: 1, or 'malignant' for breast_cancer)",
    )
    parser.add_argument(
        "--scale",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="standardise features inside each fold (Pipeline with StandardScaler); "
        "default on for tabular data",
    )
    parser.add_argument("--seed", type=int, default=None, help="seed of splits and model (0)")
    parser.add_argument("--out", default=None, help="output folder (default: study-<data>)")
    parser.add_argument("--n-jobs", type=int, default=None, help="folds fitted in parallel (1)")
    parser.add_argument("--config", default=None, help="TOML file with any of these options")
    parser.add_argument(
        "--quiet", action="store_true", help="no per-fold progress lines, only the report"
    )
    parser.set_defaults(func=run)


# ---------------------------------------------------------------------- options


def _load_toml(path: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise ValueError(
                "Reading --config needs Python 3.11+ or the 'tomli' package. "
                f"Received: --config {path}"
            ) from None
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"Config file not found. Received: --config {path}")
    with file.open("rb") as fh:
        try:
            config = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(
                f"Config file is not valid TOML: {exc}. Received: --config {path}"
            ) from None
    normalised = {key.replace("-", "_"): value for key, value in config.items()}
    if "params" in normalised and "param" not in normalised:
        normalised["param"] = normalised.pop("params")
    unknown = sorted(set(normalised) - set(DEFAULTS))
    if unknown:
        raise ValueError(
            f"Unknown option in config file. Expected keys among {sorted(DEFAULTS)}. "
            f"Received: {unknown} in {path}"
        )
    base = Path(path).resolve().parent
    for key in ("data", "out"):  # relative paths in a config are relative to the file
        value = normalised.get(key)
        if isinstance(value, str) and (key == "out" or value not in BUNDLED):
            if not Path(value).is_absolute():
                normalised[key] = str(base / value)
    return normalised


def _literal(text: str) -> Any:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # a bare word such as elu or adam


def _parse_params(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return dict(raw)
    params = {}
    for item in raw or []:
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--param must look like KEY=VALUE. Received: --param {item}")
        params[key.strip()] = _literal(value.strip())
    return params


def resolve_options(args: argparse.Namespace) -> dict[str, Any]:
    """Defaults, then the config file, then command-line flags."""
    options = dict(DEFAULTS)
    if args.config:
        options.update(_load_toml(args.config))
    for key in DEFAULTS:
        value = getattr(args, key, None)
        if value is not None and key != "verbose":
            options[key] = value
    if getattr(args, "quiet", False):
        options["verbose"] = 0
    options["param"] = _parse_params(options["param"])
    if isinstance(options["scoring"], str):
        options["scoring"] = [s.strip() for s in options["scoring"].split(",") if s.strip()]
    if isinstance(options["pos_label"], str):
        options["pos_label"] = _literal(options["pos_label"])
    if not options["data"]:
        raise ValueError(
            "No dataset given. Expected --data with a bundled name "
            f"({', '.join(BUNDLED)}) or a file path. Received: --data not set"
        )
    if options["estimator"] not in ESTIMATORS:
        raise ValueError(
            f"Unknown estimator. Expected one of {sorted(ESTIMATORS)}. "
            f"Received: estimator={options['estimator']!r}"
        )
    for key, low in (("cv", 2), ("repeats", 1)):
        if not isinstance(options[key], int) or options[key] < low:
            raise ValueError(
                f"--{key} must be an integer >= {low}. Received: {key}={options[key]!r}"
            )
    return options


# ---------------------------------------------------------------------- data


def load_data(data: str, target: str | None) -> tuple[Any, np.ndarray, str, Any]:
    """``(X, y, name, default positive label)`` for a bundled name or a file path."""
    if data in BUNDLED:
        import sklearn.datasets

        bunch = getattr(sklearn.datasets, BUNDLED[data])()
        X = bunch.data
        if data == "digits":
            return X, bunch.target, data, None
        y = np.asarray(bunch.target_names)[bunch.target]
        return X, y, data, "malignant" if data == "breast_cancer" else None
    path = Path(data)
    if not path.is_file():
        raise FileNotFoundError(
            f"Dataset not found. Expected a bundled name ({', '.join(BUNDLED)}) or an existing "
            f".csv, .parquet or .npz file. Received: --data {data}"
        )
    suffix = path.suffix.lower()
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as archive:
            missing = [k for k in ("X", "y") if k not in archive.files]
            if missing:
                raise ValueError(
                    f"The .npz file must hold arrays named X and y. Received: arrays "
                    f"{sorted(archive.files)} in {data}"
                )
            return archive["X"], archive["y"], path.stem, None
    if suffix not in (".csv", ".parquet", ".pq"):
        raise ValueError(
            f"Unsupported data file type. Expected .csv, .parquet or .npz. Received: --data {data}"
        )
    import pandas as pd

    if suffix == ".csv":
        frame = pd.read_csv(path)
    else:
        try:
            frame = pd.read_parquet(path)
        except ImportError as exc:
            raise ValueError(
                f"Reading Parquet needs pyarrow (pip install pyarrow): {exc}. "
                f"Received: --data {data}"
            ) from None
    if not target:
        raise ValueError(
            "A table needs --target naming its label column. Expected one of "
            f"{list(frame.columns)[:20]}. Received: --target not set"
        )
    if target not in frame.columns:
        raise ValueError(
            f"Target column not found. Expected one of {list(frame.columns)[:20]}. "
            f"Received: --target {target}"
        )
    y = frame.pop(target).to_numpy()
    non_numeric = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if non_numeric:
        raise ValueError(
            "Feature columns must be numeric (encode categories first). Received: non-numeric "
            f"columns {non_numeric[:10]} in {data}"
        )
    return frame, y, path.stem, None


# ---------------------------------------------------------------------- run


def make_estimator(name: str, params: dict[str, Any], seed: int | None, scale: bool):
    module, _, cls_name = ESTIMATORS[name].partition(":")
    cls = getattr(importlib.import_module(module), cls_name)
    valid = cls().get_params()
    unknown = sorted(set(params) - set(valid))
    if unknown:
        raise ValueError(
            f"Unknown parameter for --estimator {name}. Expected names among {sorted(valid)}. "
            f"Received: --param {', '.join(unknown)}"
        )
    if "random_state" in valid and "random_state" not in params:
        params = {**params, "random_state": seed}
    model = cls(**params)
    if not scale:
        return model
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return make_pipeline(StandardScaler(), model)


def run(args: argparse.Namespace) -> int:
    from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold

    from skdeep.evaluation import cross_validate_study

    options = resolve_options(args)
    X, y, name, default_pos = load_data(str(options["data"]), options["target"])
    scale = options["scale"]
    if scale is None:
        scale = np.ndim(X) == 2
    options["scale"] = scale = bool(scale)
    estimator = make_estimator(options["estimator"], options["param"], options["seed"], scale)
    seed = options["seed"]
    if options["repeats"] > 1:
        cv = RepeatedStratifiedKFold(
            n_splits=options["cv"], n_repeats=options["repeats"], random_state=seed
        )
    else:
        cv = StratifiedKFold(options["cv"], shuffle=True, random_state=seed)
    pos_label = options["pos_label"] if options["pos_label"] is not None else default_pos
    out = Path(options["out"] or f"study-{name}")
    print(f"{name}: {len(y)} samples, {len(np.unique(y))} classes -> {out}", flush=True)
    study = cross_validate_study(
        estimator,
        X,
        y,
        cv=cv,
        scoring=options["scoring"],
        n_jobs=options["n_jobs"],
        pos_label=pos_label,
        verbose=options["verbose"],
    )
    study.info["command"] = {k: v for k, v in options.items() if k != "verbose"}
    study.info["data"] = str(options["data"])
    study.save(out)
    print()
    print(study.report())
    print(f"\nwritten to {out}/")
    return 0
