"""k-fold and repeated k-fold studies of a classifier: per-fold scores, a summary with
confidence intervals, the pooled out-of-fold confusion matrix and the Keras training curves
of every fold.

Why not ``sklearn.model_selection.cross_validate(return_estimator=True)``: it keeps every fold's
fitted estimator alive until the end, so a 10 x 5 study of a Keras model holds 50 compiled
networks at once (and, as skdeep reuses a compiled network only when its previous owner is
gone, traces 50 sets of graphs). :func:`cross_validate_study` fits, scores and predicts each
fold in one task, keeps what the study needs (scores, out-of-fold predictions, history) and
drops the fitted model before the next fold starts. The fitting and scoring steps are the same
as ``cross_validate``'s (``clone``, ``fit`` on the training part, the same scorer objects on
the test part), so the numbers are identical for the same splitter, seeds and scorers; the
test suite checks this.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from numbers import Integral
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone, is_classifier
from sklearn.metrics import check_scoring, confusion_matrix, get_scorer
from sklearn.model_selection import StratifiedKFold, check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils.multiclass import type_of_target

from .exceptions import DataError, ParameterError, describe
from .metrics import SCORER_NAMES, make_scorers
from .utils._json import to_jsonable
from .utils._pipeline import final_step, fold_params, num_samples

__all__ = ["StudyResult", "cross_validate_study"]

#: Columns of ``StudyResult.folds`` that identify a fold rather than measure it.
ID_COLUMNS = ("split", "repeat", "fold", "n_train", "n_test")
#: Confidence level of the interval in ``StudyResult.summary``.
CONFIDENCE = 0.95


@dataclass(repr=False)
class StudyResult:
    """Outcome of :func:`cross_validate_study`.

    Attributes
    ----------
    folds : DataFrame
        One row per fit: ``split`` (0-based position in the splitter), ``repeat`` and
        ``fold`` (0-based; ``repeat`` only for repeated splitters), ``n_train``, ``n_test``,
        one column per metric (test scores; ``train_<metric>`` as well with
        ``return_train_score=True``), ``fit_time`` and ``score_time`` in seconds and, when the
        final step is a skdeep estimator, ``n_epochs`` (epochs run) and ``best_epoch``
        (restored epoch with early stopping, else missing).
    summary : DataFrame
        Indexed by metric (scores first, then times and epochs), columns ``mean``, ``sd``
        (sample standard deviation over folds), ``ci_low``, ``ci_high``: a 95% Student-t
        interval for the mean, ``mean ± t(0.975, k-1) * sd / sqrt(k)`` over the ``k`` folds.
        Folds share most of their training data, so fold scores are not independent and the
        interval is approximate (typically too narrow, more so for repeated k-fold whose
        repeats reuse the same samples); read it as a guide to the spread, not an exact
        coverage guarantee.
    confusion_matrix : ndarray of shape (n_classes, n_classes)
        Out-of-fold predictions pooled over all folds (rows: true class, columns: predicted,
        in ``labels`` order). With a splitter that tests every sample once (k-fold) it is the
        matrix of ``cross_val_predict``; with repeated k-fold every sample is counted once per
        repeat, so the total is ``n_repeats * n_samples``.
    labels : ndarray
        Class labels, sorted (the row/column order of ``confusion_matrix``).
    histories : list of dict
        The Keras ``history_`` of each fold (metric name to per-epoch values) when the final
        step is a skdeep estimator; empty otherwise.
    predictions : DataFrame
        One row per out-of-fold prediction: ``split``, ``index`` (row position in X),
        ``y_true``, ``y_pred``.
    metrics : list of str
        Names of the scored metrics (columns of ``folds``).
    info : dict
        What was run: estimator, splitter, scoring, data shape, positive class, versions,
        elapsed seconds. Saved as ``study.json``.
    """

    folds: pd.DataFrame
    summary: pd.DataFrame
    confusion_matrix: np.ndarray
    labels: np.ndarray
    histories: list[dict[str, list[float]]] = field(default_factory=list)
    predictions: pd.DataFrame | None = None
    metrics: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    # ------------------------------------------------------------------ views
    def to_frame(self) -> pd.DataFrame:
        """Per-fold values in long ("tidy") form: one row per fold and measured quantity.

        Returns
        -------
        DataFrame
            Columns ``split`` (plus ``repeat`` and ``fold`` when present), ``metric`` and
            ``value``: ready for ``groupby("metric")`` or seaborn.

        Examples
        --------
        >>> from sklearn.datasets import load_breast_cancer
        >>> from sklearn.linear_model import LogisticRegression
        >>> from skdeep.evaluation import cross_validate_study
        >>> X, y = load_breast_cancer(return_X_y=True)
        >>> study = cross_validate_study(LogisticRegression(max_iter=5000), X, y, cv=3,
        ...                              random_state=0)
        >>> int(study.to_frame().groupby("metric")["value"].count()["f1"])
        3
        """
        ids = [c for c in ("split", "repeat", "fold") if c in self.folds]
        values = [c for c in self.folds if c not in ID_COLUMNS]
        long = self.folds.melt(id_vars=ids, value_vars=values, var_name="metric")
        return long.dropna(subset=["value"]).reset_index(drop=True)

    def report(self, digits: int = 3) -> str:
        """A plain-text table: mean ± sd and 95% interval per metric, then the pooled
        confusion matrix.

        Parameters
        ----------
        digits : int, default=3
            Decimals of the scores.

        Returns
        -------
        str

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import LogisticRegression
        >>> from skdeep.evaluation import cross_validate_study
        >>> X, y = load_iris(return_X_y=True)
        >>> study = cross_validate_study(LogisticRegression(max_iter=500), X, y, random_state=0)
        >>> print(study.report().splitlines()[2])
        metric              mean ±     sd   95% interval
        """
        info = self.info
        lines = [
            f"{info.get('cv', 'cross-validation')}: {len(self.folds)} fits on "
            f"{info.get('n_samples', '?')} samples, {len(self.labels)} classes",
            f"estimator: {info.get('estimator_name', '?')}"
            + (
                f"   positive class: {info['pos_label']!r}"
                if info.get("pos_label") is not None
                else f"   averaging: {info.get('average', 'n/a')}"
            ),
        ]
        width = max([len("metric"), *(len(m) for m in self.summary.index)]) + 2
        lines.append(
            f"{'metric':<{width}} {'mean':>{digits + 7}} ± {'sd':>{digits + 3}}   95% interval"
        )
        scored = [
            m
            for m in self.summary.index
            if m not in ("fit_time", "score_time", "n_epochs", "best_epoch")
        ]
        for name in scored:
            row = self.summary.loc[name]
            interval = (
                f"[{row.ci_low:.{digits}f}, {row.ci_high:.{digits}f}]"
                if np.isfinite(row.ci_low)
                else ""
            )
            lines.append(
                f"{name:<{width}} {row['mean']:>{digits + 7}.{digits}f} ± "
                f"{row.sd:>{digits + 3}.{digits}f}   {interval}"
            )
        extras = {
            "fit_time": ("fit time (s)", 2),
            "n_epochs": ("epochs run", 1),
            "best_epoch": ("best epoch", 1),
        }
        for key, (label, dec) in extras.items():
            if key in self.summary.index:
                row = self.summary.loc[key]
                mean, sd = f"{row['mean']:.{dec}f}", f"{row.sd:.{dec}f}"
                lines.append(f"{label:<{width}} {mean:>{digits + 7}} ± {sd:>{digits + 3}}")
        repeats = info.get("n_repeats", 1)
        lines.append("")
        lines.append(
            "pooled out-of-fold confusion matrix (rows: true, columns: predicted"
            + (f"; each sample counted once per repeat, {repeats} repeats)" if repeats > 1 else ")")
        )
        names = [str(label) for label in self.labels]
        cell = max(
            7, *(len(n) + 1 for n in names), len(str(int(self.confusion_matrix.max(initial=0)))) + 1
        )
        first = max(len(n) for n in names) + 2
        lines.append(" " * first + "".join(f"{n:>{cell}}" for n in names))
        for name, row in zip(names, self.confusion_matrix):
            lines.append(f"{name:<{first}}" + "".join(f"{int(v):>{cell}}" for v in row))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()

    def __repr__(self) -> str:
        return (
            f"StudyResult(n_fits={len(self.folds)}, metrics={self.metrics}, "
            f"labels={self.labels.tolist()}, histories={len(self.histories)})"
        )

    # ------------------------------------------------------------------ figures
    def plot_learning_curves(self, *, metrics: str | Iterable[str] = ("loss", "accuracy")):
        """Per-fold training/validation curves (thin) and their mean (bold).

        See :func:`skdeep.plotting.plot_learning_curves`.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from .plotting import plot_learning_curves

        if not self.histories:
            raise ParameterError(
                "This study has no training histories: its final step is not a skdeep "
                f"estimator. Received: estimator {self.info.get('estimator_name', '?')}"
            )
        return plot_learning_curves(
            self.histories, metrics=tuple(metrics) if not isinstance(metrics, str) else metrics
        )

    def plot_confusion_matrix(self, *, normalize: bool | str = False):
        """The pooled out-of-fold confusion matrix.

        See :func:`skdeep.plotting.plot_confusion_matrix`.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from .plotting import plot_confusion_matrix

        return plot_confusion_matrix(
            self.confusion_matrix, labels=list(self.labels), normalize=normalize
        )

    # ------------------------------------------------------------------ files
    def save(self, folder: str | Path) -> Path:
        """Write the study to ``folder`` (created if needed; existing files are replaced).

        Files: ``folds.csv``, ``summary.csv``, ``confusion_matrix.csv`` (labelled rows and
        columns), ``predictions.csv``, ``histories.json`` (list, one dict per fold),
        ``study.json`` (``info`` plus metrics, labels, summary and matrix), ``report.txt``,
        ``confusion_matrix.png`` and, when there are histories, ``learning_curves.png``.

        Parameters
        ----------
        folder : str or Path

        Returns
        -------
        Path
            The folder.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.folds.to_csv(folder / "folds.csv", index=False)
        self.summary.to_csv(folder / "summary.csv", index_label="metric")
        names = [str(label) for label in self.labels]
        pd.DataFrame(self.confusion_matrix, index=names, columns=names).to_csv(
            folder / "confusion_matrix.csv", index_label="true\\predicted"
        )
        if self.predictions is not None:
            self.predictions.to_csv(folder / "predictions.csv", index=False)
        (folder / "histories.json").write_text(json.dumps(self.histories), encoding="utf-8")
        payload = {
            **self.info,
            "metrics": self.metrics,
            "labels": to_jsonable(self.labels.tolist(), fallback=None),
            "confusion_matrix": self.confusion_matrix.tolist(),
            "summary": to_jsonable(self.summary.to_dict(orient="index"), fallback=None),
        }
        (folder / "study.json").write_text(
            json.dumps(to_jsonable(payload, fallback=None), indent=2, default=str), encoding="utf-8"
        )
        (folder / "report.txt").write_text(self.report() + "\n", encoding="utf-8")
        from .plotting import _pyplot

        plt = _pyplot()
        figures = [("confusion_matrix.png", self.plot_confusion_matrix())]
        if self.histories:
            figures.append(("learning_curves.png", self.plot_learning_curves()))
        for name, fig in figures:
            fig.savefig(folder / name, dpi=110)
            plt.close(fig)
        return folder


