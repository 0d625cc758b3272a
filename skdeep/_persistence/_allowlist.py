"""The only objects a saved file may ask for: imbalanced-learn samplers and Keras optimizers.

A file names a sampler as ``"module:qualname"``. Nothing named in a file is imported: the name
is looked up in a table built from imbalanced-learn's public sampler modules (classes defined
in ``imblearn``, subclasses of its ``BaseSampler`` with ``fit_resample``; ``FunctionSampler``,
which exists to run arbitrary functions, is left out). The sampler is then built by calling
that class with its parameters, which are plain JSON values checked against the class's own
``_parameter_constraints`` first; the only objects allowed among them are other allowlisted
samplers (``SMOTEENN(smote=SMOTE(...))``). An optimizer is built by ``from_config`` of a
built-in Keras optimizer class named in the file, with a config of plain values (its
``learning_rate`` may be a built-in Keras learning-rate schedule, itself built by ``from_config``
of a class named in the file with plain values), and must come out as a
``keras.optimizers.Optimizer``.
"""

from __future__ import annotations

import importlib
import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import keras

from ._errors import Refused
from ._params import check_constraints, check_param_names

__all__ = [
    "OptimizerRef",
    "SamplerRef",
    "optimizer_classes",
    "optimizer_ref",
    "sampler_classes",
    "schedule_classes",
    "sampler_ref",
]

_SAMPLER_MODULES = ("imblearn.over_sampling", "imblearn.under_sampling", "imblearn.combine")
#: how deep samplers may nest (SMOTEENN(smote=SMOTE()) is depth 1)
MAX_SAMPLER_DEPTH = 2
_SCALARS = (type(None), bool, int, float, str)


@cache
def sampler_classes() -> dict[str, tuple[type, str]]:
    """``"module:qualname"`` -> (class, public name) of every allowed imbalanced-learn sampler.

    Examples
    --------
    >>> cls, public = sampler_classes()["imblearn.over_sampling._smote.base:SMOTE"]
    >>> public
    'imblearn.over_sampling.SMOTE'
    """
    try:
        from imblearn.base import BaseSampler
    except ImportError:  # imbalanced-learn is a dependency, but may have been removed
        return {}
    table: dict[str, tuple[type, str]] = {}
    for module_name in _SAMPLER_MODULES:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            cls = getattr(module, name, None)
            if (
                isinstance(cls, type)
                and issubclass(cls, BaseSampler)
                and cls.__module__.split(".")[0] == "imblearn"
                and callable(getattr(cls, "fit_resample", None))
            ):
                table[f"{cls.__module__}:{cls.__qualname__}"] = (cls, f"{module_name}.{name}")
    return table


@cache
def optimizer_classes() -> dict[str, type]:
    """Class name -> class of every built-in Keras optimizer a file may name.

    ``LossScaleOptimizer`` (which wraps another optimizer object) is left out.

    Examples
    --------
    >>> optimizer_classes()["SGD"].__name__
    'SGD'
    """
    base = keras.optimizers.Optimizer
    return {
        name: obj
        for name in dir(keras.optimizers)
        if isinstance(obj := getattr(keras.optimizers, name), type)
        and issubclass(obj, base)
        and obj is not base
        and name == obj.__name__
        and name != "LossScaleOptimizer"
    }


@cache
def schedule_classes() -> dict[str, type]:
    """Class name -> class of every built-in Keras learning-rate schedule a file may name.

    Examples
    --------
    >>> schedule_classes()["ExponentialDecay"].__name__
    'ExponentialDecay'
    """
    base = keras.optimizers.schedules.LearningRateSchedule
    module = keras.optimizers.schedules
    return {
        name: obj
        for name in dir(module)
        if isinstance(obj := getattr(module, name), type)
        and issubclass(obj, base)
        and obj is not base
        and name == obj.__name__
    }


@dataclass(frozen=True)
class SamplerRef:
    """An allowed sampler class and checked plain parameters; nothing is built until
    :meth:`build`."""

    key: str
    cls: type = field(repr=False)
    public_name: str
    params: dict[str, Any]

    def build(self) -> Any:
        """The sampler: ``cls(**params)``, nested samplers built (and all checked) first."""
        params = {k: _build(v) for k, v in self.params.items()}
        check_constraints(
            self.cls, params, caller=self.public_name, what="sampler has an invalid parameter"
        )
        return self.cls(**params)

    def describe(self) -> dict[str, Any]:
        """Class and parameters as plain values (for :func:`skdeep.audit`)."""
        return {
            "class": self.public_name,
            "params": {k: _describe(v) for k, v in self.params.items()},
        }


