"""Which fitted attributes a saved estimator may set, what each must look like, and how each
is checked against the Keras model.

A spec (:class:`FittedSpec`) lists the allowed attributes, each with a check that receives the
decoded value and all the decoded attributes (so lengths can be compared) and returns the
value to set. Keys a spec does not list are refused: a file can never set ``predict_proba`` or
``model_``. Model checks compare the attributes with the loaded network, e.g. that
``classes_`` has one entry per output unit. ``classes_`` is what ``np.unique`` returned at fit
time, so it must be strictly increasing: a reordered (e.g. reversed) ``classes_``, which would
swap every predicted label, is refused.

Specs are found by class name along the estimator's MRO (:func:`spec_for`), so a new
estimator inherits its base class's spec; add an entry to :data:`SPECS` for extra attributes:
``SPECS["MyClassifier"] = CLASSIFIER.extend(fields={"n_outputs_": Field(positive_int)})``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._errors import Refused, received
from ._values import is_finite_or_nan

__all__ = ["CLASSIFIER", "COMMON", "REGRESSOR", "SPECS", "Field", "FittedSpec", "spec_for"]

Check = Callable[[Any, Mapping[str, Any]], Any]
ModelCheck = Callable[[Mapping[str, Any], Any], None]


@dataclass(frozen=True)
class Field:
    """One allowed fitted attribute: ``check(value, fitted) -> value`` raises :class:`Refused`."""

    check: Check
    required: bool = True


@dataclass(frozen=True)
class FittedSpec:
    """The fitted attributes of an estimator family and the checks against its model."""

    fields: Mapping[str, Field]
    model_checks: tuple[ModelCheck, ...] = ()
    #: fills in attributes that format version 1 did not store: ``(params, fitted) -> dict``
    legacy: Callable[[Mapping[str, Any], dict], dict] | None = field(default=None)

    def extend(
        self,
        *,
        fields: Mapping[str, Field] | None = None,
        model_checks: tuple[ModelCheck, ...] | None = None,
        legacy: Callable[[Mapping[str, Any], dict], dict] | None = None,
    ) -> FittedSpec:
        """A spec with more fields, other model checks (replacing these) or a legacy hook."""
        return FittedSpec(
            {**self.fields, **(fields or {})},
            self.model_checks if model_checks is None else model_checks,
            legacy or self.legacy,
        )

    def check(self, fitted: Mapping[str, Any]) -> dict[str, Any]:
        """The checked attributes; :class:`Refused` for unknown, missing or invalid ones."""
        unknown = sorted(set(fitted) - set(self.fields))
        if unknown:
            raise Refused(
                "The file sets fitted attributes this estimator does not have",
                f"some of {sorted(self.fields)}",
                f"fitted={unknown}",
            )
        missing = sorted(k for k, f in self.fields.items() if f.required and k not in fitted)
        if missing:
            raise Refused(
                "The file lacks fitted attributes",
                f"all of {sorted(k for k, f in self.fields.items() if f.required)}",
                f"missing {missing}",
            )
        return {k: self.fields[k].check(v, fitted) for k, v in fitted.items()}

    def check_model(self, fitted: Mapping[str, Any], model: Any) -> None:
        """Compare the attributes with the loaded Keras ``model``."""
        for check in self.model_checks:
            check(fitted, model)


# ---------------------------------------------------------------------------- value checks
def _invalid(name: str, expected: str, value: Any) -> Refused:
    """The refusal of fitted attribute ``name``: what was expected, and what the file holds."""
    return Refused(f"Fitted attribute {name} is invalid", expected, received(name, value))


def _int(value: Any, name: str, low: int, high: float = math.inf) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        bounds = f"an integer >= {low}" + ("" if high == math.inf else f" and <= {high}")
        raise _invalid(name, bounds, value)
    return value


def positive_int(name: str) -> Check:
    """A check for an integer >= 1."""
    return lambda value, fitted: _int(value, name, 1)


def _classes(value: Any, fitted: Mapping[str, Any]) -> np.ndarray:
    if not isinstance(value, np.ndarray) or value.ndim != 1 or len(value) < 2:
        raise _invalid("classes_", "a 1-D array of at least 2 labels", value)
    if value.dtype.kind == "f" and not np.isfinite(value).all():
        raise Refused("classes_ holds NaN or inf", "finite labels", received("classes_", value))
    try:
        ordered = np.array_equal(np.unique(value), value)
    except TypeError:  # labels of mixed types cannot be ordered
        ordered = False
    if not ordered:
        raise Refused(
            "Fitted attribute classes_ is not sorted and unique (labels would be swapped)",
            "the sorted unique labels fit() found",
            received("classes_", value.tolist()),
        )
    return value


def _n_classes(value: Any, fitted: Mapping[str, Any]) -> int:
    n = len(fitted.get("classes_", ()))
    return _int(value, "n_classes_", n, n)


def _n_features(value: Any, fitted: Mapping[str, Any]) -> int:
    return _int(value, "n_features_in_", 1)


def _feature_names(value: Any, fitted: Mapping[str, Any]) -> np.ndarray:
    n = fitted.get("n_features_in_")
    if (
        not isinstance(value, np.ndarray)
        or value.dtype != object
        or value.ndim != 1
        or len(value) != n
        or not all(isinstance(v, str) for v in value)
    ):
        raise _invalid(
            "feature_names_in_", f"an object array of n_features_in_={n!r} strings", value
        )
    return value


def _n_epochs(value: Any, fitted: Mapping[str, Any]) -> int:
    return _int(value, "n_epochs_", 1)


def _best_epoch(value: Any, fitted: Mapping[str, Any]) -> int | None:
    n = fitted.get("n_epochs_")
    return None if value is None else _int(value, "best_epoch_", 1, n if isinstance(n, int) else 0)


def _history(value: Any, fitted: Mapping[str, Any]) -> dict[str, list[float]]:
    n = fitted.get("n_epochs_")
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise _invalid("history_", "a dict of metric name -> list of floats", value)
    out = {}
    for key, values in value.items():
        if (
            not isinstance(values, list)
            or not all(is_finite_or_nan(v) for v in values)
            or not isinstance(n, int)
            or len(values) > n
        ):
            raise _invalid(
                f"history_[{key!r}]",
                f"a list of at most n_epochs_={n!r} finite (or NaN) floats",
                values,
            )
        out[key] = [float(v) for v in values]
    return out


def _class_weight(value: Any, fitted: Mapping[str, Any]) -> dict | None:
    if value is None:
        return None
    labels = set(np.asarray(fitted.get("classes_", [])).tolist())
    if not isinstance(value, dict) or not all(
        k in labels and is_finite_or_nan(w) and w >= 0 for k, w in value.items()
    ):
        raise _invalid(
            "class_weight_",
            f"None or {{label in classes_: finite weight >= 0}}; labels {sorted(labels, key=str)}",
            value,
        )
    return value


def _image_shape(value: Any, fitted: Mapping[str, Any]) -> tuple[int, ...]:
    n = fitted.get("n_features_in_")
    if (
        not isinstance(value, tuple)
        or len(value) != 3
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
        or math.prod(value) != n
    ):
        raise _invalid(
            "image_shape_",
            f"(height, width, channels) with n_features_in_={n!r} values in all",
            value,
        )
    return value


def _n_fine_tune_epochs(value: Any, fitted: Mapping[str, Any]) -> int:
    n = fitted.get("n_epochs_")
    return _int(value, "n_fine_tune_epochs_", 0, n if isinstance(n, int) else 0)


# ---------------------------------------------------------------------------- model checks
def _single(shapes: Any, what: str) -> tuple:
    if not isinstance(shapes, tuple) or (shapes and isinstance(shapes[0], tuple | list)):
        raise Refused(
            f"The saved network has several {what}s", f"one {what}", f"{what} shapes {shapes}"
        )
    return tuple(shapes)


def output_units(fitted: Mapping[str, Any], model: Any) -> None:
    """One sigmoid unit for 2 classes, else one unit per class."""
    shape = _single(model.output_shape, "output")
    n = fitted["n_classes_"]
    if shape[-1:] != ((1 if n == 2 else n),):
        raise Refused(
            "The saved network's outputs do not match classes_",
            f"{1 if n == 2 else n} output unit(s) for n_classes_={n}",
            f"output shape {shape}",
        )


def _exact_input(model: Any, expected: tuple, attribute: str, shown: str) -> None:
    """Refuse a network whose input is not ``(batch, *expected)``; ``shown`` is how the
    message writes ``expected`` (from the fitted ``attribute``)."""
    shape = _single(model.input_shape, "input")
    if shape[1:] != expected:
        raise Refused(
            f"The saved network's input does not match {attribute}",
            f"input shape (None, {shown})",
            f"input shape {shape}",
        )


def flat_input(fitted: Mapping[str, Any], model: Any) -> None:
    """Input of shape (batch, n_features_in_)."""
    n = fitted["n_features_in_"]
    _exact_input(model, (n,), "n_features_in_", f"{n}")


def image_input(fitted: Mapping[str, Any], model: Any) -> None:
    """Input of shape (batch, *image_shape_)."""
    shape = fitted["image_shape_"]
    _exact_input(model, tuple(shape), "image_shape_", f"*{shape}")


def any_rank_input(fitted: Mapping[str, Any], model: Any) -> None:
    """Input of shape (batch, n_features_in_, ...): tables, images or sequences."""
    shape = _single(model.input_shape, "input")
    if len(shape) < 2 or shape[1] not in (None, fitted["n_features_in_"]):
        raise Refused(
            "The saved network's input does not match n_features_in_",
            f"input shape (None, {fitted['n_features_in_']}, ...)",
            f"input shape {shape}",
        )


def user_output_units(fitted: Mapping[str, Any], model: Any) -> None:
    """A user's network: one sigmoid or two softmax units for 2 classes, else one per class."""
    shape = _single(model.output_shape, "output")
    n = fitted["n_classes_"]
    accepted = (1, 2) if n == 2 else (n,)
    if len(shape) != 2 or shape[-1] not in accepted:
        raise Refused(
            "The saved network's outputs do not match classes_",
            f"{' or '.join(map(str, accepted))} output units for n_classes_={n}",
            f"output shape {shape}",
        )


