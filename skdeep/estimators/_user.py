"""KerasClassifier: the user's own Keras network with every skdeep training guarantee."""

from __future__ import annotations

import functools
import inspect
from typing import Any

import keras
import numpy as np

from .._training._data import check_features
from .._training._head import ClassifierHead, CompiledLossHead
from .._training._model import STEPS_PER_EXECUTION
from ..base import SkdeepClassifier
from ..builders._blocks import classification_loss, output_units
from ..exceptions import DataError, ParameterError, describe
from ._docs import document_training_parameters

__all__ = ["KerasClassifier"]

#: Arguments a model function may declare to receive what skdeep knows (as in scikeras).
_SPECIAL_ARGS = ("meta", "compile_kwargs", "params")
#: scikeras routing prefixes skdeep replaces by flat parameters, for the error message.
_SCIKERAS_PREFIXES = {
    "optimizer__": "optimizer, learning_rate, momentum, clipnorm, clipvalue",
    "loss__": "loss (a keras.losses.Loss instance carries its own arguments)",
    "fit__": "the flat training parameters (batch_size, epochs, ...)",
    "callbacks__": "(callbacks are not supported yet)",
    "compile__": "compile the model in its function, or leave compiling to skdeep",
    "predict__": "(predict takes no routed arguments)",
}