@dataclass(frozen=True)
class OptimizerRef:
    """A built-in Keras optimizer class and its checked config; built by :meth:`build`."""

    class_name: str
    config: dict[str, Any]

    def build(self) -> keras.optimizers.Optimizer:
        """``cls.from_config(config)``, checked to give a Keras optimizer."""
        cls = optimizer_classes()[self.class_name]
        config = dict(self.config)
        try:
            if isinstance(config.get("learning_rate"), dict):  # checked by _schedule_entry
                entry = config["learning_rate"]
                schedule = schedule_classes()[entry["class_name"]]
                config["learning_rate"] = schedule.from_config(dict(entry["config"]))
            optimizer = cls.from_config(config)
        except (TypeError, ValueError, KeyError) as error:
            raise Refused(
                f"The optimizer's config does not fit keras.optimizers.{self.class_name}",
                f"the config {self.class_name}.get_config() returns",
                repr(error),
            ) from None
        if not isinstance(optimizer, keras.optimizers.Optimizer):
            raise Refused(
                "The optimizer entry did not give an optimizer",
                "a keras.optimizers.Optimizer",
                type(optimizer).__name__,
            )
        return optimizer

    def describe(self) -> dict[str, Any]:
        """Class and config as plain values (for :func:`skdeep.audit`)."""
        return {"class": f"keras.optimizers.{self.class_name}", "config": dict(self.config)}


def _build(value: Any) -> Any:
    return value.build() if isinstance(value, SamplerRef | OptimizerRef) else value


def _describe(value: Any) -> Any:
    return value.describe() if isinstance(value, SamplerRef | OptimizerRef) else value


def sampler_ref(key: Any, params: dict[str, Any], where: str) -> SamplerRef:
    """Check a sampler named ``key`` with decoded ``params`` without building it."""
    table = sampler_classes()
    if not isinstance(key, str) or key not in table:
        raise Refused(
            f"{where} is not an allowed sampler class",
            "one of imbalanced-learn's sampler classes, e.g. 'imblearn.over_sampling.SMOTE' "
            f"({len(table)} allowed)",
            f"{where}={key!r}",
        )
    cls, public_name = table[key]
    check_param_names(
        cls, params, f"{where} has parameters {public_name} does not take", f"{where}.params="
    )
    plain = {k: v for k, v in params.items() if not isinstance(v, SamplerRef)}
    check_constraints(cls, plain, caller=public_name, what=f"{where} has an invalid parameter")
    return SamplerRef(key, cls, public_name, dict(params))


def _plain_config_value(value: Any) -> bool:
    if isinstance(value, list):
        return all(isinstance(v, _SCALARS) for v in value)
    if isinstance(value, float):
        return not math.isinf(value)
    return isinstance(value, _SCALARS)


def optimizer_ref(entry: Any, where: str) -> OptimizerRef:
    """Check a serialised Keras optimizer (``keras.optimizers.serialize`` form)."""
    expected = "{'module': 'keras.optimizers', 'class_name': ..., 'config': {...}}"
    if not isinstance(entry, dict) or set(entry) - {
        "module",
        "class_name",
        "config",
        "registered_name",
    }:
        raise Refused(
            f"{where} is not a serialised Keras optimizer", expected, f"{where}={entry!r}"
        )
    name, config = entry.get("class_name"), entry.get("config")
    if entry.get("module") != "keras.optimizers" or entry.get("registered_name") is not None:
        raise Refused(
            f"{where} is not a built-in Keras optimizer",
            "module 'keras.optimizers' and no registered name",
            f"module={entry.get('module')!r}, registered_name={entry.get('registered_name')!r}",
        )
    if not isinstance(name, str) or name not in optimizer_classes():
        raise Refused(
            f"{where} names a class that is not a Keras optimizer",
            f"one of {sorted(optimizer_classes())}",
            f"class_name={name!r}",
        )
    if not isinstance(config, dict) or not all(isinstance(k, str) for k in config):
        raise Refused(f"{where} has no config", "a JSON object", f"config={config!r}")
    for key, value in config.items():
        if key == "learning_rate" and isinstance(value, dict):
            _schedule_entry(value, f"{where}.learning_rate")
        elif not _plain_config_value(value):
            raise Refused(
                f"{where} has a config value that is not a plain number or string",
                "numbers, strings, booleans or null",
                f"config[{key!r}]={value!r}",
            )
    return OptimizerRef(name, dict(config))


def _schedule_entry(entry: dict, where: str) -> None:
    """Check a serialised built-in learning-rate schedule (plain config values only)."""
    if set(entry) - {"module", "class_name", "config", "registered_name"} or (
        entry.get("module") != "keras.optimizers.schedules"
        or entry.get("registered_name") is not None
    ):
        raise Refused(
            f"{where} is not a built-in Keras learning-rate schedule",
            "module 'keras.optimizers.schedules' and no registered name",
            f"{where}={entry!r}",
        )
    name, config = entry.get("class_name"), entry.get("config")
    if not isinstance(name, str) or name not in schedule_classes():
        raise Refused(
            f"{where} names a class that is not a Keras learning-rate schedule",
            f"one of {sorted(schedule_classes())}",
            f"class_name={name!r}",
        )
    if not isinstance(config, dict) or not all(
        isinstance(k, str) and _plain_config_value(v) for k, v in config.items()
    ):
        raise Refused(
            f"{where} has a config that is not plain values",
            "numbers, strings, booleans, null or lists of them",
            f"config={config!r}",
        )