def _y_ndim(value: Any, fitted: Mapping[str, Any]) -> int:
    return _int(value, "y_ndim_", 1, 2)


def _target_stat(name: str, positive: bool) -> Check:
    """None, or one finite value per target column (scales > 0)."""

    def check(value: Any, fitted: Mapping[str, Any]) -> np.ndarray | None:
        n = fitted.get("n_outputs_")
        if value is None:
            return None
        if (
            not isinstance(value, np.ndarray)
            or value.dtype.kind != "f"
            or value.shape != (n,)
            or not np.isfinite(value).all()
            or (positive and not (value > 0).all())
        ):
            raise _invalid(
                name,
                f"None or {n} finite {'positive ' if positive else ''}floats (one per output)",
                value,
            )
        return value

    return check


def regression_outputs(fitted: Mapping[str, Any], model: Any) -> None:
    """One linear output per target column."""
    shape = _single(model.output_shape, "output")
    n = fitted["n_outputs_"]
    if len(shape) != 2 or shape[-1] != n:
        raise Refused(
            "The saved network's outputs do not match n_outputs_",
            f"output shape (None, {n})",
            f"output shape {shape}",
        )


def _transfer_v1(params: Mapping[str, Any], fitted: dict) -> dict:
    """Version-1 files did not store ``n_fine_tune_epochs_``: 0 when fine-tuning was off,
    else the configured ``fine_tune_epochs`` (an upper bound when early stopping cut it)."""
    if "n_fine_tune_epochs_" not in fitted and isinstance(fitted.get("n_epochs_"), int):
        tuned = params.get("fine_tune_epochs", 0) and params.get("trainable_layers", 0)
        epochs = params.get("fine_tune_epochs", 0) if tuned else 0
        fitted["n_fine_tune_epochs_"] = min(epochs, fitted["n_epochs_"] - 1) if epochs else 0
    return fitted


