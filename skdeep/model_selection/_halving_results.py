"""``cv_results_`` of EpochHalvingSearchCV: one row per candidate and rung."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

__all__ = ["format_results"]


def format_results(rows: list[dict], candidates: list[dict], n_splits: int) -> dict:
    """``cv_results_`` from the rows of :func:`run_rungs`.

    Parameters
    ----------
    rows : list of dict
        One per candidate and rung, as :func:`run_rungs` returns them.
    candidates : list of dict
        The parameters of the candidates the rows' ``candidate`` indexes.
    n_splits : int

    Returns
    -------
    cv_results : dict of numpy (masked) ndarrays
        ``iter``, ``n_resources``, ``candidate``, ``n_epochs_trained``, the fit and score
        times, ``params``, ``param_<name>`` and the test scores of every metric.
    """
    results: dict[str, Any] = {
        "iter": np.array([r["iter"] for r in rows]),
        "n_resources": np.array([r["n_resources"] for r in rows]),
        "candidate": np.array([r["candidate"] for r in rows]),
        "n_epochs_trained": np.array([_mean_finite(r["n_epochs"]) for r in rows]),
    }
    for key in ("fit_time", "score_time"):
        values = np.array([r[key] for r in rows], dtype=float)
        results[f"mean_{key}"] = values.mean(axis=1)
        results[f"std_{key}"] = values.std(axis=1)
    params = [candidates[r["candidate"]] for r in rows]
    results.update(_param_columns(params))
    results["params"] = params
    results.update(_score_columns(rows, n_splits, results["iter"]))
    return results


def _param_columns(params: list[dict]) -> dict:
    """A masked ``param_<name>`` column per parameter name."""
    columns = {}
    for name in sorted({k for p in params for k in p}):
        column = np.ma.MaskedArray(np.empty(len(params), dtype=object), mask=True)
        for i, p in enumerate(params):
            if name in p:
                column[i] = p[name]
        columns[f"param_{name}"] = column
    return columns


def _score_columns(rows: list[dict], n_splits: int, iters: np.ndarray) -> dict:
    """``split<k>_test_<metric>``, ``mean_``, ``std_`` and ``rank_test_<metric>`` columns."""
    first = rows[0]["scores"][0]
    metrics = sorted(first) if isinstance(first, dict) else None
    columns = {}
    for metric in metrics or ["score"]:
        split = np.array(
            [[s[metric] if metrics else s for s in r["scores"]] for r in rows], dtype=float
        ).reshape(len(rows), n_splits)
        for k in range(n_splits):
            columns[f"split{k}_test_{metric}"] = split[:, k]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mean = split.mean(axis=1)
            std = split.std(axis=1)
        columns[f"mean_test_{metric}"] = mean
        columns[f"std_test_{metric}"] = std
        columns[f"rank_test_{metric}"] = _rank_latest_first(iters, mean)
    return columns


def _mean_finite(values) -> float:
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else float("nan")


def _rank_latest_first(iters: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Ranks (1 = best) with rows of later rungs first, then by score; NaN last in a rung."""
    filled = np.where(np.isfinite(mean), mean, -np.inf)
    keys = list(zip(-iters, -filled))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    ranks = np.empty(len(keys), dtype=np.int32)
    for position, i in enumerate(order):
        same = position > 0 and keys[i] == keys[order[position - 1]]
        ranks[i] = ranks[order[position - 1]] if same else position + 1
    return ranks
