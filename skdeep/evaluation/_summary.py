"""The summary of a study: mean, sd and a Student-t interval per measured column, the
interval kept inside the values the metric can take."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ._result import ID_COLUMNS

__all__ = ["CONFIDENCE", "summarise"]

#: Confidence level of the interval in ``StudyResult.summary``.
CONFIDENCE = 0.95


def summarise(
    folds: pd.DataFrame, ranges: Mapping[str, tuple[float, float]]
) -> tuple[pd.DataFrame, list[str]]:
    """Summary rows (not ``score_time``) and the names whose interval was clipped.

    ``ranges`` gives the possible values of a column (``(0, 1)`` for precision); the
    interval ``mean ± t * sd / sqrt(k)`` is clipped to it, since a bound outside (a
    precision of 1.006) is not a value the metric can take. Columns without a range are
    not clipped.
    """
    from scipy import stats

    rows, clipped = {}, []
    for name in (c for c in folds if c not in ID_COLUMNS and c != "score_time"):
        values = pd.to_numeric(folds[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        values = values[np.isfinite(values)]
        if values.size == 0:
            continue
        mean = float(values.mean())
        if values.size > 1:
            sd = float(values.std(ddof=1))
            t = float(stats.t.ppf(0.5 + CONFIDENCE / 2, values.size - 1))
            half = t * sd / math.sqrt(values.size)
        else:
            sd = half = math.nan
        low, high = mean - half, mean + half
        lowest, highest = ranges.get(name, (-math.inf, math.inf))
        if low < lowest or high > highest:
            clipped.append(name)
            low, high = max(low, lowest), min(high, highest)
        rows[name] = {"mean": mean, "sd": sd, "ci_low": low, "ci_high": high}
    summary = pd.DataFrame.from_dict(
        rows, orient="index", columns=["mean", "sd", "ci_low", "ci_high"]
    )
    summary.index.name = "metric"
    return summary, clipped