# ---------------------------------------------------------------------- study


def _default_pos_label(labels: np.ndarray) -> Any:
    values = labels.tolist()
    return 1 if labels.dtype.kind in "iuf" and 1 in values else values[-1]


def _resolve_scoring(
    scoring: Any, target_type: str, pos_label: Any
) -> tuple[dict[str, Callable], dict]:
    """A dict name -> scorer, and how averaging was chosen (for the report)."""
    binary = target_type == "binary"
    average = "binary" if binary else "macro"
    how = {"average": average, "pos_label": pos_label if binary else None}
    if scoring is None:
        names: list[str] | None = None
    elif isinstance(scoring, str):
        names = [scoring]
    elif isinstance(scoring, Mapping):
        if not scoring or not all(isinstance(k, str) and callable(v) for k, v in scoring.items()):
            raise ParameterError(
                "scoring as a dict must map metric names to scorer callables. Received: "
                f"scoring={describe(scoring)}"
            )
        return dict(scoring), how
    elif callable(scoring):
        return {"score": scoring}, how
    elif isinstance(scoring, Iterable):
        names = list(scoring)
        if not names or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names):
            raise ParameterError(
                "scoring as a list must hold distinct metric names. Received: "
                f"scoring={describe(scoring)}"
            )
    else:
        raise ParameterError(
            "scoring must be None, a metric name, a list of names, a callable or a dict of "
            f"callables. Received: scoring={describe(scoring)}"
        )
    if names is None:
        return make_scorers(average=average, pos_label=pos_label), how
    scorers = {}
    for name in names:
        if name in SCORER_NAMES:
            scorers.update(make_scorers([name], average=average, pos_label=pos_label))
        else:
            try:
                scorers[name] = get_scorer(name)
            except ValueError:
                raise ParameterError(
                    "Unknown metric name. Expected a skdeep metric among "
                    f"{list(SCORER_NAMES)} or a scikit-learn scorer name (sklearn.metrics."
                    f"get_scorer_names()). Received: scoring name {name!r}"
                ) from None
    return scorers, how