#: attributes of every skdeep estimator
COMMON = FittedSpec(
    {
        "n_features_in_": Field(_n_features),
        "feature_names_in_": Field(_feature_names, required=False),
        "n_epochs_": Field(_n_epochs),
        "history_": Field(_history),
        "best_epoch_": Field(_best_epoch),
    },
    (flat_input,),
)
#: attributes of every skdeep classifier
CLASSIFIER = COMMON.extend(
    fields={
        "classes_": Field(_classes),
        "n_classes_": Field(_n_classes),
        "class_weight_": Field(_class_weight),
    },
    model_checks=(flat_input, output_units),
)
#: attributes of every skdeep regressor
REGRESSOR = COMMON.extend(
    fields={
        "n_outputs_": Field(positive_int("n_outputs_")),
        "y_ndim_": Field(_y_ndim),
        "target_mean_": Field(_target_stat("target_mean_", positive=False)),
        "target_scale_": Field(_target_stat("target_scale_", positive=True)),
    },
    model_checks=(flat_input, regression_outputs),
)
_IMAGE = CLASSIFIER.extend(
    fields={"image_shape_": Field(_image_shape)}, model_checks=(image_input, output_units)
)

#: class name -> spec; looked up along the MRO by :func:`spec_for`
SPECS: dict[str, FittedSpec] = {
    "SkdeepRegressor": REGRESSOR,
    "CNNRegressor": REGRESSOR.extend(
        fields={"image_shape_": Field(_image_shape)}, model_checks=(image_input, regression_outputs)
    ),
    "KerasRegressor": REGRESSOR.extend(model_checks=(any_rank_input, regression_outputs)),
    "SkdeepClassifier": CLASSIFIER,
    "ANNClassifier": CLASSIFIER,
    "CNNClassifier": _IMAGE,
    "KerasClassifier": CLASSIFIER.extend(model_checks=(any_rank_input, user_output_units)),
    "TransferClassifier": _IMAGE.extend(
        fields={"n_fine_tune_epochs_": Field(_n_fine_tune_epochs)}, legacy=_transfer_v1
    ),
}


def spec_for(cls: type) -> FittedSpec:
    """The spec of ``cls``: that of the first class in its MRO named in :data:`SPECS`.

    Examples
    --------
    >>> from skdeep import CNNClassifier
    >>> "image_shape_" in spec_for(CNNClassifier).fields
    True
    """
    for klass in cls.__mro__:
        if klass.__name__ in SPECS:
            return SPECS[klass.__name__]
    raise Refused(
        f"No saved-file spec for {cls.__name__}",
        f"a class derived from one of {sorted(SPECS)}",
        f"class={cls.__name__}",
    )
