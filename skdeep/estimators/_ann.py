"""ANNClassifier: dense networks for tabular data."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import keras

from ..base import SkdeepClassifier
from ..builders import ACTIVATIONS, INITIALIZERS, build_ann
from ..utils._compat import Interval, StrOptions
from ._docs import document_training_parameters, warn_unused_slope


@document_training_parameters
class ANNClassifier(SkdeepClassifier):
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
        class_weight: str | dict | None = None,
        sampler: Any = None,
        warm_start: bool = False,
        random_state: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.n_layers = n_layers
        self.units = units
        self.units_decay = units_decay
        self.activation = activation
        self.kernel_initializer = kernel_initializer
        self.negative_slope = negative_slope
        self.dropout = dropout
        self.l1 = l1
        self.l2 = l2
        self.batch_norm = batch_norm
        self.gaussian_noise = gaussian_noise
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.batch_size = batch_size
        self.epochs = epochs
        self.early_stopping = early_stopping
        self.patience = patience
        self.validation_fraction = validation_fraction
        self.monitor = monitor
        self.min_delta = min_delta
        self.lr_schedule = lr_schedule
        self.lr_decay = lr_decay
        self.lr_decay_epochs = lr_decay_epochs
        self.warmup_epochs = warmup_epochs
        self.callbacks = callbacks
        self.class_weight = class_weight
        self.sampler = sampler
        self.warm_start = warm_start
        self.random_state = random_state
        self.verbose = verbose

    def _check_family_params(self) -> None:
        warn_unused_slope(self)

    def _network(self, input_shape: tuple[int, ...]) -> keras.Model:
        return build_ann(
            input_shape=input_shape, n_classes=self.n_classes_, **self._builder_params()
        )

    def _architecture(self, input_shape: tuple[int, ...], model: keras.Model) -> tuple:
        return (
            self.n_classes_,
            tuple(sorted((k, repr(v)) for k, v in self._builder_params().items())),
        )

    def _builder_params(self) -> dict[str, Any]:
        return {
            "n_layers": self.n_layers,
            "units": self.units,
            "units_decay": self.units_decay,
            "activation": self.activation,
            "kernel_initializer": self.kernel_initializer,
            "negative_slope": self.negative_slope,
            "dropout": self.dropout,
            "l1": self.l1,
            "l2": self.l2,
            "batch_norm": self.batch_norm,
            "gaussian_noise": self.gaussian_noise,
        }
