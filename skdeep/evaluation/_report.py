"""The plain-text report of a study: header, the summary table, then the pooled confusion
matrix (classification) or the pooled out-of-fold scores (regression)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from ._result import StudyResult

__all__ = ["TIMING_COLUMNS", "report_lines"]

#: Measured columns that are not scores (shown after the scores, with their own units).
TIMING_COLUMNS = ("fit_time", "score_time", "n_epochs", "best_epoch")
#: Rows of the report below the scores: summary row -> (label, decimals).
_EXTRA_ROWS = {
    "fit_time": ("fit time (s)", 2),
    "n_epochs": ("epochs run", 1),
    "best_epoch": ("best epoch", 1),
}


def report_lines(result: StudyResult, digits: int) -> list[str]:
    """Every line of :meth:`StudyResult.report`."""
    lines = _header_lines(result)
    lines += _summary_lines(result, digits)
    lines.append("")
    if result.info.get("task") == "regression":
        lines += _pooled_lines(result)
    else:
        lines += _confusion_lines(result)
    return lines


def _header_lines(result: StudyResult) -> list[str]:
    info = result.info
    fits = (
        f"{info.get('cv', 'cross-validation')}: {len(result.folds)} fits on "
        f"{info.get('n_samples', '?')} samples"
    )
    estimator = f"estimator: {info.get('estimator_name', '?')}"
    if info.get("task") == "regression":
        mean, sd = info.get("target_mean") or [], info.get("target_sd") or []
        if info.get("n_outputs", 1) > 1:
            fits += f", {info['n_outputs']} outputs"
        elif mean and sd:
            fits += f", target mean {mean[0]:.4g}, sd {sd[0]:.4g}"
        errors = info.get("errors_reported_positive") or []
        if errors:
            estimator += f"   errors ({', '.join(errors)}) as positive numbers, lower is better"
        return [fits, estimator]
    target = (
        f"   positive class: {info['pos_label']!r}"
        if info.get("pos_label") is not None
        else f"   averaging: {info.get('average', 'n/a')}"
    )
    n_classes = len(result.labels) if result.labels is not None else "?"
    return [f"{fits}, {n_classes} classes", estimator + target]


def _metric_label(result: StudyResult, name: str) -> str:
    given = result.info.get("scoring_given")
    if name == "score" and result.metrics == ["score"] and isinstance(given, str):
        if "score" in (result.info.get("errors_reported_positive") or []):
            given = given.removeprefix("neg_")
        return f"score ({given})"
    return name


def _summary_lines(result: StudyResult, digits: int) -> list[str]:
    summary = result.summary
    labels = {name: _metric_label(result, name) for name in summary.index}
    width = max([len("metric"), *(len(label) for label in labels.values())]) + 2
    lines = [f"{'metric':<{width}} {'mean':>{digits + 7}} ± {'sd':>{digits + 3}}   95% interval"]
    clipped = set(result.info.get("interval_clipped") or [])
    for name in (m for m in summary.index if m not in TIMING_COLUMNS):
        row = summary.loc[name]
        interval = ""
        if np.isfinite(row.ci_low):
            mark = " *" if name in clipped else ""
            interval = f"[{row.ci_low:.{digits}f}, {row.ci_high:.{digits}f}]{mark}"
        lines.append(
            f"{labels[name]:<{width}} {row['mean']:>{digits + 7}.{digits}f} ± "
            f"{row.sd:>{digits + 3}.{digits}f}   {interval}"
        )
    for key, (label, dec) in _EXTRA_ROWS.items():
        if key in summary.index:
            row = summary.loc[key]
            mean, sd = f"{row['mean']:.{dec}f}", f"{row.sd:.{dec}f}"
            lines.append(f"{label:<{width}} {mean:>{digits + 7}} ± {sd:>{digits + 3}}")
    if clipped & set(summary.index) - set(TIMING_COLUMNS):
        lines.append("* interval clipped to the values the metric can take (e.g. at most 1)")
    return lines


def _repeats_note(result: StudyResult) -> str:
    repeats = result.info.get("n_repeats", 1)
    return f"; each sample counted once per repeat, {repeats} repeats" if repeats > 1 else ""


def _pooled_lines(result: StudyResult) -> list[str]:
    """The scores of all out-of-fold predictions together (regression studies)."""
    scores = result.info.get("pooled") or {}
    if not scores:
        return []
    n = len(result.predictions) if result.predictions is not None else "?"
    outputs = result.info.get("n_outputs", 1)
    averaged = f", averaged over {outputs} outputs" if outputs > 1 else ""
    return [
        f"pooled out-of-fold predictions ({n}{_repeats_note(result)}{averaged}): "
        f"R² {scores['r2']:.3f}, MAE {scores['mae']:.4g}, RMSE {scores['rmse']:.4g}"
    ]


def _confusion_lines(result: StudyResult) -> list[str]:
    """The pooled confusion matrix as text (classification studies)."""
    lines = [
        "pooled out-of-fold confusion matrix (rows: true, columns: predicted"
        + (f"{_repeats_note(result)})" if _repeats_note(result) else ")")
    ]
    names = [str(label) for label in result.labels]
    matrix = result.confusion_matrix
    biggest = len(str(int(matrix.max(initial=0))))
    cell = max(7, *(len(n) + 1 for n in names), biggest + 1)
    first = max(len(n) for n in names) + 2
    lines.append(" " * first + "".join(f"{n:>{cell}}" for n in names))
    for name, row in zip(names, matrix):
        lines.append(f"{name:<{first}}" + "".join(f"{int(v):>{cell}}" for v in row))
    return lines
