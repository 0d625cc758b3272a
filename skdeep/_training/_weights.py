"""Class weights and resampling, computed on the training part of a fit only."""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
from sklearn.base import clone

from ..exceptions import ParameterError, describe
from ._data import plain

__all__ = ["class_weight_vector", "resample", "resolve_class_weight"]


def resolve_class_weight(class_weight, y_enc: np.ndarray, classes: np.ndarray) -> dict | None:
    """``class_weight`` (None, "balanced" or a dict) as ``{label: weight}`` for every class.

    "balanced" is ``n_samples / (n_present_classes * count)`` over ``y_enc`` (the training
    part): a class absent from it gets weight 0.

    Examples
    --------
    >>> import numpy as np
    >>> resolve_class_weight("balanced", np.array([0, 0, 0, 1]), np.array(["a", "b"]))
    {'a': 0.6666666666666666, 'b': 2.0}
    """
    if class_weight is None:
        return None
    labels = classes.tolist()
    if isinstance(class_weight, str):  # "balanced"
        counts = np.bincount(y_enc, minlength=len(labels)).astype(float)
        present = counts > 0
        weights = np.zeros(len(labels))
        weights[present] = len(y_enc) / (present.sum() * counts[present])
        return {label: float(w) for label, w in zip(labels, weights)}
    known = set(labels)
    unknown = [k for k in class_weight if plain(k) not in known]
    if unknown:
        raise ParameterError(
            "class_weight has labels that are not classes of y. Expected keys among "
            f"{sorted(known, key=str)}. Received: class_weight={describe(class_weight)}"
        )
    resolved = {label: 1.0 for label in labels}
    for k, w in class_weight.items():
        if not (isinstance(w, Real) and w >= 0 and math.isfinite(w)):
            raise ParameterError(
                "class_weight values must be finite non-negative numbers. "
                f"Received: class_weight[{k!r}]={w!r}"
            )
        resolved[plain(k)] = float(w)
    return resolved


def class_weight_vector(
    resolved: dict | None, classes: np.ndarray, y_enc: np.ndarray, sample_weight
) -> np.ndarray | None:
    """Per-sample weights: the class weight of each label times its sample weight."""
    if resolved is None:
        return sample_weight
    per_class = np.array([resolved[c] for c in classes.tolist()], np.float32)
    weights = per_class[y_enc]
    return weights if sample_weight is None else weights * sample_weight


def resample(sampler, X: np.ndarray, y: np.ndarray, w: np.ndarray | None, seed: int | None):
    """Apply a clone of ``sampler`` to the training part ``(X, y, w)`` of any rank.

    Samples are flattened for the sampler and reshaped back; sample weights follow the
    sampler's ``sample_indices_`` (a sampler that synthesises samples has none, and cannot be
    combined with sample weights). An unseeded sampler gets the fit's seed.
    """
    given, sampler = sampler, clone(sampler)
    params = sampler.get_params()
    if seed is not None and "random_state" in params and params["random_state"] is None:
        sampler.set_params(random_state=seed)
    shape = X.shape[1:]
    X_res, y_res = sampler.fit_resample(X.reshape(len(X), -1), y)
    if w is not None:
        indices = getattr(sampler, "sample_indices_", None)
        if indices is None:
            raise ParameterError(
                "sample_weight cannot be combined with a sampler that creates synthetic "
                "samples. Expected a sampler exposing sample_indices_ (e.g. "
                f"RandomUnderSampler). Received: sampler={describe(given)}"
            )
        w = w[indices]
    X_res = np.asarray(X_res, dtype=np.float32).reshape((len(X_res), *shape))
    return X_res, np.asarray(y_res), w
