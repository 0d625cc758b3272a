"""What ``skdeep tune`` reports after the search: the held-out test scores, the printed lines
and the files of the output folder, for a classifier or a regressor."""

from __future__ import annotations

import json
import pickle
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from ..utils._json import to_jsonable
from ..utils._pipeline import final_step

if TYPE_CHECKING:  # pragma: no cover
    from .tune import _Plan

__all__ = ["held_out_report", "report_lines", "write_outputs"]


def is_error_metric(name: str) -> bool:
    from ..metrics import is_error_metric as named_error  # sklearn: imported on use

    return named_error(name)


def _shown(name: str, value: float, task: str) -> float:
    """A regression error (scorers negate them) as the positive error."""
    return -value if task == "regression" and is_error_metric(name) else value


def held_out_report(plan: _Plan, search, elapsed: float) -> dict:
    """The ``test_report.json`` record: scores of the refitted best model on the test split."""
    config = plan.config
    _, X_test, _, y_test = plan.split
    best = search.best_estimator_
    test = {
        name: _shown(name, float(plan.scorers[name](best, X_test, y_test)), plan.task)
        for name in plan.metrics
    }
    report = {
        "task": plan.task,
        "dataset": plan.dataset.name,
        "estimator": config.estimator,
        "estimator_class": type(best[-1]).__name__,
        "search": config.search,
        "refit_metric": plan.refit,
        "cv_best_score": to_jsonable(_shown(plan.refit, float(search.best_score_), plan.task)),
        "n_train": len(plan.split[2]),
        "n_test": len(y_test),
    }
    if plan.task == "regression":
        errors = [name for name in plan.metrics if is_error_metric(name)]
        report["errors_reported_positive"] = errors
        report["test"] = test
    else:
        report.update(_classification_part(plan, best, X_test, y_test, test))
    report.update(
        {
            "search_seconds": elapsed,
            "n_candidates": len(search.cv_results_["params"]),
            "n_epochs_total": to_jsonable(getattr(search, "n_epochs_total_", None)),
            "best_params": to_jsonable(search.best_params_),
            "config": to_jsonable(asdict(config)),
        }
    )
    return report


def _classification_part(plan: _Plan, best, X_test, y_test, test: dict) -> dict:
    import numpy as np
    from sklearn.metrics import confusion_matrix

    labels = np.unique(plan.dataset.y).tolist()
    if plan.pos_label is not None:
        labels = [plan.pos_label, *[v for v in labels if v != plan.pos_label]]
    cm = confusion_matrix(y_test, best.predict(X_test), labels=labels)
    return {
        "positive_label": to_jsonable(plan.pos_label),
        "average": plan.average,
        "test": test,
        "labels": to_jsonable(labels),
        "confusion_matrix": cm.tolist(),
    }


def report_lines(report: dict, search) -> list[str]:
    """The lines ``skdeep tune`` prints after the search."""
    config = report["config"]
    regression = report.get("task") == "regression"
    lines = [
        f"{report['search']} search: {report['n_candidates']} results x {config['cv']} folds "
        f"in {report['search_seconds']:.0f} s"
    ]
    if report["n_epochs_total"] is not None:
        lines.append(f"training epochs spent by the search: {report['n_epochs_total']}")
    refit = report["refit_metric"]
    lower = " (lower is better)" if regression and is_error_metric(refit) else ""
    lines.append(f"best cross-validated {refit}: {report['cv_best_score']:.4g}{lower}")
    lines.append("best parameters:")
    for name, value in sorted(search.best_params_.items()):
        shown = f"{value:.4g}" if isinstance(value, float) else value
        lines.append(f"  {name.split('__')[-1]:<15} {shown}")
    if regression:
        errors = ", ".join(report["errors_reported_positive"]) or "none"
        where = f"errors ({errors}) as positive numbers, lower is better"
    elif report["average"] == "binary":
        where = f"positive class {report['positive_label']!r}"
    else:
        where = "macro average over classes"
    lines.append(f"held-out test set ({report['n_test']} samples, {where}):")
    lines.append(f"  {'metric':<12} {'score':>6}")
    digits = ".4g" if regression else ".3f"
    lines += [f"  {name:<12} {value:>6{digits}}" for name, value in report["test"].items()]
    if not regression:
        lines += _confusion_lines(report)
    return lines


def _confusion_lines(report: dict) -> list[str]:
    order = report["labels"]
    width = max(6, *(len(str(v)) for v in order))
    lines = [f"confusion matrix (rows true, columns predicted: {', '.join(map(str, order))}):"]
    for label, row in zip(order, report["confusion_matrix"]):
        lines.append(f"  {str(label):<{width}} " + " ".join(f"{c:>5}" for c in row))
    return lines


def _cv_results_frame(results: dict):
    import numpy as np
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


def write_outputs(out: Path, search, report: dict, plan: _Plan) -> list[Path]:
    """Every file of the output folder; returns their paths."""
    import pandas as pd

    from ..utils._atomic import write_bytes, write_csv, write_text

    out.mkdir(parents=True, exist_ok=True)
    best_params = json.dumps(to_jsonable(search.best_params_), indent=2, sort_keys=True)
    files = [
        write_csv(out / "cv_results.csv", _cv_results_frame(search.cv_results_), index=False),
        write_text(out / "best_params.json", best_params + "\n"),
        write_text(out / "test_report.json", json.dumps(report, indent=2) + "\n"),
    ]
    if plan.task == "classification":
        labels = [str(v) for v in report["labels"]]
        matrix = pd.DataFrame(report["confusion_matrix"], index=labels, columns=labels)
        matrix.index.name = "true \\ predicted"
        files.append(write_csv(out / "confusion_matrix.csv", matrix))
    # the network in skdeep's safe format; the whole Pipeline (with its preprocessing) as a
    # pickle, which runs code when loaded: for files you trust only
    files.append(final_step(search.best_estimator_)[0].save(out / "model.skdeep"))
    files.append(write_bytes(out / "model.pkl", pickle.dumps(search.best_estimator_)))
    return files + _write_plots(out, search, plan)


def _write_plots(out: Path, search, plan: _Plan) -> list[Path]:
    from .. import plotting
    from ..utils._atomic import write_figure

    best = search.best_estimator_
    regression = plan.task == "regression"
    curves = ("loss", "mae") if regression else ("loss", "accuracy")
    files = [
        write_figure(out / "search.png", plotting.plot_search(search, metric=plan.refit)),
        write_figure(out / "learning_curves.png", plotting.plot_history(best, metrics=curves)),
    ]
    if regression:  # the refitted best model on the held-out test split
        _, X_test, _, y_test = plan.split
        y_pred = best.predict(X_test)
        predictions = plotting.plot_predictions(y_test, y_pred)
        files.append(write_figure(out / "predictions.png", predictions))
        files.append(write_figure(out / "residuals.png", plotting.plot_residuals(y_test, y_pred)))
    return files
