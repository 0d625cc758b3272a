"""The documentation of the training parameters every skdeep estimator shares, in one place.

Each estimator writes its parameters out in its signature (scikit-learn's rule) and marks the
place of the shared ones in its docstring with the line ``<training parameters>`` (and
``<augmentation parameters>`` for the image families);
:func:`document_training_parameters` replaces it with one numpydoc entry per parameter, type and
default read from the class's own signature, so that ``help(ANNClassifier)`` shows each one.
A family may reword an entry through ``_training_parameter_docs``.
"""

from __future__ import annotations

import inspect

from ..builders.augmentation import AUGMENTATIONS

__all__ = ["MARKERS", "TRAINING_PARAMETERS", "document_training_parameters"]

#: name -> (numpydoc type, description); the order is the documentation order.
TRAINING_PARAMETERS: dict[str, tuple[str, str]] = {
    "optimizer": (
        '{"adam", "sgd", "rmsprop", "nadam", "adamw", "adagrad", "adamax"} or '
        "keras.optimizers.Optimizer",
        "Optimizer name, or an optimizer instance (copied through its config at every fit).",
    ),
    "learning_rate": (
        "float",
        "Step size. Overrides the learning rate of an optimizer instance.",
    ),
    "momentum": (
        "float",
        'Momentum of "sgd" and "rmsprop" (ignored, with a warning, by other optimizers).',
    ),
    "clipnorm": ("float or None", "Gradient clipping by the norm of each weight's gradient."),
    "clipvalue": ("float or None", "Gradient clipping by value."),
    "batch_size": ("int", "Samples per gradient step."),
    "epochs": ("int", "Maximum number of passes over the training data."),
    "early_stopping": (
        "bool",
        "Hold out ``validation_fraction`` of the training data (stratified, shuffled, seeded) "
        "and stop when the validation loss has not improved for ``patience`` epochs; the best "
        "weights are restored.",
    ),
    "patience": ("int", "Epochs without improvement of the validation loss before stopping."),
    "validation_fraction": (
        "float",
        "Fraction of the data passed to ``fit`` held out for early stopping.",
    ),
    "class_weight": (
        'None, "balanced" or dict',
        'Per-class loss weights. "balanced" is computed on the training part of the data only.',
    ),
    "sampler": (
        "imblearn sampler or None",
        "Resampler (e.g. ``SMOTE()``) applied inside ``fit`` to the training part only, after "
        "the early-stopping split, so validation data are never synthetic.",
    ),
    "warm_start": (
        "bool",
        "When True, ``fit`` on a fitted estimator continues training the same network for "
        "``epochs`` more epochs instead of starting from new weights.",
    ),
    "random_state": (
        "int, RandomState instance or None",
        "Seeds weight initialisation, dropout, shuffling and the inner split. With the same "
        "value, two CPU fits give identical predictions.",
    ),
    "verbose": ("int", "0 silent, 1 progress bar, 2 one line per epoch."),
}


def _default(value) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _entry(name: str, type_: str, text: str, default) -> str:
    lines = [f"    {name} : {type_}, default={_default(default)}"]
    words, line = text.split(), "       "
    for word in words:
        if len(line) + len(word) + 1 > 92:
            lines.append(line)
            line = "       "
        line += " " + word
    lines.append(line)
    return "\n".join(lines)


#: Docstring marker line -> the parameters documented in its place.
MARKERS: dict[str, dict[str, tuple[str, str]]] = {
    "<training parameters>": TRAINING_PARAMETERS,
    "<augmentation parameters>": {
        name: (spec.type_doc, spec.doc) for name, spec in AUGMENTATIONS.items()
    },
}


def document_training_parameters(cls: type) -> type:
    """Replace the marker lines of ``cls.__doc__`` with the shared parameters it takes."""
    doc = cls.__doc__ or ""
    signature = inspect.signature(cls.__init__).parameters
    overrides = getattr(cls, "_training_parameter_docs", {})
    for marker, table in MARKERS.items():
        line = f"    {marker}\n"
        if line not in doc:
            continue
        entries = [
            _entry(name, type_, overrides.get(name, text), signature[name].default)
            for name, (type_, text) in table.items()
            if name in signature
        ]
        doc = doc.replace(line, "\n".join(entries) + "\n")
    cls.__doc__ = doc
    return cls
