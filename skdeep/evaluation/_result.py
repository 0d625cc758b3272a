"""StudyResult: what a cross-validation study found, as tables, a text report and figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..exceptions import ParameterError
from ._report import TIMING_COLUMNS

__all__ = ["ID_COLUMNS", "TIMING_COLUMNS", "StudyResult"]

#: Columns of ``StudyResult.folds`` that identify a fold rather than measure it.
ID_COLUMNS = ("split", "repeat", "fold", "n_train", "n_test")


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
        interval for the mean, ``mean ± t(0.975, k-1) * sd / sqrt(k)`` over the ``k`` folds,
        clipped to the values the metric can take (``[0, 1]`` for accuracy, precision,
        recall, F1, ROC AUC...; ``[-1, 1]`` for MCC; at most 1 for R²; at least 0 for errors,
        times and epochs; ``info["interval_clipped"]`` lists the clipped rows). Folds share
        most of their training data, so fold scores are not independent and the interval is
        approximate (typically too narrow, more so for repeated k-fold whose repeats reuse
        the same samples); read it as a guide to the spread, not an exact coverage
        guarantee.
    confusion_matrix : ndarray of shape (n_classes, n_classes) or None
        Out-of-fold predictions pooled over all folds (rows: true class, columns: predicted,
        in ``labels`` order). With a splitter that tests every sample once (k-fold) it is the
        matrix of ``cross_val_predict``; with repeated k-fold every sample is counted once per
        repeat, so the total is ``n_repeats * n_samples``. None for a regression study.
    labels : ndarray or None
        Class labels, sorted (the row/column order of ``confusion_matrix``); None for a
        regression study.
    histories : list of dict
        The Keras ``history_`` of each fold (metric name to per-epoch values) when the final
        step is a skdeep estimator; empty otherwise.
    predictions : DataFrame
        One row per out-of-fold prediction: ``split``, ``index`` (row position in X),
        ``y_true``, ``y_pred`` (a multi-output regression: ``y_true_0``, ``y_true_1``, ...,
        then ``y_pred_0``, ...).
    metrics : list of str
        Names of the scored metrics (columns of ``folds``): the keys
        ``sklearn.model_selection.cross_validate`` reports for the same ``scoring``, without
        its ``test_`` prefix; in a regression study negated errors are reported positive,
        ``neg_`` dropped from their names (``info["errors_reported_positive"]``).
    info : dict
        What was run: ``task`` ("classification" or "regression"), estimator, splitter,
        scoring, data shape, positive class (classification), target mean and sd and the
        pooled out-of-fold ``mae``, ``rmse`` and ``r2`` (regression), versions, elapsed
        seconds. Saved as ``study.json``.
    """

    folds: pd.DataFrame
    summary: pd.DataFrame
    confusion_matrix: np.ndarray | None = None
    labels: np.ndarray | None = None
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
        >>> data = load_breast_cancer(return_X_y=True)
        >>> study = cross_validate_study(LogisticRegression(max_iter=5000), *data, cv=3)
        >>> int(study.to_frame().groupby("metric")["value"].count()["f1"])
        3
        """
        ids = [c for c in ("split", "repeat", "fold") if c in self.folds]
        values = [c for c in self.folds if c not in ID_COLUMNS]
        long = self.folds.melt(id_vars=ids, value_vars=values, var_name="metric")
        return long.dropna(subset=["value"]).reset_index(drop=True)

    def report(self, digits: int = 3) -> str:
        """A plain-text table: mean ± sd and 95% interval per metric, then the pooled
        confusion matrix (classification) or the pooled out-of-fold R², MAE and RMSE
        (regression).

        Intervals are clipped to the values a metric can take (``[0, 1]`` for precision,
        at most 1 for R², at least 0 for an error) and marked ``*`` where that happened.

        Parameters
        ----------
        digits : int, default=3
            Decimals of the scores.

        Returns
        -------
        str
            The table, ready to print.

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
        from ._report import report_lines

        return "\n".join(report_lines(self, digits))

    def __str__(self) -> str:
        return self.report()

    def __repr__(self) -> str:
        return (
            f"StudyResult(n_fits={len(self.folds)}, metrics={self.metrics}, "
            + (f"labels={self.labels.tolist()}, " if self.labels is not None else "")
            + f"histories={len(self.histories)})"
        )

    # ------------------------------------------------------------------ figures
    @property
    def is_regression(self) -> bool:
        """Whether the study scored a regressor (no confusion matrix, regression figures)."""
        return self.info.get("task") == "regression"

    def plot_learning_curves(self, *, metrics: str | Iterable[str] | None = None):
        """Per-fold training/validation curves, their mean, and how many folds still run.

        See :func:`skdeep.plotting.plot_learning_curves`.

        Parameters
        ----------
        metrics : str or iterable of str, default=None
            History metrics; None shows ``("loss", "accuracy")`` for a classifier,
            ``("loss", "mae")`` for a regressor (the validation MAE is in target units).

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
        if metrics is None:
            metrics = ("loss", "mae") if self.is_regression else ("loss", "accuracy")
        return plot_learning_curves(
            self.histories, metrics=tuple(metrics) if not isinstance(metrics, str) else metrics
        )

    def _require(self, regression: bool, figure: str) -> None:
        if self.is_regression != regression:
            kind = "regression" if regression else "classification"
            raise ParameterError(
                f"{figure} is drawn for {kind} studies. Expected a study of a "
                f"{'regressor' if regression else 'classifier'}. Received: a "
                f"{self.info.get('task', 'classification')} study"
            )

    def plot_confusion_matrix(self, *, normalize: bool | str = False):
        """The pooled out-of-fold confusion matrix (classification studies).

        See :func:`skdeep.plotting.plot_confusion_matrix`.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from ..plotting import plot_confusion_matrix

        self._require(False, "A confusion matrix")
        return plot_confusion_matrix(
            self.confusion_matrix, labels=list(self.labels), normalize=normalize
        )

    def _true_and_predicted(self) -> tuple[np.ndarray, np.ndarray]:
        frame = self.predictions
        if "y_true" in frame:
            return frame["y_true"].to_numpy(), frame["y_pred"].to_numpy()
        k = self.info.get("n_outputs", 1)
        true = frame[[f"y_true_{j}" for j in range(k)]].to_numpy()
        return true, frame[[f"y_pred_{j}" for j in range(k)]].to_numpy()

    def plot_predictions(self):
        """Out-of-fold predictions against true values (regression studies).

        Every sample once per repeat. See :func:`skdeep.plotting.plot_predictions`.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from ..plotting import plot_predictions

        self._require(True, "A predicted-against-true plot")
        return plot_predictions(*self._true_and_predicted())

    def plot_residuals(self):
        """Out-of-fold residuals against the predictions, and their histogram (regression).

        See :func:`skdeep.plotting.plot_residuals`.

        Returns
        -------
        matplotlib.figure.Figure
        """
        from ..plotting import plot_residuals

        self._require(True, "A residual plot")
        return plot_residuals(*self._true_and_predicted())

    # ------------------------------------------------------------------ files
    def save(self, folder: str | Path) -> Path:
        """Write the study to ``folder`` (created if needed; existing files are replaced).

        Files: ``folds.csv``, ``summary.csv``, ``predictions.csv``, ``histories.json`` (list,
        one dict per fold), ``study.json`` (``info`` plus metrics, summary and, for a
        classifier, labels and matrix), ``report.txt``, when there are histories
        ``learning_curves.png``, and for a classifier ``confusion_matrix.csv`` (labelled rows
        and columns) and ``confusion_matrix.png``, for a regressor ``predictions.png``
        (predicted against true) and ``residuals.png``.
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