@document_training_parameters
class KerasClassifier(SkdeepClassifier):
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

    Attributes
    ----------
    model_ : keras.Model
        The trained network.
    classes_ : ndarray of shape (n_classes,)
        Class labels, in the column order of ``predict_proba``.
    n_features_in_ : int
        ``X.shape[1]``.
    feature_names_in_ : ndarray of str
        Column names, when X was a DataFrame with string column names.
    history_ : dict of str to list of float
        Per-epoch ``loss`` and ``accuracy`` (and ``val_loss``/``val_accuracy`` with early
        stopping), plus the network's own compiled metrics.
    n_epochs_ : int
        Epochs actually run (fewer than ``epochs`` when early stopping triggered).
    best_epoch_ : int or None
        The epoch whose weights were restored (early stopping only).
    class_weight_ : dict or None
        Per-class weights used, resolved on the training part of the data.

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

    def __init__(
        self,
        model: Any = None,
        *,
        loss: Any = None,
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
        **model_params: Any,
    ) -> None:
        self.model = model
        self.loss = loss
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
        self._model_params = dict(model_params)

    # ------------------------------------------------------------------ routed parameters
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters of the estimator, the routed ``model__*`` ones included."""
        return {**super().get_params(deep=deep), **getattr(self, "_model_params", {})}

    def set_params(self, **params) -> KerasClassifier:
        """Set parameters, the routed ``model__*`` ones included (new ones are added)."""
        own = set(self._get_param_names())
        routed = {k: v for k, v in params.items() if k not in own and not k.startswith("model")}
        routed.update({k: v for k, v in params.items() if k.startswith("model__")})
        for key in routed:
            params.pop(key)
        self._model_params = {**getattr(self, "_model_params", {}), **routed}
        return super().set_params(**params) if params else self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags

    # ------------------------------------------------------------------ saving
    def _saved_params(self) -> dict[str, Any]:
        """A saved file holds no code: neither the model function nor its arguments."""
        params = super().get_params(deep=False)
        params.pop("model")
        return params

    def _restore_params(self, model: keras.Model) -> None:
        """A loaded estimator's ``model`` is its trained network (a refit clones it)."""
        self.model = model

    def _builder_params(self) -> dict[str, Any]:
        """Keyword arguments of the model function: routed ones, then scikeras' unprefixed."""
        out = {k: v for k, v in self._model_params.items() if "__" not in k}
        out.update(
            {
                k[len("model__") :]: v
                for k, v in self._model_params.items()
                if k.startswith("model__")
            }
        )
        return out

    # ------------------------------------------------------------------ checks
    def _check_family_params(self) -> None:
        for key in self._model_params:
            prefix = key.split("__", 1)[0] + "__" if "__" in key else None
            if prefix is not None and prefix != "model__":
                hint = _SCIKERAS_PREFIXES.get(prefix, "a flat parameter of KerasClassifier")
                raise ParameterError(
                    f"KerasClassifier routes parameters to the model function only "
                    f"(model__<name>). Expected instead: {hint}. Received: {key}"
                )
        if isinstance(self.model, keras.Model):
            if self._model_params:
                raise ParameterError(
                    "Routed model parameters need a model function; model= is a keras.Model. "
                    f"Received: {sorted(self._model_params)}"
                )
            return
        accepted = _accepted_args(self.model)
        if accepted is not None:
            unknown = sorted(set(self._builder_params()) - accepted)
            if unknown:
                raise ParameterError(
                    f"The model function takes no argument named {unknown[0]!r}. Expected "
                    f"arguments among {sorted(accepted - set(_SPECIAL_ARGS))}. Received: "
                    f"{', '.join(f'model__{k}' for k in unknown)}"
                )

    def _check_X(self, X, *, reset: bool) -> np.ndarray:
        X = check_features(self, X, reset=reset, allow_nd=True)
        if not reset and hasattr(self, "model_"):
            expected = tuple(self.model_.input_shape[1:])
            if len(expected) != X.ndim - 1 or any(
                e is not None and e != r for e, r in zip(expected, X.shape[1:])
            ):
                raise DataError(
                    "X holds samples of another shape than the network takes. Expected "
                    f"samples of shape {expected}. Received: X with shape {X.shape}"
                )
        return X

    # ------------------------------------------------------------------ the network
    def _meta(self, input_shape: tuple[int, ...]) -> dict[str, Any]:
        return {
            "n_features_in_": self.n_features_in_,
            "n_classes_": self.n_classes_,
            "classes_": self.classes_,
            "input_shape": tuple(input_shape),
            "n_outputs": output_units(self.n_classes_),
            "target_type_": "binary" if self.n_classes_ == 2 else "multiclass",
            "n_outputs_expected_": 1,
            "X_shape_": (None, *input_shape),
            "X_dtype_": np.dtype("float32"),
            "y_dtype_": self.classes_.dtype,
            "y_ndim_": 1,
            "feature_names_in_": getattr(self, "feature_names_in_", None),
        }

    def _compile_kwargs(self) -> dict[str, Any]:
        return {
            "optimizer": self._optimizer_spec().build(),
            "loss": self._default_loss(output_units(self.n_classes_)),
            "metrics": ["accuracy"],
            "steps_per_execution": STEPS_PER_EXECUTION,
        }

    def _default_loss(self, n_outputs: int):
        return classification_loss(n_outputs) if self.loss is None else self.loss

    def _network(self, input_shape: tuple[int, ...]) -> keras.Model:
        if isinstance(self.model, keras.Model):
            network = keras.models.clone_model(self.model)
            if self.model.compiled and not network.compiled:
                network.compile_from_config(self.model.get_compile_config())
            network._skdeep_own_optimizer = network.compiled
            return network
        kwargs = self._builder_params()
        accepted = _accepted_args(self.model)
        compile_kwargs = self._compile_kwargs()
        special = {"meta": self._meta(input_shape), "compile_kwargs": compile_kwargs}
        special["params"] = self.get_params()
        for name, value in special.items():
            if accepted is None or name in accepted:
                kwargs[name] = value
        network = self.model(**kwargs)
        if not isinstance(network, keras.Model):
            raise ParameterError(
                "The model function must return a keras.Model. Expected e.g. "
                f"keras.Sequential([...]). Received: {describe(network)} from {_name(self.model)}"
            )
        # a network compiled by its function with an optimizer of its own keeps it
        network._skdeep_own_optimizer = (
            network.compiled and network.optimizer is not compile_kwargs["optimizer"]
        )
        return network

    def _architecture(self, input_shape: tuple[int, ...], model: keras.Model) -> tuple:
        if isinstance(self.model, keras.Model):
            identity: Any = ("instance", self.model.to_json())
        else:
            identity = _callable_identity(self.model)
        params = sorted((k, repr(v)) for k, v in self._builder_params().items())
        return (identity, self.n_classes_, tuple(params), repr(self.loss))

    def _head_of(self, model: keras.Model) -> ClassifierHead:
        shape = tuple(model.output_shape) if not isinstance(model.output_shape, list) else None
        accepted = ClassifierHead.accepted_outputs(self.n_classes_)
        if shape is None or len(shape) != 2 or shape[-1] not in accepted:
            expected = " or ".join(f"(None, {k})" for k in accepted)
            raise ParameterError(
                f"The network's output does not fit {self.n_classes_} classes. Expected one "
                f"output of shape {expected} (probabilities: sigmoid for one unit, softmax "
                f"otherwise). Received: output shape {describe(model.output_shape)}"
            )
        head = ClassifierHead(self.n_classes_, int(shape[-1]))
        loss = getattr(model, "loss", None) if model.compiled else None
        if loss is None or loss == head.loss:
            return head  # skdeep's cross-entropy: validated in NumPy
        return CompiledLossHead(head.n_classes, head.n_outputs, loss)

    def _loss(self, head):
        return head.loss if self.loss is None else self.loss

    def _compile(self, model: keras.Model, head) -> None:
        if not model.compiled:
            super()._compile(model, head)
            return
        if self.loss is not None:
            raise ParameterError(
                "loss applies to a network skdeep compiles; this model function compiled "
                f"its network itself. Expected loss=None. Received: loss={describe(self.loss)}"
            )
        if model._skdeep_own_optimizer:
            signature = inspect.signature(type(self)).parameters
            changed = {
                k: getattr(self, k)
                for k in ("optimizer", "learning_rate", "momentum", "clipnorm", "clipvalue")
                if getattr(self, k) != signature[k].default
            }
            if changed:
                raise ParameterError(
                    "The network was compiled with its own optimizer, so skdeep's optimizer "
                    "parameters have no effect. Expected their defaults, or compile with "
                    "compile_kwargs['optimizer']. Received: "
                    + ", ".join(f"{k}={describe(v)}" for k, v in changed.items())
                )

    def _start_phase(self, previous, data, settings, transaction):
        model, data, settings = super()._start_phase(previous, data, settings, transaction)
        if getattr(model, "_skdeep_own_optimizer", False):
            settings = settings.replace(learning_rate=None)  # the network's own optimizer
        return model, data, settings


def _accepted_args(fn) -> set[str] | None:
    """Names ``fn`` accepts as keywords; None when it takes ``**kwargs`` (anything)."""
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is p.VAR_KEYWORD for p in parameters):
        return None
    return {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _callable_identity(fn) -> Any:
    """What identifies a model function across copies of the estimator (``clone`` deep-copies
    parameters: functions and classes survive as themselves, partials are compared by value)."""
    if isinstance(fn, functools.partial):
        keywords = tuple(sorted((k, repr(v)) for k, v in fn.keywords.items()))
        return ("partial", _callable_identity(fn.func), repr(fn.args), keywords)
    if inspect.isfunction(fn) or inspect.isclass(fn) or inspect.isbuiltin(fn):
        return fn
    return ("object", id(fn))  # a callable object: one architecture per instance


def _name(fn) -> str:
    return getattr(fn, "__qualname__", type(fn).__name__)
