"""``skdeep tune``: search hyperparameters on a dataset and write a complete report folder.

``skdeep tune --config tune.toml`` or flags (flags override the file). The output folder gets
``cv_results.csv``, ``best_params.json``, ``test_report.json``, ``confusion_matrix.csv``,
``search.png`` (score against each parameter), ``learning_curves.png`` (the best model's
training history) and ``model.pkl`` (the refitted best Pipeline, loadable with ``pickle`` or
``joblib``).
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from ..exceptions import DataError, ParameterError, describe
from ..utils._json import to_jsonable

BUNDLED = ("breast_cancer", "iris", "wine", "digits")
SEARCHES = ("grid", "random", "bayes", "coarse-to-fine", "halving")
#: ``--estimator`` name -> skdeep class name (looked up lazily: families may be optional).
ESTIMATORS = {"ann": "ANNClassifier", "cnn": "CNNClassifier"}
REPORT_METRICS = ("accuracy", "precision", "recall", "specificity", "f1")


@dataclass
class TuneConfig:
    """Everything ``skdeep tune`` needs; the TOML config file holds the same keys."""

    dataset: str = "breast_cancer"
    target: str | None = None
    estimator: str = "ann"
    search: str = "random"
    n_iter: int = 10
    cv: int = 3
    scoring: str = "f1"
    test_size: float = 0.25
    seed: int = 0
    out: str | None = "tune-results"
    n_jobs: int = 1
    epochs: int = 30
    min_epochs: int | None = None
    size: str = "small"
    pos_label: Any = None
    verbose: int = 1
    params: dict = field(default_factory=dict)
    space: dict = field(default_factory=dict)

    def check(self) -> None:
        """Raise ParameterError for values the search cannot use."""
        from ..metrics import SCORER_NAMES

        def bad(name: str, expected: str) -> ParameterError:
            return ParameterError(
                f"Invalid tune setting {name}. Expected {expected}. "
                f"Received: {name}={describe(getattr(self, name))}"
            )

        if self.search not in SEARCHES:
            raise bad("search", f"one of {list(SEARCHES)}")
        if self.estimator not in ESTIMATORS:
            raise bad("estimator", f"one of {list(ESTIMATORS)}")
        if self.scoring not in SCORER_NAMES:
            raise bad("scoring", f"a metric name among {list(SCORER_NAMES)}")
        if self.size not in ("small", "large"):
            raise bad("size", "'small' or 'large'")
        for name, low in (("n_iter", 1), ("cv", 2), ("epochs", 1), ("n_jobs", -1)):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < low:
                raise bad(name, f"an integer >= {low}")
        if self.n_jobs == 0:
            raise bad("n_jobs", "a positive number of parallel fits, or -1 for all cores")
        if self.min_epochs is not None and not (1 <= self.min_epochs <= self.epochs):
            raise bad("min_epochs", f"an integer in [1, epochs={self.epochs}]")
        if not (isinstance(self.test_size, (int, float)) and 0 < self.test_size < 1):
            raise bad("test_size", "a fraction in (0, 1)")
        if not isinstance(self.params, dict) or not isinstance(self.space, dict):
            raise bad("params" if not isinstance(self.params, dict) else "space", "a table")


# ------------------------------------------------------------------------ command line
def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "tune",
        help="search hyperparameters and write results, plots and the best model to a folder",
        description=(
            "Tune a skdeep estimator inside Pipeline(preprocessing, model) on a dataset, keep a "
            "stratified test split aside, and write cv_results.csv, best_params.json, a "
            "test-set report, plots and the refitted best model to --out. Settings come from "
            "--config (TOML, same names with underscores) and flags; flags win."
        ),
    )
    add = parser.add_argument
    add("--config", type=Path, help="TOML file with the settings below (and [params], [space])")
    add("--dataset", help=f"{', '.join(BUNDLED)}, or a .csv/.parquet/.npz path")
    add("--target", help="target column of a CSV/Parquet file")
    add("--estimator", choices=list(ESTIMATORS), help="model family (ann)")
    add("--search", choices=SEARCHES, help="search strategy (random)")
    add("--n-iter", type=int, help="candidates to try (10)")
    add("--cv", type=int, help="cross-validation folds (3)")
    add("--scoring", help="metric that picks the best model, from skdeep.metrics (f1)")
    add("--test-size", type=float, help="held-out test fraction (0.25)")
    add("--seed", type=int, help="random seed for splits, sampling and training (0)")
    add("--out", help="output folder (tune-results)")
    add("--n-jobs", type=int, help="parallel fits (1)")
    add("--epochs", type=int, help="training epochs; the halving search's maximum (30)")
    add("--min-epochs", type=int, help="halving search: smallest rung budget (epochs/9)")
    add("--size", choices=("small", "large"), help="default search space size (small)")
    add("--pos-label", help="positive class for binary metrics (1, else the rarer class)")
    add(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="fixed estimator parameter, e.g. --param batch_size=64 (repeatable)",
    )
    add("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    tune(config)
    return 0


def _parse_value(text: str) -> Any:
    """A TOML literal (numbers, booleans, arrays, quoted strings) or else the plain string."""
    tomllib = _tomllib()
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _tomllib():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib


def load_config(path: str | Path) -> dict:
    """Settings from a TOML file (unknown keys are an error)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Config file not found. Received: --config {path}")
    tomllib = _tomllib()
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise ParameterError(f"The config file is not valid TOML: {exc}. Received: {path}") from exc
    known = {f.name for f in fields(TuneConfig)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ParameterError(
            f"Unknown setting in the config file. Expected keys among {sorted(known)}. "
            f"Received: {unknown} in {path}"
        )
    return data


def config_from_args(args: argparse.Namespace) -> TuneConfig:
    values: dict[str, Any] = load_config(args.config) if args.config else {}
    for name in (
        "dataset",
        "target",
        "estimator",
        "search",
        "n_iter",
        "cv",
        "scoring",
        "test_size",
        "seed",
        "out",
        "n_jobs",
        "epochs",
        "min_epochs",
        "size",
    ):
        value = getattr(args, name)
        if value is not None:
            values[name] = value
    if args.pos_label is not None:
        values["pos_label"] = _parse_value(args.pos_label)
    params = dict(values.get("params", {}))
    for item in args.param:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(
                f"--param takes NAME=VALUE (e.g. --param batch_size=64). Received: {item!r}"
            )
        params[name.strip()] = _parse_value(text.strip())
    values["params"] = params
    if args.quiet:
        values["verbose"] = 0
    config = TuneConfig(**values)
    config.check()
    return config


# ------------------------------------------------------------------------ data
def load_dataset(dataset: str, target: str | None = None):
    """``(X, y, pos_label_hint)``: X an array or DataFrame, y labels (strings for bundled data)."""
    if dataset in BUNDLED:
        from sklearn import datasets

        data = getattr(datasets, f"load_{dataset}")()
        y = np.asarray(data.target_names)[data.target]
        hint = "malignant" if dataset == "breast_cancer" else None
        return np.asarray(data.data, dtype=np.float32), y, hint
    path = Path(dataset)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq", ".npz"):
        raise ParameterError(
            f"Unknown dataset. Expected one of {list(BUNDLED)} or a path to a .csv, .parquet "
            f"or .npz file. Received: dataset={dataset!r}"
        )
    if not path.is_file():
        raise FileNotFoundError(f"Dataset file not found. Received: dataset={dataset!r}")
    if suffix == ".npz":
        with np.load(path, allow_pickle=False) as data:
            if "X" not in data or "y" not in data:
                raise DataError(
                    "An .npz dataset must hold arrays named X and y. Expected keys X, y. "
                    f"Received: keys {sorted(data.files)} in {path}"
                )
            return np.asarray(data["X"]), np.asarray(data["y"]), None
    import pandas as pd

    if suffix == ".csv":
        frame = pd.read_csv(path)
    else:
        try:
            frame = pd.read_parquet(path)
        except ImportError as exc:
            raise ParameterError(
                "Reading Parquet files needs pyarrow. Install it with `pip install "
                f"skdeep[parquet]` (or pyarrow). Received: dataset={dataset!r}"
            ) from exc
    if target is None or target not in frame.columns:
        raise DataError(
            "CSV/Parquet datasets need the target column named with --target. Expected one of "
            f"{describe(list(frame.columns), limit=200)}. Received: target={target!r}"
        )
    y = frame.pop(target).to_numpy()
    return frame, y, None


def make_pipeline_for(X, estimator):
    """Preprocessing + estimator: scaling (and one-hot encoding for text columns of tables)."""
    from sklearn.compose import ColumnTransformer, make_column_selector
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    if hasattr(X, "columns"):
        numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
        categorical = make_pipeline(
            SimpleImputer(strategy="most_frequent"),
            OneHotEncoder(handle_unknown="ignore", sparse_output=False),
        )
        pre = ColumnTransformer(
            [
                ("numeric", numeric, make_column_selector(dtype_include="number")),
                ("categorical", categorical, make_column_selector(dtype_exclude="number")),
            ]
        )
    elif np.isnan(np.asarray(X, dtype=float)).any():
        pre = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    else:
        pre = StandardScaler()
    return Pipeline([("preprocess", pre), ("model", estimator)])


def _choose_pos_label(labels: np.ndarray, y: np.ndarray, requested: Any, hint: Any) -> Any:
    values = labels.tolist()
    if requested is not None:
        for value in values:
            if value == requested or str(value) == str(requested):
                return value
        raise ParameterError(
            f"pos_label is not a class of the target. Expected one of {values}. "
            f"Received: pos_label={requested!r}"
        )
    if hint in values:
        return hint
    if 1 in values:
        return 1
    counts = [(np.sum(y == v), i) for i, v in enumerate(values)]
    return values[min(counts)[1]]  # the rarer class


# ------------------------------------------------------------------------ spaces
def _custom_space(space: dict, kind: str) -> dict:
    """A ``[space]`` table: lists are choices; ``{low, high, log, int}`` tables are ranges."""
    out: dict[str, Any] = {}
    for name, spec in space.items():
        key = name if "__" in name else f"model__{name}"
        if isinstance(spec, list):
            if not spec:
                raise ParameterError(f"space.{name} is an empty list. Received: {spec}")
            if kind == "bayes":
                from skopt.space import Categorical

                out[key] = Categorical(spec)
            else:
                out[key] = spec
            continue
        if not (isinstance(spec, dict) and {"low", "high"} <= set(spec)):
            raise ParameterError(
                f"space.{name} must be a list of values or a table with low and high (and "
                f"optionally log = true, int = true). Received: {describe(spec)}"
            )
        low, high = spec["low"], spec["high"]
        log, integer = bool(spec.get("log", False)), bool(spec.get("int", False))
        if not (isinstance(low, (int, float)) and isinstance(high, (int, float)) and low < high):
            raise ParameterError(
                f"space.{name} needs numbers low < high. Received: low={low!r}, high={high!r}"
            )
        if log and low <= 0:
            raise ParameterError(
                f"space.{name} with log = true needs low > 0. Received: low={low!r}"
            )
        if kind == "grid":
            points = (np.geomspace(low, high, 3) if log else np.linspace(low, high, 3)).tolist()
            out[key] = sorted({int(round(p)) for p in points}) if integer else points
        elif kind == "bayes":
            from skopt.space import Integer, Real

            prior = "log-uniform" if log else "uniform"
            dim = Integer(int(low), int(high), prior=prior) if integer else Real(low, high, prior)
            out[key] = dim
        else:
            from scipy.stats import loguniform, randint, uniform

            if integer:
                out[key] = randint(int(low), int(high) + 1)
            else:
                out[key] = loguniform(low, high) if log else uniform(low, high - low)
    return out


# ------------------------------------------------------------------------ the run
def _estimator(config: TuneConfig, n_features_hint: int | None):
    import skdeep

    name = ESTIMATORS[config.estimator]
    cls = getattr(skdeep, name, None)
    if cls is None:
        raise ParameterError(
            f"estimator={config.estimator!r} needs skdeep.{name}, which this installation "
            f"does not provide. Expected one of the available families. Received: "
            f"estimator={config.estimator!r}"
        )
    params = {"epochs": config.epochs, "random_state": config.seed, **config.params}
    accepted = cls().get_params()
    if config.estimator == "cnn" and "image_shape" not in params and n_features_hint:
        side = int(round(math.sqrt(n_features_hint)))
        if side * side == n_features_hint:
            params["image_shape"] = (side, side, 1)
    if isinstance(params.get("image_shape"), list):
        params["image_shape"] = tuple(params["image_shape"])
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise ParameterError(
            f"Unknown {name} parameter in params. Expected names among "
            f"{sorted(accepted)}. Received: {unknown}"
        )
    return cls(**params)


def _build_search(config: TuneConfig, pipe, scoring: dict, cv) -> Any:
    from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

    from ..model_selection import CoarseToFineSearchCV, EpochHalvingSearchCV, search_space

    kind = {"grid": "grid", "bayes": "bayes"}.get(config.search, "random")
    if config.space:
        space = _custom_space(config.space, kind)
    else:
        space = search_space(pipe, kind, size=config.size)
    common = {"scoring": scoring, "refit": config.scoring, "cv": cv, "n_jobs": config.n_jobs}
    if config.search == "grid":
        return GridSearchCV(pipe, space, **common)
    if config.search == "random":
        return RandomizedSearchCV(
            pipe, space, n_iter=config.n_iter, random_state=config.seed, **common
        )
    if config.search == "bayes":
        from skopt import BayesSearchCV

        return BayesSearchCV(pipe, space, n_iter=config.n_iter, random_state=config.seed, **common)
    if config.search == "coarse-to-fine":
        n_fine = config.n_iter // 3
        return CoarseToFineSearchCV(
            pipe,
            space,
            n_coarse=config.n_iter - n_fine,
            n_fine=n_fine,
            random_state=config.seed,
            **common,
        )
    min_epochs = config.min_epochs or max(1, config.epochs // 9)
    return EpochHalvingSearchCV(
        pipe,
        space,
        n_candidates=config.n_iter,
        min_epochs=min_epochs,
        max_epochs=config.epochs,
        random_state=config.seed,
        **common,
    )


def _cv_results_frame(results: dict):
    import pandas as pd

    columns = {}
    for key, values in results.items():
        if key == "params":
            columns[key] = [json.dumps(to_jsonable(p), sort_keys=True) for p in values]
        elif isinstance(values, np.ma.MaskedArray):
            columns[key] = [
                None if m else to_jsonable(v)
                for v, m in zip(values.data, np.ma.getmaskarray(values))
            ]
        else:
            columns[key] = list(values)
    return pd.DataFrame(columns)


def tune(config: TuneConfig, *, echo: Callable[[str], None] = print) -> dict:
    """Run the whole ``skdeep tune`` workflow for ``config``; returns a summary dict.

    Parameters
    ----------
    config : TuneConfig
    echo : callable, default=print
        Receives each line of the printed report.

    Returns
    -------
    dict
        ``search`` (the fitted search), ``report`` (the test-report dict) and ``files``
        (paths written; empty when ``config.out`` is None).
    """
    from sklearn.metrics import confusion_matrix
    from sklearn.model_selection import StratifiedKFold, train_test_split
    from sklearn.utils.multiclass import type_of_target

    from ..metrics import make_scorers
    from ..model_selection import progress

    config.check()
    X, y, hint = load_dataset(config.dataset, config.target)
    labels = np.unique(y)
    binary = type_of_target(y) == "binary"
    pos_label = _choose_pos_label(labels, y, config.pos_label, hint) if binary else None
    average = "binary" if binary else "macro"
    names = list(dict.fromkeys([config.scoring, *REPORT_METRICS]))
    scorer_kwargs = {"average": average, **({"pos_label": pos_label} if binary else {})}
    scoring = make_scorers(names, **scorer_kwargs)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=config.test_size, stratify=y, random_state=config.seed
    )
    n_features = X.shape[1]
    pipe = make_pipeline_for(X, _estimator(config, n_features))
    cv = StratifiedKFold(config.cv, shuffle=True, random_state=config.seed)
    search = _build_search(config, pipe, scoring, cv)
    echo(
        f"{config.dataset}: {len(y_train)} training / {len(y_test)} held-out samples, "
        f"{n_features} features, {len(labels)} classes"
    )
    start = time.perf_counter()
    if config.verbose and config.search in ("coarse-to-fine", "halving"):
        search.set_params(verbose=1)
        search.fit(X_train, y_train)
    elif config.verbose:
        with progress(search, desc=config.search):
            search.fit(X_train, y_train)
    else:
        search.fit(X_train, y_train)
    elapsed = time.perf_counter() - start
    n_rows = len(search.cv_results_["params"])
    echo(f"{config.search} search: {n_rows} results x {config.cv} folds in {elapsed:.0f} s")
    epochs_total = getattr(search, "n_epochs_total_", None)
    if epochs_total is not None:
        echo(f"training epochs spent by the search: {epochs_total}")
    echo(f"best cross-validated {config.scoring}: {search.best_score_:.3f}")
    echo("best parameters:")
    for name, value in sorted(search.best_params_.items()):
        shown = f"{value:.4g}" if isinstance(value, float) else value
        echo(f"  {name.split('__')[-1]:<15} {shown}")
    best = search.best_estimator_
    test_scores = {name: float(scorer(best, X_test, y_test)) for name, scorer in scoring.items()}
    order = (
        [pos_label, *[v for v in labels.tolist() if v != pos_label]] if binary else labels.tolist()
    )
    cm = confusion_matrix(y_test, best.predict(X_test), labels=order)
    where = f"positive class {pos_label!r}" if binary else "macro average over classes"
    echo(f"held-out test set ({len(y_test)} samples, {where}):")
    echo(f"  {'metric':<12} {'score':>6}")
    for name in names:
        echo(f"  {name:<12} {test_scores[name]:>6.3f}")
    width = max(6, *(len(str(v)) for v in order))
    echo(f"confusion matrix (rows true, columns predicted: {', '.join(map(str, order))}):")
    for label, row in zip(order, cm):
        echo(f"  {str(label):<{width}} " + " ".join(f"{c:>5}" for c in row))
    report = {
        "dataset": config.dataset,
        "estimator": config.estimator,
        "search": config.search,
        "refit_metric": config.scoring,
        "cv_best_score": to_jsonable(float(search.best_score_)),
        "n_train": len(y_train),
        "n_test": len(y_test),
        "positive_label": to_jsonable(pos_label),
        "average": average,
        "test": test_scores,
        "labels": to_jsonable(order),
        "confusion_matrix": cm.tolist(),
        "search_seconds": elapsed,
        "n_epochs_total": to_jsonable(epochs_total),
        "config": to_jsonable(asdict(config)),
    }
    files: list[Path] = []
    if config.out is not None:
        files = _write_outputs(Path(config.out), search, report, order, cm, config, echo)
    return {"search": search, "report": report, "files": files}


def _write_outputs(out: Path, search, report, order, cm, config, echo) -> list[Path]:
    import pandas as pd

    out.mkdir(parents=True, exist_ok=True)
    files = [out / name for name in ("cv_results.csv", "best_params.json", "test_report.json")]
    _cv_results_frame(search.cv_results_).to_csv(files[0], index=False)
    files[1].write_text(
        json.dumps(to_jsonable(search.best_params_), indent=2, sort_keys=True) + "\n"
    )
    files[2].write_text(json.dumps(report, indent=2) + "\n")
    matrix = pd.DataFrame(cm, index=[str(v) for v in order], columns=[str(v) for v in order])
    matrix.index.name = "true \\ predicted"
    files.append(out / "confusion_matrix.csv")
    matrix.to_csv(files[-1])
    files.append(out / "model.pkl")
    with open(files[-1], "wb") as f:
        pickle.dump(search.best_estimator_, f)
    files += _write_plots(out, search, config, echo)
    echo(f"wrote {', '.join(p.name for p in files)} to {out}/")
    return files


def _write_plots(out: Path, search, config, echo) -> list[Path]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from .. import plotting
    except ImportError as exc:
        print(f"skdeep tune: plots skipped ({exc})", file=sys.stderr)
        return []
    written = []
    for name, draw in (
        ("search.png", lambda: plotting.plot_search(search, metric=config.scoring)),
        ("learning_curves.png", lambda: plotting.plot_history(search.best_estimator_)),
    ):
        fig = draw()
        fig.savefig(out / name, dpi=100, bbox_inches="tight")
        plt.close(fig)
        written.append(out / name)
    return written
