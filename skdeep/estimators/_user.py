"""What KerasClassifier and KerasRegressor share: the user's network, its routed arguments,
its compiling rules and saving (the estimators themselves are in :mod:`._user_estimators`)."""

from __future__ import annotations

import functools
import inspect
from typing import Any

import keras
import numpy as np

from .._training._data import check_features
from .._training._model import STEPS_PER_EXECUTION
from ..exceptions import DataError, ParameterError, describe

__all__ = ["UserNetwork", "output_shape"]

#: Arguments a model function may declare to receive what skdeep knows (as in scikeras).
_SPECIAL_ARGS = ("meta", "compile_kwargs", "params")
#: scikeras routing prefixes skdeep replaces by flat parameters, for the error message.
_SCIKERAS_PREFIXES = {
    "optimizer__": "optimizer, learning_rate, momentum, clipnorm, clipvalue",
    "loss__": "loss (a keras.losses.Loss instance carries its own arguments)",
    "fit__": "the flat training parameters (batch_size, epochs, ...)",
    "callbacks__": "callbacks (a list of configured Keras callback instances)",
    "compile__": "compile the model in its function, or leave compiling to skdeep",
    "predict__": "(predict takes no routed arguments)",
}

#: scikeras parameters skdeep has no use for under that name, and what replaces them.
_SCIKERAS_PARAMETERS = {
    "validation_split": "validation_fraction (stratified, seeded, from the training fold)",
    "metrics": "a search's scoring=, or monitor= for early stopping (the network's own "
    "compiled metrics are kept)",
    "shuffle": "nothing: skdeep reshuffles every epoch, seeded by random_state",
    "run_eagerly": "nothing: skdeep trains compiled networks",
    "target_encoder": "nothing: labels of any type are encoded by skdeep",
    "feature_encoder": "a Pipeline step before the estimator",
}


class UserNetwork:
    """The user's network as a skdeep family: the routed ``model__*`` parameters, the model
    function's ``meta``/``compile_kwargs``, compiling rules, any-rank input, and saving."""

    _metrics: tuple[str, ...] = ()
    #: Fitted attributes documented in the estimators' docstrings (any rank of X).
    _attribute_docs = {
        "n_features_in_": ("int", "``X.shape[1]``."),
        "history_": (
            "dict of str to list of float",
            "Per-epoch ``loss``, ``learning_rate`` and the metrics the network is compiled "
            "with (``accuracy`` when skdeep compiles a classifier), and the validation logs "
            "with a validation part.",
        ),
    }

    # ------------------------------------------------------------------ routed parameters
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Parameters of the estimator, the routed ``model__*`` ones included."""
        return {**super().get_params(deep=deep), **getattr(self, "_model_params", {})}

    def set_params(self, **params):
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
        params = super()._saved_params()
        return {k: v for k, v in params.items() if k != "model" and k not in self._model_params}

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
        for name in self._model_params:
            if name in _SCIKERAS_PARAMETERS and (accepted is None or name not in accepted):
                raise ParameterError(
                    f"{name} is a scikeras parameter; skdeep passes it to the model function "
                    f"only if it takes one. Expected instead: {_SCIKERAS_PARAMETERS[name]}. "
                    f"Received: {name}={describe(self._model_params[name])}"
                )
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
            "input_shape": tuple(input_shape),
            "X_shape_": (None, *input_shape),
            "X_dtype_": np.dtype("float32"),
            "n_outputs_expected_": 1,
            "feature_names_in_": getattr(self, "feature_names_in_", None),
            **self._target_meta(),
        }

    def _compile_kwargs(self) -> dict[str, Any]:
        return {
            "optimizer": self._optimizer_spec().build(),
            "loss": self._default_loss(self._target_meta()["n_outputs"]),
            "metrics": list(self._metrics),
            "steps_per_execution": STEPS_PER_EXECUTION,
        }

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
        return (identity, tuple(sorted(self._output().items())), tuple(params), repr(self.loss))

    def _loss(self, head):
        return self._default_loss(head.n_outputs)

    def _compile(self, model: keras.Model, head, steps: int = STEPS_PER_EXECUTION) -> None:
        if not model.compiled:
            super()._compile(model, head, steps)
            return
        if self.loss != inspect.signature(type(self)).parameters["loss"].default:
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


def output_shape(model: keras.Model) -> tuple | None:
    """The output shape of a single-output network (None for several outputs)."""
    shape = model.output_shape
    return None if isinstance(shape, list) else tuple(shape)


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
