"""Ready-made search spaces for skdeep estimators, as grids, distributions or skopt dimensions.

One table per model family (keyed by class name, so adding a family is one entry in
:data:`_REGISTRY`). Every parameter is described once with its grid values, its
distribution for ``RandomizedSearchCV`` and its dimension for ``BayesSearchCV``; all values are
scalars or strings (never tuples) so every search driver can use them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ..exceptions import ParameterError, describe
from ..utils._pipeline import final_step

__all__ = ["search_space"]

KINDS = ("grid", "random", "bayes")
SIZES = ("small", "large")


@dataclass(frozen=True)
class _Param:
    """One tunable parameter: grid values, a scipy distribution and an skopt dimension."""

    grid: tuple
    random: Callable[[], Any]
    bayes: Callable[[], Any]
    size: str = "small"


def _real(low: float, high: float, grid: tuple, *, log: bool = False, size: str = "small"):
    def random():
        from scipy.stats import loguniform, uniform

        return loguniform(low, high) if log else uniform(low, high - low)

    def bayes():
        from skopt.space import Real

        return Real(low, high, prior="log-uniform" if log else "uniform")

    return _Param(tuple(grid), random, bayes, size)


def _int(low: int, high: int, grid: tuple, *, size: str = "small"):
    def random():
        from scipy.stats import randint

        return randint(low, high + 1)

    def bayes():
        from skopt.space import Integer

        return Integer(low, high)

    return _Param(tuple(grid), random, bayes, size)


def _pow2(low: int, high: int, grid: tuple, *, size: str = "small"):
    """Widths: powers of two for random search (log-uniform choice), any integer for Bayes."""
    choices = []
    value = low
    while value <= high:
        choices.append(value)
        value *= 2

    def bayes():
        from skopt.space import Integer

        return Integer(low, high, prior="log-uniform")

    return _Param(tuple(grid), lambda: list(choices), bayes, size)


def _cat(values: tuple, grid: tuple | None = None, *, size: str = "small"):
    def bayes():
        from skopt.space import Categorical

        return Categorical(list(values))

    return _Param(tuple(values if grid is None else grid), lambda: list(values), bayes, size)


_ANN = {
    "n_layers": _int(1, 3, (1, 2)),
    "units": _pow2(16, 256, (32, 128)),
    "dropout": _real(0.0, 0.5, (0.0, 0.3)),
    "learning_rate": _real(1e-4, 3e-2, (1e-3, 1e-2), log=True),
    "units_decay": _real(0.25, 1.0, (0.5, 1.0), size="large"),
    "activation": _cat(("relu", "elu", "selu", "tanh"), ("relu", "tanh"), size="large"),
    "l2": _real(1e-6, 1e-2, (0.0, 1e-3), log=True, size="large"),
    "batch_norm": _cat((False, True), size="large"),
    "batch_size": _cat((16, 32, 64, 128), (32, 64), size="large"),
}

_CNN = {
    "n_blocks": _int(1, 3, (1, 2)),
    "filters": _pow2(8, 64, (16, 32)),
    "dense_units": _pow2(32, 256, (64, 128)),
    "dropout": _real(0.0, 0.5, (0.0, 0.3)),
    "learning_rate": _real(1e-4, 1e-2, (1e-3, 3e-3), log=True),
    "kernel_size": _cat((3, 5), size="large"),
    "pooling": _cat(("max", "avg"), size="large"),
    "activation": _cat(("relu", "elu", "gelu"), ("relu", "elu"), size="large"),
    "l2": _real(1e-6, 1e-2, (0.0, 1e-4), log=True, size="large"),
    "batch_norm": _cat((False, True), size="large"),
    "rotation": _real(0.0, 0.2, (0.0, 0.1), size="large"),
    "zoom": _real(0.0, 0.2, (0.0, 0.1), size="large"),
    "translation": _real(0.0, 0.2, (0.0, 0.1), size="large"),
    "batch_size": _cat((32, 64, 128), (32, 64), size="large"),
}

_TRANSFER = {
    "dense_units": _pow2(32, 256, (64, 128)),
    "dropout": _real(0.0, 0.5, (0.0, 0.3)),
    "learning_rate": _real(1e-4, 1e-2, (1e-3, 3e-3), log=True),
    "fine_tune_learning_rate": _real(1e-6, 1e-4, (1e-5, 1e-4), log=True),
    "trainable_layers": _int(0, 30, (0, 10), size="large"),
    "rotation": _real(0.0, 0.2, (0.0, 0.1), size="large"),
    "zoom": _real(0.0, 0.2, (0.0, 0.1), size="large"),
    "translation": _real(0.0, 0.2, (0.0, 0.1), size="large"),
    "batch_size": _cat((16, 32, 64), (32,), size="large"),
}

#: What a regressor searches besides its classifier's space: the loss (large spaces only).
_REGRESSION = {
    "loss": _cat(("mse", "huber", "log_cosh", "mae"), ("mse", "huber"), size="large"),
}

#: Default spaces by estimator class name; subclasses inherit their parent's space.
_REGISTRY: dict[str, dict[str, _Param]] = {
    "ANNClassifier": _ANN,
    "ANNRegressor": {**_ANN, **_REGRESSION},
    "CNNClassifier": _CNN,
    "CNNRegressor": {**_CNN, **_REGRESSION},
    "TransferClassifier": _TRANSFER,
}


def search_space(
    estimator: Any,
    kind: Literal["grid", "random", "bayes"] = "grid",
    *,
    prefix: str | None = None,
    size: Literal["small", "large"] = "small",
) -> dict[str, Any]:
    """A sensible default search space for a skdeep estimator.

    Parameters
    ----------
    estimator : estimator instance or class
        A skdeep estimator (``ANNClassifier``, ``ANNRegressor``, ``CNNClassifier``,
        ``CNNRegressor``, ``TransferClassifier``, or a subclass), or a ``Pipeline`` whose last
        step is one; the parameter names then get the Pipeline prefix
        (``"annclassifier__units"``) automatically. A regressor searches its classifier's
        space and, with ``size="large"``, its ``loss``.
    kind : {"grid", "random", "bayes"}, default="grid"
        ``"grid"``: lists of values for ``GridSearchCV``. ``"random"``: scipy.stats
        distributions (and lists) for ``RandomizedSearchCV``, :class:`CoarseToFineSearchCV`
        and :class:`EpochHalvingSearchCV`. ``"bayes"``: scikit-optimize ``Real``/``Integer``/
        ``Categorical`` dimensions for ``BayesSearchCV`` (learning rate and L2 on a log scale).
    prefix : str, default=None
        Parameter-name prefix, overriding the one found from a Pipeline: ``"clf"`` gives
        ``"clf__units"``; ``""`` gives bare names.
    size : {"small", "large"}, default="small"
        ``"small"`` searches the parameters that matter most (depth, width, dropout, learning
        rate: a 16-point grid); ``"large"`` adds activation, L2, batch norm, batch size,
        for image models augmentation, and for regressors the loss.

    Returns
    -------
    dict
        Parameter name to values, distribution or dimension; pass it as ``param_grid``,
        ``param_distributions`` or ``search_spaces``.

    Examples
    --------
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdeep import ANNClassifier
    >>> from skdeep.model_selection import search_space
    >>> pipe = make_pipeline(StandardScaler(), ANNClassifier(epochs=10))
    >>> grid = search_space(pipe, "grid")
    >>> grid["annclassifier__units"]
    [32, 128]
    >>> sorted(search_space(ANNClassifier, "random"))
    ['dropout', 'learning_rate', 'n_layers', 'units']
    >>> from skdeep import ANNRegressor
    >>> search_space(ANNRegressor, "grid", size="large")["loss"]
    ['mse', 'huber']
    """
    if kind not in KINDS:
        raise ParameterError(
            f"Unknown search kind. Expected one of {KINDS}. Received: kind={kind!r}"
        )
    if size not in SIZES:
        raise ParameterError(
            f"Unknown search-space size. Expected one of {SIZES}. Received: size={size!r}"
        )
    if prefix is not None and not isinstance(prefix, str):
        raise ParameterError(f"prefix must be a string. Received: prefix={describe(prefix)}")
    final, found_prefix = (estimator, "") if isinstance(estimator, type) else final_step(estimator)
    cls = final if isinstance(final, type) else type(final)
    table = next((_REGISTRY[c.__name__] for c in cls.__mro__ if c.__name__ in _REGISTRY), None)
    if table is None:
        raise ParameterError(
            f"No default search space for {cls.__name__}. Expected one of "
            f"{sorted(_REGISTRY)} (or a Pipeline ending in one). Received: "
            f"estimator={describe(estimator)}"
        )
    if prefix is None:
        prefix = found_prefix
    elif prefix:
        prefix = prefix.removesuffix("__") + "__"
    space = {}
    for name, param in table.items():
        if size == "small" and param.size != "small":
            continue
        if kind == "grid":
            value: Any = list(param.grid)
        elif kind == "random":
            value = param.random()
        else:
            value = param.bayes()
        space[prefix + name] = value
    return space
