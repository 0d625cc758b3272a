"""``skdeep study``: a k-fold (or repeated k-fold) study of one model on one dataset.

A classifier for class labels, the family's regressor for a numeric target (``--task``;
``auto`` decides from the target, see :mod:`skdeep._commands._common`). Writes the folder of
:meth:`skdeep.evaluation.StudyResult.save` and prints the report. Every
flag can also come from a TOML file (``--config study.toml``) whose keys are the flag names
(``n_jobs`` or ``n-jobs``; ``params`` as a table of estimator parameters or a list of
``"key=value"`` strings); flags given on the command line win over the file. Settings, data,
preprocessing and the positive class follow :mod:`skdeep._commands._common`, like
``skdeep tune``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .._families import FAMILIES
from ..exceptions import ParameterError
from . import _common
from ._common import BUNDLED, TASKS

#: Defaults of the options that a config file may also set.
DEFAULTS: dict[str, Any] = {
    "data": None,
    "target": None,
    "estimator": "ann",
    "task": "auto",
    "params": {},
    "cv": 5,
    "repeats": 1,
    "scoring": None,
    "pos_label": None,
    "scale": None,
    "seed": 0,
    "out": None,
    "n_jobs": 1,
    "resume": False,
    "verbose": 1,
}
ALIASES = {"dataset": "data", "param": "params"}

#: The command's line in ``skdeep --help``, and its description in ``skdeep study --help``.
HELP = "cross-validate a model: per-fold scores, summary, confusion matrix or residuals, curves"
DESCRIPTION = (
    "k-fold (or repeated k-fold) study of a classifier (stratified) or a regressor "
    "(shuffled): writes folds.csv, summary.csv, predictions.csv, histories.json, "
    "study.json, report.txt, learning_curves.png and confusion_matrix.csv/.png "
    "(classifier) or predictions.png and residuals.png (regressor) to --out, keeps each "
    "finished fold in --out/fits (so that --resume continues a killed study) and prints "
    "mean ± sd of each metric."
)

#: The command-line options: flags, then the keyword arguments of ``add_argument``. The
#: settings have no default here (None: not given), so that :func:`resolve_options` fills what
#: the flags leave out from the config file, then from :data:`DEFAULTS`.
OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (
        ("--data", "--dataset"),
        {
            "dest": "data",
            "help": f"a bundled dataset ({', '.join(BUNDLED)}), a CSV/Parquet file (with "
            "--target) or an .npz file holding arrays X and y",
        },
    ),
    (("--target",), {"help": "label column of a CSV/Parquet file"}),
    (("--estimator",), {"choices": list(FAMILIES), "help": "model family (ann)"}),
    (
        ("--task",),
        {
            "choices": TASKS,
            "help": "classification or regression; auto (default): regression for a numeric "
            "target with fractional values or more than 20 distinct values",
        },
    ),
    (
        ("--param",),
        {
            "action": "append",
            "metavar": "NAME=VALUE",
            "help": "estimator parameter, repeatable; TOML or Python values (units=32, "
            "dropout=0.2, early_stopping=true or True, activation=elu)",
        },
    ),
    (("--cv",), {"type": int, "help": "folds per repeat (5)"}),
    (("--repeats",), {"type": int, "help": "repeats of the k-fold split (1)"}),
    (
        ("--scoring",),
        {
            "help": "comma-separated metric names, skdeep's or scikit-learn's (default: "
            "accuracy,precision,recall,specificity,f1; for a regressor mae,rmse,r2, errors "
            "reported as positive numbers)",
        },
    ),
    (("--pos-label",), {"help": "positive class of binary scores (1, else the rarer)"}),
    (
        ("--scale",),
        {
            "action": argparse.BooleanOptionalAction,
            "help": "standardise numeric features inside each fold; default on for tabular "
            "data (missing values are imputed and text one-hot encoded either way)",
        },
    ),
    (("--seed",), {"type": int, "help": "seed of splits and model (0)"}),
    (("--out",), {"help": "output folder (study-<dataset>)"}),
    (("--n-jobs",), {"type": int, "help": "folds fitted in parallel (1)"}),
    (("--config",), {"help": "TOML file with any of these options"}),
    (
        ("--resume",),
        {
            "action": "store_true",
            "default": None,
            "help": "continue a study killed half-way: the folds stored in --out/fits load "
            "instead of training again",
        },
    ),
    (
        ("--quiet",),
        {"action": "store_true", "help": "no per-fold progress lines, only the report"},
    ),
)


def register(subparsers) -> None:
    parser = subparsers.add_parser("study", help=HELP, description=DESCRIPTION)
    for flags, options in OPTIONS:
        parser.add_argument(*flags, **options)
    parser.set_defaults(func=run)


# ---------------------------------------------------------------------- options
def resolve_options(args: argparse.Namespace) -> dict[str, Any]:
    """Defaults, then the config file, then command-line flags; checked (imports no Keras)."""
    config = _common.load_settings(args.config, DEFAULTS, aliases=ALIASES) if args.config else {}
    flags = {key: getattr(args, key, None) for key in DEFAULTS if key not in ("params", "verbose")}
    options = _common.merge_settings(DEFAULTS, config, flags)
    if getattr(args, "quiet", False):
        options["verbose"] = 0
    params = _common.parse_params(config.get("params", {}), option="params")
    params.update(_common.parse_params(args.param or []))
    options["params"] = params
    if isinstance(options["scoring"], str):
        options["scoring"] = [s.strip() for s in options["scoring"].split(",") if s.strip()]
    if isinstance(options["pos_label"], str) and args.pos_label is not None:
        options["pos_label"] = _common.parse_value(options["pos_label"])
    if options["estimator"] not in FAMILIES:
        raise ParameterError(
            f"Unknown estimator. Expected one of {sorted(FAMILIES)}. "
            f"Received: estimator={options['estimator']!r}"
        )
    if options["task"] not in TASKS:
        raise ParameterError(
            f"Unknown task. Expected one of {list(TASKS)}. Received: task={options['task']!r}"
        )
    for key, low in (("cv", 2), ("repeats", 1), ("n_jobs", -1)):
        value = options[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < low or value == 0:
            raise ParameterError(
                f"--{key.replace('_', '-')} must be an integer >= {low}"
                + (" other than 0" if key == "n_jobs" else "")
                + f". Received: {key}={value!r}"
            )
    return options


def _splitter(options: dict[str, Any], task: str):
    """Stratified k-fold for a classifier, shuffled k-fold for a regressor; seeded."""
    from sklearn.model_selection import (
        KFold,
        RepeatedKFold,
        RepeatedStratifiedKFold,
        StratifiedKFold,
    )

    seed, regression = options["seed"], task == "regression"
    if options["repeats"] > 1:
        cls = RepeatedKFold if regression else RepeatedStratifiedKFold
        return cls(n_splits=options["cv"], n_repeats=options["repeats"], random_state=seed)
    return (KFold if regression else StratifiedKFold)(
        options["cv"], shuffle=True, random_state=seed
    )


def prepare(options: dict[str, Any]):
    """Load and check the data, the task, the output folder, the scorers: all before
    TensorFlow. Returns ``(dataset, out, pos_label, task, why)``."""
    import numpy as np

    from ..metrics import resolve_scoring
    from ._data import check_features

    dataset = _common.load_dataset(options["data"], options["target"])
    task, why = _common.resolve_task(dataset.y, options["task"])
    _common.check_param_names(options["estimator"], options["params"], task)
    out = _common.check_out(options["out"] or f"study-{dataset.name}")
    options["fits"] = str(_common.fits_folder(out, bool(options["resume"])))
    if task == "regression":
        _common.check_regression_target(dataset.y, min_samples=options["cv"])
        if options["pos_label"] is not None:
            raise ParameterError(
                "A positive class applies to classification only. Expected no --pos-label "
                f"for a regression target ({why}). Received: pos_label={options['pos_label']!r}"
            )
        dataset.y = np.asarray(dataset.y, dtype=np.float64)
        pos_label, average = None, "binary"
    else:
        _common.check_classification_target(dataset.y, min_per_class=options["cv"])
        pos_label = _common.resolve_pos_label(dataset.y, options["pos_label"])
        average = "binary" if pos_label is not None else "macro"
    check_features(dataset.X)
    # names checked before training
    resolve_scoring(options["scoring"], average=average, pos_label=pos_label, task=task)
    if options["scale"] is None:
        options["scale"] = np.ndim(dataset.X) == 2
    return dataset, out, pos_label, task, why


# ---------------------------------------------------------------------- run
def run(args: argparse.Namespace) -> int:
    options = resolve_options(args)
    dataset, out, pos_label, task, why = prepare(options)
    from ..evaluation import cross_validate_study

    params = {**options["params"], "memory": options["fits"]}  # every finished fold is kept
    estimator = _common.make_estimator(
        options["estimator"], params, seed=options["seed"], task=task
    )
    model = _common.model_pipeline(dataset.X, estimator, scale=bool(options["scale"]))
    print(f"{dataset.describe(task)} -> {out}", flush=True)
    print(f"task: {why} ({type(estimator).__name__})", flush=True)
    study = cross_validate_study(
        model,
        dataset.X,
        dataset.y,
        cv=_splitter(options, task),
        scoring=options["scoring"],
        n_jobs=options["n_jobs"],
        pos_label=pos_label,
        verbose=options["verbose"],
    )
    study.info["command"] = {k: v for k, v in options.items() if k not in ("verbose", "fits")}
    study.info["command"]["task"] = task
    study.info["data"] = str(options["data"])
    study.save(Path(out))
    print()
    print(study.report())
    print(f"\nwritten to {out}/")
    return 0