def _resolve_cv(cv: Any, y: np.ndarray, random_state: Any):
    if cv is None:
        cv = 5
    if isinstance(cv, Integral) and not isinstance(cv, bool):
        if cv < 2:
            raise ParameterError(
                f"cv needs at least 2 folds. Expected an int >= 2 or a splitter. Received: cv={cv}"
            )
        return StratifiedKFold(int(cv), shuffle=True, random_state=random_state)
    return check_cv(cv, y, classifier=True)


def _fold_layout(cv: Any, n_splits: int) -> tuple[int, int]:
    """``(n_repeats, folds per repeat)`` of a repeated splitter, else ``(1, n_splits)``."""
    repeats = getattr(cv, "n_repeats", None)
    if isinstance(repeats, Integral) and repeats > 1 and n_splits % repeats == 0:
        return int(repeats), n_splits // int(repeats)
    return 1, n_splits


def _run_fold(
    estimator: Any,
    X: Any,
    y: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    scorer: Callable,
    fit_params: Mapping[str, Any],
    return_train_score: bool,
) -> dict[str, Any]:
    """Clone, fit, score and predict one fold; returns plain data only (no model)."""
    est = clone(estimator)
    X_train, X_test = _safe_indexing(X, train), _safe_indexing(X, test)
    y_train, y_test = y[train], y[test]
    start = time.time()
    est.fit(X_train, y_train, **fold_params(fit_params, num_samples(X), train))
    fit_time = time.time() - start
    start = time.time()
    test_scores = scorer(est, X_test, y_test)
    score_time = time.time() - start
    out: dict[str, Any] = {
        "test_scores": test_scores,
        "fit_time": fit_time,
        "score_time": score_time,
        "y_pred": np.asarray(est.predict(X_test)),
    }
    if return_train_score:
        out["train_scores"] = scorer(est, X_train, y_train)
    final = final_step(est, unwrap_search=True)[0]
    history = getattr(final, "history_", None)
    if history is not None:
        out["history"] = {k: [float(v) for v in vals] for k, vals in history.items()}
        out["n_epochs"] = getattr(final, "n_epochs_", None)
        out["best_epoch"] = getattr(final, "best_epoch_", None)
    del est, final
    return out


