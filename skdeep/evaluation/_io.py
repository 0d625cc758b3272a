"""The folder :meth:`StudyResult.save` writes: CSV tables, JSON records, the report, figures.

Every file goes through :mod:`skdeep.utils._atomic`, so a save that fails half-way (full disk,
Ctrl-C) leaves each file either as it was or complete.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..utils._atomic import write_csv, write_figure, write_text
from ..utils._json import to_jsonable

if TYPE_CHECKING:  # pragma: no cover
    from ._result import StudyResult

__all__ = ["save_study"]


def _study_record(result: StudyResult) -> dict:
    payload = {**result.info, "metrics": result.metrics}
    if result.confusion_matrix is not None:
        payload["labels"] = to_jsonable(result.labels.tolist(), fallback=None)
        payload["confusion_matrix"] = result.confusion_matrix.tolist()
    payload["summary"] = to_jsonable(result.summary.to_dict(orient="index"), fallback=None)
    return to_jsonable(payload, fallback=None)


def save_study(result: StudyResult, folder: str | Path) -> Path:
    """Write every file of :meth:`StudyResult.save` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "folds.csv", result.folds, index=False)
    write_csv(folder / "summary.csv", result.summary, index_label="metric")
    if result.confusion_matrix is not None:
        names = [str(label) for label in result.labels]
        matrix = pd.DataFrame(result.confusion_matrix, index=names, columns=names)
        write_csv(folder / "confusion_matrix.csv", matrix, index_label="true\\predicted")
    if result.predictions is not None:
        write_csv(folder / "predictions.csv", result.predictions, index=False)
    write_text(folder / "histories.json", json.dumps(result.histories))
    write_text(folder / "study.json", json.dumps(_study_record(result), indent=2, default=str))
    write_text(folder / "report.txt", result.report() + "\n")
    if result.is_regression:
        write_figure(folder / "predictions.png", result.plot_predictions())
        write_figure(folder / "residuals.png", result.plot_residuals())
    else:
        write_figure(folder / "confusion_matrix.png", result.plot_confusion_matrix())
    if result.histories:
        write_figure(folder / "learning_curves.png", result.plot_learning_curves())
    return folder
