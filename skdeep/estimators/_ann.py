"""ANNClassifier and ANNRegressor: dense networks for tabular data."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import keras

from ..base import SkdeepClassifier, SkdeepRegressor
from ..builders import ACTIVATIONS, INITIALIZERS, build_ann
from ..utils._compat import Interval, StrOptions
from ._params import document_training_parameters, store_params, warn_unused_slope

#: Constraints of the dense family's architecture parameters.
_ANN_CONSTRAINTS: dict = {
    "n_layers": [Interval(Integral, 0, None, closed="left")],
    "units": [Interval(Integral, 1, None, closed="left")],
    "units_decay": [Interval(Real, 0, None, closed="neither")],
    "activation": [StrOptions(set(ACTIVATIONS))],
    "kernel_initializer": [StrOptions(set(INITIALIZERS))],
    "negative_slope": [Interval(Real, 0, None, closed="left")],
    "dropout": [Interval(Real, 0, 1, closed="left")],
    "l1": [Interval(Real, 0, None, closed="left")],
    "l2": [Interval(Real, 0, None, closed="left")],
    "batch_norm": ["boolean"],
    "gaussian_noise": [Interval(Real, 0, None, closed="left")],
}


class _ANNFamily:
    """The dense family: builder, architecture parameters, checks (shared by both tasks)."""

    def _check_family_params(self) -> None:
        warn_unused_slope(self)

    def _network(self, input_shape: tuple[int, ...]) -> keras.Model:
        return build_ann(input_shape=input_shape, **self._output(), **self._builder_params())

    def _builder_params(self) -> dict[str, Any]:
        names = ("n_layers", "units", "units_decay", "activation", "kernel_initializer")
        names += ("negative_slope", "dropout", "l1", "l2", "batch_norm", "gaussian_noise")
        return {name: getattr(self, name) for name in names}


@document_training_parameters
class ANNClassifier(_ANNFamily, SkdeepClassifier):
    """Dense neural network classifier for tabular data, tunable like any sklearn model.

    Every architecture and training knob is a flat scalar parameter, so ``GridSearchCV``,
    ``RandomizedSearchCV`` and ``BayesSearchCV`` can search all of them.

    Parameters
    ----------
    n_layers : int, default=2
        Number of hidden layers (0 gives logistic/softmax regression).
    units : int, default=64
        Width of the first hidden layer.
    units_decay : float, default=0.5
        Each next hidden layer is ``previous * units_decay`` wide (1.0 constant width,
        0.5 a funnel), at least 1 unit.
    activation : str, default="relu"
        One of "relu", "elu", "selu", "leaky_relu", "gelu", "tanh", "sigmoid", "swish",
        "silu", "softplus", "mish", "relu6", "linear".
    kernel_initializer : str, default="he_uniform"
        Keras initializer name for the hidden layers (e.g. "glorot_uniform", "he_normal").
    negative_slope : float, default=0.3
        Slope of "leaky_relu" for negative inputs (Keras' default 0.3); a warning says when it
        is set with another activation.
    dropout : float, default=0.0
        Dropout rate after each hidden layer, in [0, 1).
    l1, l2 : float, default=0.0
        L1 / L2 penalties on the hidden-layer kernels.
    batch_norm : bool, default=False
        Batch normalisation before each activation.
    gaussian_noise : float, default=0.0
        Standard deviation of Gaussian noise added to the inputs during training only.
    <training parameters>

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    classes_ : ndarray of shape (n_classes,)
        Class labels, in the column order of ``predict_proba``.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.
    history_ : dict of str to list of float
        Per-epoch ``loss`` and ``accuracy`` (and ``val_loss``/``val_accuracy`` with early
        stopping).
    n_epochs_ : int
        Epochs actually run (fewer than ``epochs`` when early stopping triggered).
    best_epoch_ : int or None
        The epoch whose weights were restored (early stopping only).
    class_weight_ : dict or None
        Per-class weights used, resolved on the training part of the data.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdeep import ANNClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), ANNClassifier(epochs=20, random_state=0))
    >>> model.fit(X, y).score(X, y) > 0.95
    True
    """

    _parameter_constraints: dict = {
        **SkdeepClassifier._parameter_constraints,
        **_ANN_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        n_layers: int = 2,
        units: int = 64,
        units_decay: float = 0.5,
        activation: str = "relu",
        kernel_initializer: str = "he_uniform",
        negative_slope: float = 0.3,
        dropout: float = 0.0,
        l1: float = 0.0,
        l2: float = 0.0,
        batch_norm: bool = False,
        gaussian_noise: float = 0.0,
        optimizer: str | keras.optimizers.Optimizer = "adam",
        learning_rate: float | None = None,
        momentum: float = 0.0,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        batch_size: int = 32,
        epochs: int = 50,
        early_stopping: bool = False,
        patience: int = 10,
        validation_fraction: float | None = None,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        lr_schedule: str = "constant",
        lr_decay: float | None = None,
        lr_decay_epochs: int | None = None,
        warmup_epochs: int = 0,
        callbacks: list | None = None,
        memory: Any = None,
        class_weight: str | dict | None = None,
        sampler: Any = None,
        warm_start: bool = False,
        random_state: int | None = None,
        verbose: int = 0,
    ) -> None:
        store_params(self, locals())


@document_training_parameters
class ANNRegressor(_ANNFamily, SkdeepRegressor):
    """Dense neural network regressor for tabular data, tunable like any sklearn model.

    The network of :class:`ANNClassifier` with one linear output per target column. Targets
    are standardised on the training part of each fit (``scale_target``) and predictions come
    back in their units; ``score`` is R², and ``GridSearchCV(cv=5)`` uses ``KFold``. The
    early-stopping split is shuffled, seeded and stratified on quantile bins of the target.

    Parameters
    ----------
    <family parameters>
    <regression parameters>
    <training parameters>

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    n_outputs_ : int
        Target columns (one output unit each).
    y_ndim_ : int
        Dimensions of ``y`` in fit (1: ``predict`` returns a 1-D array).
    target_mean_, target_scale_ : ndarray of shape (n_outputs,) or None
        The target scaling, from the training part (None without ``scale_target``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.
    history_ : dict of str to list of float
        Per-epoch ``loss`` and ``learning_rate`` (and ``val_loss``, ``val_mae`` with a
        validation part).
    n_epochs_ : int
        Epochs actually run (fewer than ``epochs`` when early stopping triggered).
    best_epoch_ : int or None
        The epoch whose weights were restored (early stopping only).

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdeep import ANNRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = make_pipeline(StandardScaler(), ANNRegressor(epochs=30, random_state=0))
    >>> model.fit(X, y).score(X, y) > 0.5
    True
    """

    _documented_like = ANNClassifier
    _parameter_constraints: dict = {**SkdeepRegressor._parameter_constraints, **_ANN_CONSTRAINTS}

    def __init__(
        self,
        *,
        n_layers: int = 2,
        units: int = 64,
        units_decay: float = 0.5,
        activation: str = "relu",
        kernel_initializer: str = "he_uniform",
        negative_slope: float = 0.3,
        dropout: float = 0.0,
        l1: float = 0.0,
        l2: float = 0.0,
        batch_norm: bool = False,
        gaussian_noise: float = 0.0,
        loss: str = "mse",
        huber_delta: float = 1.0,
        scale_target: bool = True,
        optimizer: str | keras.optimizers.Optimizer = "adam",
        learning_rate: float | None = None,
        momentum: float = 0.0,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        batch_size: int = 32,
        epochs: int = 50,
        early_stopping: bool = False,
        patience: int = 10,
        validation_fraction: float | None = None,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        lr_schedule: str = "constant",
        lr_decay: float | None = None,
        lr_decay_epochs: int | None = None,
        warmup_epochs: int = 0,
        callbacks: list | None = None,
        memory: Any = None,
        warm_start: bool = False,
        random_state: int | None = None,
        verbose: int = 0,
    ) -> None:
        store_params(self, locals())
