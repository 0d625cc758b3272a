"""ANNClassifier and ANNRegressor: dense networks for tabular data."""

from __future__ import annotations

from numbers import Integral, Real

from ..base import SkdeepClassifier, SkdeepRegressor
from ..builders import build_ann
from ..utils._compat import Interval
from ._params import LAYER_CONSTRAINTS, BuilderFamily, document_training_parameters
from ._signature import estimator_init

#: Constraints of the dense family's architecture parameters.
_ANN_CONSTRAINTS: dict = {
    "n_layers": [Interval(Integral, 0, None, closed="left")],
    "units": [Interval(Integral, 1, None, closed="left")],
    "units_decay": [Interval(Real, 0, None, closed="neither")],
    **LAYER_CONSTRAINTS,
    "gaussian_noise": [Interval(Real, 0, None, closed="left")],
}


class _ANNFamily(BuilderFamily):
    """The dense family (shared by both tasks)."""

    _family = "ann"
    _builder = staticmethod(build_ann)


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

    __init__ = estimator_init("ANNClassifier")


@document_training_parameters
class ANNRegressor(_ANNFamily, SkdeepRegressor):
    """Dense neural network regressor for tabular data, tunable like any sklearn model.

    The network of :class:`ANNClassifier` with one linear output per target column. Targets
    are standardised on the training part of each fit (``scale_target``) and predictions come
    back in their units; ``score`` is R², and ``GridSearchCV(cv=5)`` uses ``KFold``. The
    early-stopping split is shuffled, seeded and stratified on quantile bins of the target.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from skdeep import ANNRegressor
    >>> X, y = load_diabetes(return_X_y=True)  # X centred and scaled, y in disease progression
    >>> model = ANNRegressor(epochs=30, random_state=0).fit(X, y)
    >>> round(model.target_mean_[0]), model.predict(X[:3]).shape, model.score(X, y) > 0.5
    (152, (3,), True)
    """

    _documented_like = ANNClassifier
    _parameter_constraints: dict = {**SkdeepRegressor._parameter_constraints, **_ANN_CONSTRAINTS}

    __init__ = estimator_init("ANNRegressor")