def _summarise(folds: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    from scipy import stats

    rows = {}
    for name in columns:
        values = pd.to_numeric(folds[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        values = values[np.isfinite(values)]
        if values.size == 0:
            continue
        mean = float(values.mean())
        if values.size > 1:
            sd = float(values.std(ddof=1))
            half = (
                float(stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1))
                * sd
                / math.sqrt(values.size)
            )
        else:
            sd = half = math.nan
        rows[name] = {"mean": mean, "sd": sd, "ci_low": mean - half, "ci_high": mean + half}
    summary = pd.DataFrame.from_dict(
        rows, orient="index", columns=["mean", "sd", "ci_low", "ci_high"]
    )
    summary.index.name = "metric"
    return summary


def cross_validate_study(
    estimator: Any,
    X: Any,
    y: Any,
    *,
    cv: Any = None,
    scoring: Any = None,
    n_jobs: int | None = None,
    random_state: int | np.random.RandomState | None = None,
    groups: Any = None,
    params: Mapping[str, Any] | None = None,
    pos_label: Any = None,
    return_train_score: bool = False,
    verbose: int = 0,
) -> StudyResult:
    """Cross-validate a classifier and collect everything an honest report needs.

    Each fold clones ``estimator``, fits it on the training part only (every scaler, sampler
    and the early-stopping split of a skdeep estimator see nothing else), scores it on the
    test part, records its out-of-fold predictions and, when the final step is a skdeep
    estimator, its Keras ``history_``, ``n_epochs_`` and ``best_epoch_``; the fitted model is
    then dropped. Fold scores equal those of
    :func:`sklearn.model_selection.cross_validate` with the same splitter and scorers.

    Parameters
    ----------
    estimator : classifier or Pipeline
        Any scikit-learn classifier; a Pipeline ending in a skdeep estimator also yields
        training histories.
    X : array-like or DataFrame of shape (n_samples, ...)
    y : array-like of shape (n_samples,)
        Class labels (binary or multiclass).
    cv : int, splitter or iterable of (train, test), default=None
        None or an int ``k`` gives ``StratifiedKFold(k, shuffle=True,
        random_state=random_state)`` (k=5 when None). Pass
        ``RepeatedStratifiedKFold(n_splits=5, n_repeats=10, random_state=0)`` for iterated
        k-fold, or any scikit-learn splitter (use ``groups`` for group splitters).
    scoring : None, str, list of str, callable or dict, default=None
        None: accuracy, precision, recall, specificity and F1 from
        :func:`skdeep.metrics.make_scorers`, binary for two classes (positive class
        ``pos_label``) and macro-averaged for more. Names from
        :data:`skdeep.metrics.SCORER_NAMES` get the same averaging; other names are
        scikit-learn scorer names. A callable is recorded as "score"; a dict maps names to
        scorers.
    n_jobs : int, default=None
        Folds fitted in parallel (joblib); None means 1.
    random_state : int, RandomState instance or None, default=None
        Seeds the shuffling of the default splitter. It does not seed the estimator: set
        the estimator's own ``random_state`` for repeatable fits.
    groups : array-like of shape (n_samples,), default=None
        Group labels for group splitters.
    params : dict, default=None
        Fit parameters (e.g. ``{"annclassifier__sample_weight": w}`` for a Pipeline); values
        with one entry per sample are split along with X.
    pos_label : label, default=None
        Positive class of binary scores; None takes 1 for numeric labels containing 1,
        else the last label in sorted order (e.g. "yes" of "no"/"yes").
    return_train_score : bool, default=False
        Also score each fold's training part (``train_<metric>`` columns): the gap to the
        test score shows over-fitting.
    verbose : int, default=0
        1 prints one line per finished fold.

    Returns
    -------
    StudyResult

    Raises
    ------
    DataError
        When X and y lengths differ or y is not a binary/multiclass target.
    ParameterError
        For an invalid ``cv``, ``scoring`` or ``pos_label``.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import RepeatedStratifiedKFold
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdeep.evaluation import cross_validate_study
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> study = cross_validate_study(
    ...     model, X, y, cv=RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=0))
    >>> study.folds[["repeat", "fold"]].shape, int(study.confusion_matrix.sum())
    ((10, 2), 1138)
    >>> bool(study.summary.loc["f1", "mean"] > 0.95)
    True
    """
    started = time.time()
    if not is_classifier(estimator):
        raise ParameterError(
            "cross_validate_study evaluates classifiers. Expected a classifier or a Pipeline "
            f"ending in one. Received: estimator={describe(estimator)}"
        )
    y_arr = np.asarray(y)
    if y_arr.ndim == 2 and y_arr.shape[1] == 1:
        y_arr = y_arr.ravel()
    n_samples = num_samples(X)
    if y_arr.ndim != 1 or len(y_arr) != n_samples:
        raise DataError(
            "X and y must have one label per sample. Expected y of shape "
            f"({n_samples},). Received: y with shape {y_arr.shape}"
        )
    target_type = type_of_target(y_arr)
    if target_type not in ("binary", "multiclass"):
        raise DataError(
            "cross_validate_study supports binary and multiclass targets. Received: y of type "
            f"{target_type!r}"
        )
    labels = np.unique(y_arr)
    if target_type == "binary":
        if pos_label is None:
            pos_label = _default_pos_label(labels)
        elif pos_label not in labels.tolist():
            raise ParameterError(
                "pos_label must be one of the class labels. Expected one of "
                f"{labels.tolist()}. Received: pos_label={pos_label!r}"
            )
    else:
        pos_label = None
    scorers, averaging = _resolve_scoring(scoring, target_type, pos_label)
    scorer = check_scoring(estimator, scoring=scorers)
    splitter = _resolve_cv(cv, y_arr, random_state)
    splits = list(splitter.split(X, y_arr, groups))
    n_repeats, per_repeat = _fold_layout(splitter, len(splits))
    fit_params = dict(params or {})

    def tasks():
        for train, test in splits:
            yield delayed(_run_fold)(
                estimator, X, y_arr, train, test, scorer, fit_params, return_train_score
            )

    parallel = Parallel(n_jobs=n_jobs, verbose=0, return_as="generator")
    results = []
    for i, result in enumerate(parallel(tasks())):
        results.append(result)
        if verbose:
            shown = ", ".join(f"{k}={v:.3f}" for k, v in result["test_scores"].items())
            epochs = f", {result['n_epochs']} epochs" if result.get("n_epochs") is not None else ""
            print(
                f"fit {i + 1}/{len(splits)}: {shown} ({result['fit_time']:.1f} s{epochs})",
                flush=True,
            )

    metrics = list(scorers)
    rows = []
    cm = np.zeros((len(labels), len(labels)), dtype=np.int64)
    pred_frames = []
    histories = []
    skdeep_final = any("history" in r for r in results)
    for i, ((train, test), result) in enumerate(zip(splits, results)):
        row: dict[str, Any] = {"split": i}
        if n_repeats > 1:
            row["repeat"], row["fold"] = divmod(i, per_repeat)
        else:
            row["fold"] = i
        row["n_train"], row["n_test"] = len(train), len(test)
        row.update({m: result["test_scores"][m] for m in metrics})
        if return_train_score:
            row.update({f"train_{m}": result["train_scores"][m] for m in metrics})
        row["fit_time"], row["score_time"] = result["fit_time"], result["score_time"]
        if skdeep_final:
            row["n_epochs"] = result.get("n_epochs")
            row["best_epoch"] = result.get("best_epoch")
            histories.append(result.get("history", {}))
        rows.append(row)
        cm += confusion_matrix(y_arr[test], result["y_pred"], labels=labels)
        pred_frames.append(
            pd.DataFrame(
                {"split": i, "index": test, "y_true": y_arr[test], "y_pred": result["y_pred"]}
            )
        )
    folds = pd.DataFrame(rows)
    if skdeep_final:
        folds["n_epochs"] = folds["n_epochs"].astype("Int64")
        folds["best_epoch"] = pd.array(
            [pd.NA if v is None else int(v) for v in folds["best_epoch"]], dtype="Int64"
        )
    measured = [c for c in folds if c not in ID_COLUMNS and c != "score_time"]
    summary = _summarise(folds, measured)
    import sklearn

    from . import __version__

    final = final_step(estimator, unwrap_search=True)[0]
    info = {
        "estimator": repr(estimator),
        "estimator_name": (
            " -> ".join(type(step).__name__ for _, step in estimator.steps)
            if hasattr(estimator, "steps")
            else type(estimator).__name__
        ),
        "final_step": type(final).__name__,
        "cv": repr(splitter) if hasattr(splitter, "get_n_splits") else type(splitter).__name__,
        "n_splits": len(splits),
        "n_repeats": n_repeats,
        "n_samples": n_samples,
        "n_features": int(np.prod(np.shape(X)[1:])) if np.ndim(X) > 1 else 1,
        "n_classes": len(labels),
        "target_type": target_type,
        "scoring": metrics,
        "average": averaging["average"],
        "pos_label": to_jsonable(pos_label, fallback=None),
        "random_state": random_state
        if isinstance(random_state, (int, type(None)))
        else repr(random_state),
        "elapsed_s": round(time.time() - started, 3),
        "versions": {"skdeep": __version__, "sklearn": sklearn.__version__},
    }
    if skdeep_final:
        import keras

        info["versions"]["keras"] = keras.__version__
        info["versions"]["backend"] = keras.backend.backend()
    return StudyResult(
        folds=folds,
        summary=summary,
        confusion_matrix=cm,
        labels=labels,
        histories=histories,
        predictions=pd.concat(pred_frames, ignore_index=True),
        metrics=metrics,
        info=info,
    )
