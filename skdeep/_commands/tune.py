"""``skdeep tune``: search hyperparameters on a dataset and write a complete report folder.

``skdeep tune --config tune.toml`` or flags (flags override the file). A classifier for class
labels, the family's regressor for a numeric target (``--task``; ``auto`` decides from the
target). The output folder gets ``cv_results.csv``, ``best_params.json``,
``test_report.json``, ``search.png`` (score against each parameter), ``learning_curves.png``
(the best model's training history), ``model.skdeep`` (the refitted best network, skdeep's
safe format: ``skdeep.load`` runs no code from it), ``model.pkl`` (the whole refitted Pipeline
with its preprocessing; pickle: load only files you trust), ``fits/`` (every finished fit, so
that ``--resume`` continues a killed run) and ``confusion_matrix.csv`` (classifier) or
``predictions.png`` and ``residuals.png`` of the held-out test split (regressor). Settings,
data, preprocessing and the positive class follow :mod:`skdeep._commands._common`, like
``skdeep study``; the report is written by :mod:`skdeep._commands._tune_report`.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..exceptions import ParameterError, describe
from . import _common
from ._common import BUNDLED, TASKS
from ._tune_report import held_out_report, report_lines, write_outputs

SEARCHES = ("grid", "random", "bayes", "coarse-to-fine", "halving")
REPORT_METRICS = ("accuracy", "precision", "recall", "specificity", "f1")
#: What the held-out test set of a regressor is scored with (errors reported positive).
REGRESSION_METRICS = ("mae", "rmse", "r2")
#: The refit metric when ``scoring`` is not given.
DEFAULT_SCORING = {"classification": "f1", "regression": "r2"}


@dataclass
class TuneConfig:
    """Everything ``skdeep tune`` needs; the TOML config file holds the same keys.

    ``out=None`` writes no files (the command line defaults it to ``tune-<dataset>``).
    """

    data: str = "breast_cancer"
    target: str | None = None
    estimator: str = "ann"
    task: str = "auto"
    search: str = "random"
    n_iter: int = 10
    cv: int = 3
    scoring: str | None = None
    test_size: float = 0.25
    seed: int = 0
    out: str | None = None
    n_jobs: int = 1
    epochs: int = 30
    min_epochs: int | None = None
    size: str = "small"
    pos_label: Any = None
    resume: bool = False
    verbose: int = 1
    params: dict = field(default_factory=dict)
    space: dict = field(default_factory=dict)

    def check(self) -> None:
        """Raise ParameterError for values the search cannot use (imports no Keras)."""
        from .._families import FAMILIES

        def bad(name: str, expected: str) -> ParameterError:
            return ParameterError(
                f"Invalid tune setting {name}. Expected {expected}. "
                f"Received: {name}={describe(getattr(self, name))}"
            )

        if self.search not in SEARCHES:
            raise bad("search", f"one of {list(SEARCHES)}")
        if self.estimator not in FAMILIES:
            raise bad("estimator", f"one of {list(FAMILIES)}")
        if self.task not in TASKS:
            raise bad("task", f"one of {list(TASKS)}")
        if self.scoring is not None and not isinstance(self.scoring, str):
            raise bad("scoring", "one metric name, e.g. 'f1', 'roc_auc' or 'rmse'")
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
    from .._families import FAMILIES

    parser = subparsers.add_parser(
        "tune",
        help="search hyperparameters and write results, plots and the best model to a folder",
        description=(
            "Tune a skdeep classifier or regressor inside Pipeline(preprocessing, model) on a "
            "dataset, keep a test split aside (stratified for a classifier), and write "
            "cv_results.csv, best_params.json, a test-set report, plots and the refitted best "
            "model to --out: model.skdeep (skdeep's safe format: skdeep.load runs no code from "
            "it) and model.pkl (the whole Pipeline; pickle runs code when loaded, so open only "
            "files you trust). Every finished fit is kept in --out/fits, so that --resume "
            "continues a killed run. Settings come from --config (TOML, same names with "
            "underscores) and flags; flags win."
        ),
    )
    add = parser.add_argument
    add("--config", help="TOML file with the settings below (and [params], [space])")
    add("--data", "--dataset", dest="data", help=f"{', '.join(BUNDLED)}, or a .csv/.parquet/.npz")
    add("--target", help="label column of a CSV/Parquet file")
    add("--estimator", choices=list(FAMILIES), help="model family (ann)")
    add(
        "--task",
        choices=TASKS,
        help="classification or regression; auto (default): regression for a numeric target "
        "with fractional values or more than 20 distinct values",
    )
    add("--search", choices=SEARCHES, help="search strategy (random)")
    add("--n-iter", type=int, help="candidates to try (10)")
    add("--cv", type=int, help="cross-validation folds (3)")
    add(
        "--scoring",
        help="metric that picks the best model: a skdeep or sklearn name (f1; r2 for a "
        "regressor, or e.g. rmse, mae)",
    )
    add("--test-size", type=float, help="held-out test fraction (0.25; stratified for classes)")
    add("--seed", type=int, help="random seed for splits, sampling and training (0)")
    add("--out", help="output folder (tune-<dataset>)")
    add("--n-jobs", type=int, help="parallel fits (1)")
    add("--epochs", type=int, help="training epochs; the halving search's maximum (30)")
    add("--min-epochs", type=int, help="halving search: smallest rung budget (epochs/9)")
    add("--size", choices=("small", "large"), help="default search space size (small)")
    add("--pos-label", help="positive class of binary metrics (1, else the rarer class)")
    add(
        "--param",
        action="append",
        default=None,
        metavar="NAME=VALUE",
        help="fixed estimator parameter, repeatable; TOML or Python values "
        "(batch_size=64, early_stopping=true or True, activation=elu)",
    )
    add(
        "--resume",
        action="store_true",
        default=None,
        help="continue a run killed half-way: the fits stored in --out/fits load instead of "
        "training again (the results are those of an uninterrupted run)",
    )
    add("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    tune(config_from_args(args))
    return 0


def config_from_args(args: argparse.Namespace) -> TuneConfig:
    """Defaults, then ``--config``, then flags; ``out`` defaults to ``tune-<dataset>``."""
    known = [f.name for f in fields(TuneConfig)]
    aliases = {"dataset": "data", "param": "params"}
    config = _common.load_settings(args.config, known, aliases=aliases) if args.config else {}
    flags = {name: getattr(args, name, None) for name in known if name not in ("params",)}
    if args.pos_label is not None:
        flags["pos_label"] = _common.parse_value(args.pos_label)
    values = _common.merge_settings({}, config, flags)
    params = _common.parse_params(config.get("params", {}), option="params")
    params.update(_common.parse_params(args.param or []))
    values["params"] = params
    if args.quiet:
        values["verbose"] = 0
    if values.get("out") is None:
        data = str(values.get("data", TuneConfig.data))
        values["out"] = f"tune-{data if data in BUNDLED else Path(data).stem}"
    config = TuneConfig(**values)
    config.check()
    return config


# ------------------------------------------------------------------------ the run
@dataclass
class _Plan:
    """Everything checked and prepared before TensorFlow is imported."""

    config: TuneConfig
    dataset: _common.Dataset
    split: tuple  # X_train, X_test, y_train, y_test
    pos_label: Any
    average: str
    metrics: list[str]
    scorers: dict
    space: dict | None
    out: Path | None
    task: str = "classification"
    why: str = ""
    refit: str = "f1"
    fits: Path | None = None  # where every finished fit is stored (resumable runs)


def _check_target(config: TuneConfig, dataset: _common.Dataset, task: str, why: str):
    """``(pos_label, average)`` after checking the target for ``task``."""
    import numpy as np

    if task == "regression":
        # every fold of the training part needs two rows, and the test part one
        _common.check_regression_target(
            dataset.y, min_samples=max(3, math.ceil(2 * config.cv / (1 - config.test_size)))
        )
        if config.pos_label is not None:
            raise ParameterError(
                "A positive class applies to classification only. Expected no --pos-label "
                f"for a regression target ({why}). Received: pos_label={config.pos_label!r}"
            )
        dataset.y = np.asarray(dataset.y, dtype=np.float64)
        return None, "binary"
    # each class needs cv members in the training part, and one in the test part
    per_class = max(2, math.ceil(config.cv / (1 - config.test_size)))
    _common.check_classification_target(dataset.y, min_per_class=per_class)
    pos_label = _common.resolve_pos_label(dataset.y, config.pos_label)
    return pos_label, "binary" if pos_label is not None else "macro"


def prepare(config: TuneConfig) -> _Plan:
    """Check every setting and the data, split off the test set, resolve the scorers.

    Imports no Keras: all of these errors come before TensorFlow loads.
    """
    from sklearn.model_selection import train_test_split

    from ..metrics import resolve_scoring
    from ._data import check_features
    from ._space import space_from_table

    config.check()
    out = _common.check_out(config.out)
    fits = None if out is None else _common.fits_folder(out, bool(config.resume))
    dataset = _common.load_dataset(config.data, config.target)
    task, why = _common.resolve_task(dataset.y, config.task)
    _common.check_param_names(config.estimator, config.params, task)
    pos_label, average = _check_target(config, dataset, task, why)
    check_features(dataset.X)
    refit = config.scoring or DEFAULT_SCORING[task]
    report = REGRESSION_METRICS if task == "regression" else REPORT_METRICS
    metrics = list(dict.fromkeys([refit, *report]))
    scorers = resolve_scoring(metrics, average=average, pos_label=pos_label, task=task)
    kind = {"grid": "grid", "bayes": "bayes"}.get(config.search, "random")
    space = space_from_table(config.space, kind) if config.space else None
    split = train_test_split(
        dataset.X, dataset.y, test_size=config.test_size, random_state=config.seed,
        stratify=dataset.y if task == "classification" else None,
    )  # fmt: skip
    return _Plan(
        config, dataset, split, pos_label, average, metrics, scorers, space, out, task, why,
        refit, fits,
    )  # fmt: skip


def _build_search(
    config: TuneConfig, pipe, scoring: dict, cv, space: dict | None = None, refit=None
):
    from sklearn.model_selection import GridSearchCV, RandomizedSearchCV

    from ..model_selection import CoarseToFineSearchCV, EpochHalvingSearchCV, search_space

    kind = {"grid": "grid", "bayes": "bayes"}.get(config.search, "random")
    if space is None:
        space = search_space(pipe, kind, size=config.size)
    refit = refit or config.scoring or DEFAULT_SCORING["classification"]
    common = {"scoring": scoring, "refit": refit, "cv": cv, "n_jobs": config.n_jobs}
    seeded = {"random_state": config.seed, **common}
    if config.search == "grid":
        return GridSearchCV(pipe, space, **common)
    if config.search == "random":
        return RandomizedSearchCV(pipe, space, n_iter=config.n_iter, **seeded)
    if config.search == "bayes":
        from skopt import BayesSearchCV

        return BayesSearchCV(pipe, space, n_iter=config.n_iter, **seeded)
    if config.search == "coarse-to-fine":
        n_fine = config.n_iter // 3
        return CoarseToFineSearchCV(
            pipe, space, n_coarse=config.n_iter - n_fine, n_fine=n_fine, **seeded
        )
    min_epochs = config.min_epochs or max(1, config.epochs // 9)
    return EpochHalvingSearchCV(
        pipe, space, n_candidates=config.n_iter, min_epochs=min_epochs,
        max_epochs=config.epochs, **seeded,
    )  # fmt: skip


def _fit(search, config: TuneConfig, X, y) -> float:
    from ..model_selection import progress

    start = time.perf_counter()
    if config.verbose and config.search in ("coarse-to-fine", "halving"):
        search.set_params(verbose=1)  # their own bar, which knows the stages
        search.fit(X, y)
    elif config.verbose:
        with progress(search, desc=config.search):
            search.fit(X, y)
    else:
        search.fit(X, y)
    return time.perf_counter() - start


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
    from sklearn.model_selection import KFold, StratifiedKFold

    plan = prepare(config)
    X_train, X_test, y_train, y_test = plan.split
    params = {"epochs": config.epochs, **config.params}
    if plan.fits is not None:
        params["memory"] = str(plan.fits)
    estimator = _common.make_estimator(config.estimator, params, seed=config.seed, task=plan.task)
    pipe = _common.model_pipeline(X_train, estimator)
    splitter = StratifiedKFold if plan.task == "classification" else KFold
    cv = splitter(config.cv, shuffle=True, random_state=config.seed)
    search = _build_search(config, pipe, plan.scorers, cv, plan.space, refit=plan.refit)
    echo(f"{plan.dataset.describe(plan.task)}; {len(y_train)} training / {len(y_test)} held out")
    echo(f"task: {plan.why} ({type(estimator).__name__})")
    elapsed = _fit(search, config, X_train, y_train)
    report = held_out_report(plan, search, elapsed)
    for line in report_lines(report, search):
        echo(line)
    files: list[Path] = []
    if plan.out is not None:
        files = write_outputs(plan.out, search, report, plan)
        echo(f"wrote {', '.join(p.name for p in files)} to {plan.out}/")
    return {"search": search, "report": report, "files": files}
