"""The schedule of EpochHalvingSearchCV: the rungs' epoch budgets and their candidates."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from sklearn.model_selection import ParameterGrid, ParameterSampler

__all__ = ["draw_candidates", "first_rung_size", "n_kept", "rung_budgets", "survivor_counts"]


def rung_budgets(min_epochs: int, max_epochs: int, factor: float) -> list[int]:
    """Cumulative epoch budgets of the rungs: ``max_epochs / factor**k``, at least ``min_epochs``.

    Examples
    --------
    >>> rung_budgets(3, 81, 3)
    [3, 9, 27, 81]
    >>> rung_budgets(1, 30, 3)
    [1, 3, 10, 30]
    """
    n = 1
    while max_epochs / factor**n >= min_epochs:
        n += 1
    return sorted({max(1, int(round(max_epochs / factor**k))) for k in range(n)})


def n_kept(n_alive: int, factor: float) -> int:
    """Candidates that survive a rung of ``n_alive``: ``n_alive / factor`` rounded up, at least 1.

    Examples
    --------
    >>> n_kept(10, 3), n_kept(1, 3)
    (4, 1)
    """
    return max(1, int(math.ceil(n_alive / factor - 1e-9)))


def survivor_counts(n: int, n_rungs: int, factor: float) -> list[int]:
    """Candidates trained at each of ``n_rungs`` rungs when the first one trains ``n``.

    Examples
    --------
    >>> survivor_counts(10, 3, 3)
    [10, 4, 2]
    """
    counts = [n]
    for _ in range(n_rungs - 1):
        counts.append(n_kept(counts[-1], factor))
    return counts


def first_rung_size(
    spaces: list[dict], n_candidates: int | str, factor: float, n_rungs: int
) -> int:
    """Candidates of the first rung (see ``EpochHalvingSearchCV``'s ``n_candidates``).

    Examples
    --------
    >>> first_rung_size([{"units": [8, 16, 32]}], "exhaust", 3, 4)
    3
    >>> from scipy.stats import uniform
    >>> first_rung_size([{"dropout": uniform(0, 0.5)}], "exhaust", 3, 4)
    27
    """
    if _is_grid(spaces):
        n = len(ParameterGrid(spaces))
        return n if n_candidates == "exhaust" else min(n, n_candidates)
    if n_candidates == "exhaust":
        return int(math.ceil(factor ** (n_rungs - 1) - 1e-9))
    return n_candidates


def draw_candidates(
    spaces: list[dict], n_candidates: int | str, factor: float, n_rungs: int, rng: Any
) -> list[dict]:
    """The first rung's candidates: grid points (a random subset of them when fewer are
    asked for), or draws from the distributions.

    Examples
    --------
    >>> import numpy as np
    >>> draw_candidates([{"units": [8, 16, 32]}], 2, 3, 2, np.random.RandomState(0))
    [{'units': 16}, {'units': 32}]
    """
    n = first_rung_size(spaces, n_candidates, factor, n_rungs)
    if _is_grid(spaces):
        grid = list(ParameterGrid(spaces))
        if n >= len(grid):
            return grid
        chosen = np.sort(rng.choice(len(grid), size=n, replace=False))
        return [grid[i] for i in chosen]
    return list(ParameterSampler(spaces, n, random_state=rng))


def _is_grid(spaces: list[dict]) -> bool:
    """Whether every value is a list of values (no distribution to draw from)."""
    return all(not hasattr(v, "rvs") for s in spaces for v in s.values())
