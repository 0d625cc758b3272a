"""KerasClassifier and KerasRegressor: the user's own Keras network with every skdeep
training guarantee."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np

from .._training._head import (
    REGRESSION_LOSSES,
    ClassifierHead,
    CompiledLossHead,
    CompiledLossRegressorHead,
    RegressorHead,
)
from ..base import SkdeepClassifier, SkdeepRegressor
from ..builders._blocks import classification_loss, output_units
from ..exceptions import ParameterError, describe
from ..utils._compat import StrOptions
from ._params import document_training_parameters
from ._signature import estimator_init
from ._user import UserNetwork, output_shape

__all__ = ["KerasClassifier", "KerasRegressor"]


def _categorical(loss) -> bool:
    """Whether ``loss`` wants one-hot targets (categorical, not sparse, cross-entropy)."""
    if isinstance(loss, keras.losses.CategoricalCrossentropy):
        return True
    name = loss if isinstance(loss, str) else getattr(loss, "__name__", "")
    return name in ("categorical_crossentropy", "CategoricalCrossentropy")


@document_training_parameters
class KerasClassifier(UserNetwork, SkdeepClassifier):
    """Your own Keras network as a scikit-learn classifier, with skdeep's training.

    ``model`` is a function that returns a ``keras.Model`` (called at every fit, with fresh
    weights drawn under ``random_state``), or a ``keras.Model`` (cloned with fresh weights at
    every fit). Arguments of the function are parameters of the estimator: pass them as
    ``model__<name>=value`` (searchable in a Pipeline as ``kerasclassifier__model__<name>``);
    scikeras' unprefixed form (``KerasClassifier(model=f, units=32)``) works too. A function
    that declares ``meta`` receives a dict describing the data (``n_features_in_``,
    ``n_classes_``, ``classes_``, ``input_shape``, ``n_outputs``, ``target_type_``, and
    scikeras' ``X_shape_``, ``X_dtype_``, ``y_dtype_``, ``y_ndim_``, ``n_outputs_expected_``);
    one that declares ``compile_kwargs`` receives ``{"optimizer", "loss", "metrics",
    "steps_per_execution"}`` built from the estimator's parameters; ``params`` receives
    ``get_params()``.

    **Output contract.** The network ends in probabilities: one sigmoid unit for two classes
    (``meta["n_outputs"]``), or one softmax unit per class (two softmax units are also
    accepted for two classes). The first fit checks the output shape and names the one
    expected.

    **Compiling.** An uncompiled network is compiled by skdeep: its ``optimizer``,
    ``learning_rate``, ``momentum``, clipping, and the loss ``loss`` (by default binary or
    sparse categorical cross-entropy, as the output width says). A network compiled by its
    function keeps its own loss and metrics, and its own optimizer: then skdeep's optimizer
    parameters only apply when it was compiled with ``compile_kwargs["optimizer"]``
    (setting them otherwise is an error, not a silent no-op). Whatever compiled it, skdeep
    runs the training: the stratified, seeded early-stopping split, class weights and
    samplers on the training part only, seeding, warm starts, and the reuse of compiled
    models (the same function with the same arguments is the same architecture: repeated
    fits do not trace new graphs).

    **Input.** ``X`` of any rank: tables ``(n, n_features)``, images ``(n, height, width,
    channels)``, sequences ``(n, timesteps, features)``, checked for length, finiteness and
    dtype and never reshaped. ``n_features_in_`` is ``X.shape[1]``, as in scikit-learn.

    **Saving.** ``save`` writes the trained network and the parameters, never code: the model
    function and its arguments are not in the file. A loaded estimator predicts, scores and
    continues training (``warm_start``); its ``model`` is the trained network itself, so a
    refit trains that architecture from fresh weights. To search the function's arguments
    again, set ``model=`` back to the function.

    Parameters
    ----------
    model : callable or keras.Model
        The network, see above.
    loss : str, keras.losses.Loss or None, default=None
        Loss of a network skdeep compiles; None picks cross-entropy by the output width.
    <training parameters>
    **model_params
        Arguments of the model function, ``model__<name>=value`` (or ``<name>=value``).

    See Also
    --------
    skdeep.ANNClassifier : dense networks with every architecture knob as a parameter.

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.model_selection import GridSearchCV
    >>> from skdeep import KerasClassifier
    >>> def mlp(units, meta):
    ...     return keras.Sequential([
    ...         keras.Input(meta["input_shape"]),
    ...         keras.layers.Dense(units, activation="relu"),
    ...         keras.layers.Dense(meta["n_outputs"], activation="softmax"),
    ...     ])
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = KerasClassifier(mlp, model__units=16, epochs=30, learning_rate=0.01,
    ...                       random_state=0)
    >>> clf.fit(X, y).score(X, y) > 0.9
    True
    >>> search = GridSearchCV(clf, {"model__units": [8, 16]}, cv=3).fit(X, y)
    >>> sorted(search.best_params_)
    ['model__units']
    """

    _parameter_constraints: dict = {
        **SkdeepClassifier._parameter_constraints,
        "model": [callable, keras.Model],
        "loss": [None, str, keras.losses.Loss, callable],
    }

    __init__ = estimator_init("KerasClassifier")

    _metrics = ("accuracy",)

    def _target_meta(self) -> dict[str, Any]:
        return {
            "n_classes_": self.n_classes_,
            "classes_": self.classes_,
            "n_outputs": output_units(self.n_classes_),
            "target_type_": "binary" if self.n_classes_ == 2 else "multiclass",
            "y_dtype_": self.classes_.dtype,
            "y_ndim_": 1,
        }

    def _default_loss(self, n_outputs: int):
        return classification_loss(n_outputs) if self.loss is None else self.loss

    def _head_of(self, model: keras.Model) -> ClassifierHead:
        shape = output_shape(model)
        accepted = ClassifierHead.accepted_outputs(self.n_classes_)
        if shape is None or len(shape) != 2 or shape[-1] not in accepted:
            expected = " or ".join(f"(None, {k})" for k in accepted)
            raise ParameterError(
                f"The network's output does not fit {self.n_classes_} classes. Expected one "
                f"output of shape {expected} (probabilities: sigmoid for one unit, softmax "
                f"otherwise). Received: output shape {describe(model.output_shape)}"
            )
        head = ClassifierHead(self.n_classes_, int(shape[-1]))
        loss = model.loss if model.compiled else self.loss
        if loss is None or loss == head.loss:
            return head  # skdeep's cross-entropy: validated in NumPy
        one_hot = int(shape[-1]) > 1 and _categorical(loss)
        return CompiledLossHead(head.n_classes, head.n_outputs, one_hot=one_hot, compiled_loss=loss)


@document_training_parameters
class KerasRegressor(UserNetwork, SkdeepRegressor):
    """Your own Keras network as a scikit-learn regressor, with skdeep's training.

    Everything of :class:`KerasClassifier` (the model function and its routed ``model__*``
    arguments, ``meta``, ``compile_kwargs``, compiling rules, any-rank input, saving) for a
    network that ends in ``meta["n_outputs"]`` linear units, one per target column. Targets
    are standardised on the training part of each fit (``scale_target``) and predictions come
    back in their units; ``score`` is R². ``meta`` holds ``n_outputs`` and
    ``target_type_`` ("continuous" or "continuous-multioutput").

    Parameters
    ----------
    model : callable or keras.Model
        The network (see :class:`KerasClassifier`).
    loss : {"mse", "mae", "huber", "log_cosh"}, keras.losses.Loss or None, default=None
        Loss of a network skdeep compiles (None: "mse"); a network compiled by its function
        keeps its own.
    <regression parameters>
    <training parameters>
    **model_params
        Arguments of the model function, ``model__<name>=value`` (or ``<name>=value``).

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import load_diabetes
    >>> from skdeep import KerasRegressor
    >>> def mlp(units, meta):  # the functional API works as well as Sequential
    ...     inputs = keras.Input(meta["input_shape"])
    ...     hidden = keras.layers.Dense(units, activation="relu")(inputs)
    ...     return keras.Model(inputs, keras.layers.Dense(meta["n_outputs"])(hidden))
    >>> X, y = load_diabetes(return_X_y=True)
    >>> reg = KerasRegressor(mlp, model__units=16, epochs=30, learning_rate=0.01,
    ...                      random_state=0)
    >>> reg.fit(X, y).score(X, y) > 0.4
    True
    """

    _parameter_constraints: dict = {
        **SkdeepRegressor._parameter_constraints,
        "model": [callable, keras.Model],
        "loss": [None, StrOptions(set(REGRESSION_LOSSES)), str, keras.losses.Loss, callable],
    }

    __init__ = estimator_init("KerasRegressor")

    def _target_meta(self) -> dict[str, Any]:
        return {
            "n_outputs": self.n_outputs_,
            "target_type_": "continuous" if self.n_outputs_ == 1 else "continuous-multioutput",
            "y_dtype_": np.dtype("float64"),
            "y_ndim_": self.y_ndim_,
        }

    def _default_loss(self, n_outputs: int):
        if self.loss is None or self.loss in REGRESSION_LOSSES:
            return RegressorHead(n_outputs, self.loss or "mse", self.huber_delta).loss
        return self.loss

    def _head_of(self, model: keras.Model) -> RegressorHead:
        shape = output_shape(model)
        if shape is None or len(shape) != 2 or shape[-1] != self.n_outputs_:
            raise ParameterError(
                f"The network's output does not fit {self.n_outputs_} target column(s). "
                f"Expected one output of shape (None, {self.n_outputs_}) (linear units). "
                f"Received: output shape {describe(model.output_shape)}"
            )
        scaling = {"mean": self.target_mean_, "scale": self.target_scale_}
        loss = model.loss if model.compiled else (self.loss or "mse")
        if isinstance(loss, str) and loss in REGRESSION_LOSSES:
            return RegressorHead(self.n_outputs_, loss, self.huber_delta, **scaling)
        return CompiledLossRegressorHead(self.n_outputs_, compiled_loss=loss, **scaling)
