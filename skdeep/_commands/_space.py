"""The ``[space]`` table of a ``skdeep tune`` config: lists are choices, tables are ranges.

```toml
[space]
units = [16, 32, 64]                                  # choices
learning_rate = {low = 1e-4, high = 1e-2, log = true} # a range, log-uniform
n_layers = {low = 1, high = 3, int = true}            # integers
```

Names without ``__`` are parameters of the model step (``model__<name>``). Imports scipy or
scikit-optimize only, never Keras, so a bad table is reported before TensorFlow loads.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..exceptions import ParameterError, describe

__all__ = ["space_from_table"]


def space_from_table(space: dict, kind: str) -> dict[str, Any]:
    """The search space of a ``[space]`` table for a ``"grid"``, ``"random"`` or ``"bayes"``
    search (coarse-to-fine and halving searches sample like ``"random"``).

    Examples
    --------
    >>> space_from_table({"units": [16, 32], "lr": {"low": 1e-3, "high": 1e-1, "log": True}},
    ...                  "grid")
    {'model__units': [16, 32], 'model__lr': [0.001, 0.01, 0.1]}
    """
    out: dict[str, Any] = {}
    for name, spec in space.items():
        key = name if "__" in name else f"model__{name}"
        parse = _choices if isinstance(spec, list) else _range
        out[key] = parse(name, spec, kind)
    return out


def _choices(name: str, spec: list, kind: str) -> Any:
    if not spec:
        raise ParameterError(
            f"space.{name} is an empty list. Expected at least one value. Received: {spec}"
        )
    if kind == "bayes":
        from skopt.space import Categorical

        return Categorical(spec)
    return spec


def _range(name: str, spec: Any, kind: str) -> Any:
    if not (isinstance(spec, dict) and {"low", "high"} <= set(spec)):
        raise ParameterError(
            f"space.{name} must be a list of values or a table with low and high (and "
            f"optionally log = true, int = true). Received: {describe(spec)}"
        )
    unknown = sorted(set(spec) - {"low", "high", "log", "int"})
    if unknown:
        raise ParameterError(
            f"space.{name} has unknown keys. Expected low, high, log, int. Received: {unknown}"
        )
    low, high = spec["low"], spec["high"]
    log, integer = bool(spec.get("log", False)), bool(spec.get("int", False))
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (low, high))
    if not (numbers and low < high):
        raise ParameterError(
            f"space.{name} needs numbers low < high. Received: low={low!r}, high={high!r}"
        )
    if log and low <= 0:
        raise ParameterError(
            f"space.{name} with log = true needs low > 0. Expected low > 0. Received: low={low!r}"
        )
    if kind == "grid":
        points = (np.geomspace(low, high, 3) if log else np.linspace(low, high, 3)).tolist()
        return sorted({int(round(p)) for p in points}) if integer else points
    if kind == "bayes":
        from skopt.space import Integer, Real

        prior = "log-uniform" if log else "uniform"
        return Integer(int(low), int(high), prior=prior) if integer else Real(low, high, prior)
    from scipy.stats import loguniform, randint, uniform

    if integer:
        return randint(int(low), int(high) + 1)
    return loguniform(low, high) if log else uniform(low, high - low)
