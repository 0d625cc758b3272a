"""Parameters and fitted attributes as JSON, and back, with nothing but plain values allowed.

JSON alone cannot tell a tuple from a list or hold NumPy arrays and non-string dict keys, so a
few values are tagged (the same tags as format version 1)::

    {"__tuple__": [...]}                        a tuple
    {"__dict__": [[key, value], ...]}           a dict (keys: numbers, strings, booleans, null)
    {"__ndarray__": [...], "dtype": "<U3"}      a 1-D NumPy array (fitted attributes only)
    {"__keras_optimizer__": {...}}              a Keras optimizer (the ``optimizer`` parameter)
    {"__sampler__": "module:qualname", "params": {...}}
                                                an imbalanced-learn sampler (``sampler``)

Anything else that is a JSON object is refused. Decoding builds nothing but Python values and
NumPy arrays: samplers and optimizers come back as :class:`SamplerRef` / :class:`OptimizerRef`
(checked, not yet built). Arrays are limited in rank, dtype and bytes before they are created.
"""

from __future__ import annotations

import math
import re
from typing import Any

import keras
import numpy as np

from ..exceptions import ParameterError
from ._allowlist import MAX_SAMPLER_DEPTH, optimizer_ref, sampler_classes, sampler_ref
from ._errors import Refused

__all__ = ["decode", "encode", "is_finite_or_nan", "pairs"]

_SCALARS = (type(None), bool, int, float, str)
_MAX_DEPTH = 8
#: bytes a decoded array may take (the JSON holding it is limited separately)
MAX_ARRAY_BYTES = 64 << 20
_DTYPE = re.compile(r"[<>|=]?(b1|[iu][1248]|f[248]|U\d{1,6}|O)")
# the JSON values each dtype kind may be built from (booleans only for "b")
_ELEMENTS = {
    "b": bool,
    "i": int,
    "u": int,
    "f": (int, float),
    "U": str,
    "O": (str, int, float),
}


