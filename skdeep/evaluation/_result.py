"""StudyResult: what a cross-validation study found, as tables, a text report and figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError

__all__ = ["ID_COLUMNS", "TIMING_COLUMNS", "StudyResult"]

#: Columns of ``StudyResult.folds`` that identify a fold rather than measure it.
ID_COLUMNS = ("split", "repeat", "fold", "n_train", "n_test")
#: Measured columns that are not scores (shown after the scores, with their own units).
TIMING_COLUMNS = ("fit_time", "score_time", "n_epochs", "best_epoch")
#: Rows of the report below the scores: summary row -> (label, decimals).
_EXTRA_ROWS = {
    "fit_time": ("fit time (s)", 2),
    "n_epochs": ("epochs run", 1),
    "best_epoch": ("best epoch", 1),
}


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
        Names of the scored metrics (columns of ``folds``): the keys
        ``sklearn.model_selection.cross_validate`` reports for the same ``scoring``, without
        its ``test_`` prefix.
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
        lines = self._header_lines()
        lines += self._summary_lines(digits)
        lines.append("")
        lines += self._confusion_lines()
        return "\n".join(lines)

    def _header_lines(self) -> list[str]:
        info = self.info
        target = (
            f"   positive class: {info['pos_label']!r}"
            if info.get("pos_label") is not None
            else f"   averaging: {info.get('average', 'n/a')}"
        )
        return [
            f"{info.get('cv', 'cross-validation')}: {len(self.folds)} fits on "
            f"{info.get('n_samples', '?')} samples, {len(self.labels)} classes",
            f"estimator: {info.get('estimator_name', '?')}{target}",
        ]

    def _metric_label(self, name: str) -> str:
        given = self.info.get("scoring_given")
        if name == "score" and self.metrics == ["score"] and isinstance(given, str):
            return f"score ({given})"
        return name

    def _summary_lines(self, digits: int) -> list[str]:
        labels = {name: self._metric_label(name) for name in self.summary.index}
        width = max([len("metric"), *(len(label) for label in labels.values())]) + 2
        lines = [
            f"{'metric':<{width}} {'mean':>{digits + 7}} ± {'sd':>{digits + 3}}   95% interval"
        ]
        for name in (m for m in self.summary.index if m not in TIMING_COLUMNS):
            row = self.summary.loc[name]
            interval = (
                f"[{row.ci_low:.{digits}f}, {row.ci_high:.{digits}f}]"
                if np.isfinite(row.ci_low)
                else ""
            )
            lines.append(
                f"{labels[name]:<{width}} {row['mean']:>{digits + 7}.{digits}f} ± "
                f"{row.sd:>{digits + 3}.{digits}f}   {interval}"
            )
        for key, (label, dec) in _EXTRA_ROWS.items():
            if key in self.summary.index:
                row = self.summary.loc[key]
                mean, sd = f"{row['mean']:.{dec}f}", f"{row.sd:.{dec}f}"
                lines.append(f"{label:<{width}} {mean:>{digits + 7}} ± {sd:>{digits + 3}}")
        return lines

    def _confusion_lines(self) -> list[str]:
        """The pooled confusion matrix as text (classification studies)."""
        repeats = self.info.get("n_repeats", 1)
        lines = [
            "pooled out-of-fold confusion matrix (rows: true, columns: predicted"
            + (f"; each sample counted once per repeat, {repeats} repeats)" if repeats > 1 else ")")
        ]
        names = [str(label) for label in self.labels]
        biggest = len(str(int(self.confusion_matrix.max(initial=0))))
        cell = max(7, *(len(n) + 1 for n in names), biggest + 1)
        first = max(len(n) for n in names) + 2
        lines.append(" " * first + "".join(f"{n:>{cell}}" for n in names))
        for name, row in zip(names, self.confusion_matrix):
            lines.append(f"{name:<{first}}" + "".join(f"{int(v):>{cell}}" for v in row))
        return lines

    def __str__(self) -> str:
        return self.report()

    def __repr__(self) -> str:
        return (
            f"StudyResult(n_fits={len(self.folds)}, metrics={self.metrics}, "
            f"labels={self.labels.tolist()}, histories={len(self.histories)})"
        )

    # ------------------------------------------------------------------ figures
    def plot_learning_curves(self, *, metrics: str | Iterable[str] = ("loss", "accuracy")):
        """Per-fold training/validation curves, their mean, and how many folds still run.

        See :func:`skdeep.plotting.plot_learning_curves`.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from ..plotting import plot_learning_curves

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
        from ..plotting import plot_confusion_matrix

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
        Each file is written atomically: an interrupted save leaves the previous version.

        Parameters
        ----------
        folder : str or Path

        Returns
        -------
        Path
            The folder.
        """
        from ._io import save_study

        return save_study(self, folder)