def encode(value: Any, where: str, *, sampler_depth: int = 0) -> Any:
    """The JSON form of a parameter or fitted attribute; :class:`ParameterError` if none."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, np.ndarray):
        return _encode_array(value, where)
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, f"{where}[{i}]") for i, v in enumerate(value)]}
    if isinstance(value, list):
        return [encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        return {
            "__dict__": [[_key(k, where), encode(v, f"{where}[{k!r}]")] for k, v in value.items()]
        }
    if isinstance(value, keras.optimizers.Optimizer):
        entry = keras.optimizers.serialize(value)
        optimizer_ref(entry, where)  # only what loading accepts
        return {"__keras_optimizer__": entry}
    if hasattr(value, "fit_resample") and hasattr(value, "get_params"):
        return _encode_sampler(value, where, sampler_depth)
    raise ParameterError(
        f"{where} cannot be saved without pickle. Expected numbers, strings, tuples, dicts, "
        "a Keras optimizer or an imbalanced-learn sampler. "
        f"Received: {where} of type {type(value).__name__}"
    )


def _key(key: Any, where: str) -> Any:
    key = key.item() if isinstance(key, np.generic) else key
    if not isinstance(key, _SCALARS):
        raise ParameterError(
            f"{where} has a dict key that cannot be saved. Expected numbers or strings. "
            f"Received: key of type {type(key).__name__}"
        )
    return key


def _encode_array(value: np.ndarray, where: str) -> dict[str, Any]:
    if value.ndim != 1 or not _DTYPE.fullmatch(value.dtype.str):
        raise ParameterError(
            f"{where} cannot be saved. Expected a 1-D array of numbers or strings. "
            f"Received: shape {value.shape}, dtype {value.dtype}"
        )
    items = value.tolist()
    if value.dtype.kind == "O" and not all(isinstance(v, _SCALARS) for v in items):
        raise ParameterError(
            f"{where} cannot be saved. Expected an object array of numbers or strings. "
            f"Received: {sorted({type(v).__name__ for v in items})}"
        )
    return {"__ndarray__": items, "dtype": value.dtype.str}


def _encode_sampler(value: Any, where: str, depth: int) -> dict[str, Any]:
    cls = type(value)
    key = f"{cls.__module__}:{cls.__qualname__}"
    if key not in sampler_classes() or depth >= MAX_SAMPLER_DEPTH:
        raise ParameterError(
            f"{where} cannot be saved without pickle: only imbalanced-learn's own samplers can "
            "be loaded back safely. Expected e.g. imblearn.over_sampling.SMOTE. "
            f"Received: {key}"
        )
    params = {
        name: encode(v, f"{where}.{name}", sampler_depth=depth + 1)
        for name, v in value.get_params(deep=False).items()
    }
    for name, v in params.items():
        if isinstance(v, dict) and set(v) & {"__keras_optimizer__", "__ndarray__"}:
            raise ParameterError(
                f"{where}.{name} cannot be saved. Expected a number, string or sampler. "
                "Received: an array or optimizer"
            )
    return {"__sampler__": key, "params": params}


def decode(
    value: Any,
    where: str,
    *,
    arrays: bool = False,
    optimizer: bool = False,
    sampler: int | None = None,
    depth: int = 0,
) -> Any:
    """The value the JSON ``value`` stands for; :class:`Refused` for anything not allowed.

    ``arrays`` allows NumPy arrays, ``optimizer`` a Keras optimizer (an :class:`OptimizerRef`),
    ``sampler`` (a nesting depth) an imbalanced-learn sampler (a :class:`SamplerRef`).
    """
    if isinstance(value, _SCALARS):
        return value
    if depth > _MAX_DEPTH:
        raise Refused(f"{where} is nested too deeply", f"at most {_MAX_DEPTH} levels", "more")
    if isinstance(value, list):
        return [decode(v, f"{where}[{i}]", depth=depth + 1) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        raise Refused(f"{where} is not a JSON value", "JSON", f"{type(value).__name__}")
    tags = set(value) & {
        "__tuple__",
        "__dict__",
        "__ndarray__",
        "__keras_optimizer__",
        "__sampler__",
    }
    tag = tags.pop() if len(tags) == 1 else None
    allowed = {
        "__tuple__": True,
        "__dict__": True,
        "__ndarray__": arrays,
        "__keras_optimizer__": optimizer,
        "__sampler__": sampler is not None,
    }
    if tag is None or not allowed[tag]:
        raise Refused(
            f"{where} holds an object that is not allowed here",
            "a number, string, list, tuple or dict"
            + (", an array" if arrays else "")
            + (", a Keras optimizer" if optimizer else "")
            + (", an imbalanced-learn sampler" if sampler is not None else ""),
            f"{where}={_short(value)}",
        )
    if tag == "__tuple__":
        items = _exact(value, {"__tuple__"}, list, where)
        return tuple(decode(v, f"{where}[{i}]", depth=depth + 1) for i, v in enumerate(items))
    if tag == "__dict__":
        return _decode_dict(_exact(value, {"__dict__"}, list, where), where, depth)
    if tag == "__ndarray__":
        return _decode_array(value, where)
    if tag == "__keras_optimizer__":
        return optimizer_ref(_exact(value, {"__keras_optimizer__"}, dict, where), where)
    return _decode_sampler(value, where, sampler or 0)


def _exact(value: dict, keys: set[str], kind: type, where: str) -> Any:
    (tag,) = keys
    if set(value) != keys or not isinstance(value[tag], kind):
        raise Refused(
            f"{where} is a malformed {tag} entry",
            f"{{{tag!r}: <{kind.__name__}>}} only",
            f"{where}={_short(value)}",
        )
    return value[tag]


def pairs(items: list, where: str) -> dict:
    """``[[key, value], ...]`` (values still JSON) -> dict."""
    out: dict = {}
    for i, pair in enumerate(items):
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], _SCALARS)):
            raise Refused(
                f"{where} has a malformed dict item",
                "[key, value] pairs with number or string keys",
                f"{where}[{i}]={_short(pair)}",
            )
        out[pair[0]] = pair[1]
    return out


def _decode_dict(items: list, where: str, depth: int) -> dict:
    return {
        k: decode(v, f"{where}[{k!r}]", depth=depth + 1) for k, v in pairs(items, where).items()
    }


def _decode_array(value: dict, where: str) -> np.ndarray:
    items, dtype = value.get("__ndarray__"), value.get("dtype")
    if set(value) != {"__ndarray__", "dtype"} or not isinstance(items, list):
        raise Refused(f"{where} is a malformed array", "__ndarray__ and dtype", _short(value))
    if not isinstance(dtype, str) or not _DTYPE.fullmatch(dtype):
        raise Refused(
            f"{where} has a dtype that is not allowed",
            "booleans, integers, floats, unicode strings or objects (strings)",
            f"dtype={dtype!r}",
        )
    dt = np.dtype(dtype)
    kind = _ELEMENTS[dt.kind]
    if not all(isinstance(v, kind) and (dt.kind == "b" or not isinstance(v, bool)) for v in items):
        raise Refused(
            f"{where} holds values that are not of its dtype",
            f"a flat list of {dt} values",
            f"{where}={_short(items)}",
        )
    if len(items) * max(dt.itemsize, 8) > MAX_ARRAY_BYTES:
        raise Refused(
            f"{where} is too large", f"at most {MAX_ARRAY_BYTES} bytes", f"{len(items)} x {dt}"
        )
    try:
        return np.array(items, dtype=dt)
    except (ValueError, TypeError, OverflowError) as error:
        raise Refused(
            f"{where} does not fit its dtype", f"values of dtype {dt}", repr(error)
        ) from None


def _decode_sampler(value: dict, where: str, depth: int):
    if set(value) != {"__sampler__", "params"}:
        raise Refused(
            f"{where} is a malformed sampler entry", "__sampler__ and params", _short(value)
        )
    if depth >= MAX_SAMPLER_DEPTH:
        raise Refused(f"{where} nests samplers too deeply", f"at most {MAX_SAMPLER_DEPTH}", "more")
    key, raw = value["__sampler__"], value["params"]
    sampler_ref(key, {}, where)  # the class first: nothing of an unknown one is decoded
    if isinstance(raw, dict) and set(raw) == {"__dict__"}:  # format version 1
        raw = pairs(_exact(raw, {"__dict__"}, list, where), where)
    if not isinstance(raw, dict) or not all(isinstance(k, str) for k in raw):
        raise Refused(f"{where}.params is not a JSON object", "name -> value", _short(raw))
    params = {
        name: decode(v, f"{where}.{name}", sampler=depth + 1, depth=1) for name, v in raw.items()
    }
    return sampler_ref(key, params, where)


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def is_finite_or_nan(value: Any) -> bool:
    """A float (or int) that is finite or NaN (history values)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and not math.isinf(value)
