"""The parameters and fitted attributes the estimators share: their documentation in one
place, and the checks between architecture knobs.

Each estimator's docstring marks the place of the shared parameters with the line
``<training parameters>`` (and ``<augmentation parameters>`` for the image families);
:func:`document_training_parameters` replaces it with one numpydoc entry per parameter, type and
default read from the class's own signature, so that ``help(ANNClassifier)`` shows each one.
A family may reword an entry through ``_training_parameter_docs``. The fitted attributes of the
task are documented the same way: a docstring without an ``Attributes`` section gets one after
``Parameters``, and a docstring that writes its own section marks the place of the shared
entries with ``<classifier attributes>`` or ``<regressor attributes>``; a family words its own
through ``_attribute_docs`` (or its docstring writes the entry itself).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from numbers import Real
from typing import Any

from sklearn.base import ClassifierMixin

from .._parameters import builder_keywords
from ..builders import ACTIVATIONS, INITIALIZERS
from ..builders.augmentation import AUGMENTATIONS
from ..utils._compat import Interval, StrOptions
from ..utils._warnings import warn_user

__all__ = [
    "BuilderFamily",
    "LAYER_CONSTRAINTS",
    "MARKERS",
    "TRAINING_PARAMETERS",
    "UNIT_CONSTRAINTS",
    "document_training_parameters",
]

#: name -> (numpydoc type, description); the order is the documentation order.
TRAINING_PARAMETERS: dict[str, tuple[str, str]] = {
    "optimizer": (
        '{"adam", "sgd", "rmsprop", "nadam", "adamw", "adagrad", "adamax"} or '
        "keras.optimizers.Optimizer",
        "Optimizer name, or an optimizer instance (copied through its config at every fit).",
    ),
    "learning_rate": (
        "float or None",
        "Step size (the starting rate of a schedule). None: 1e-3 for a named optimizer, the "
        "optimizer instance's own rate otherwise (a LearningRateSchedule it carries is kept). "
        "A number overrides the rate of an optimizer instance without a schedule.",
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
        "and stop when ``monitor`` has not improved for ``patience`` epochs; the weights of "
        "its best epoch are restored.",
    ),
    "patience": ("int", "Epochs without improvement of ``monitor`` before stopping."),
    "validation_fraction": (
        "float or None",
        "Fraction of the data passed to ``fit`` held out (stratified, shuffled, seeded) as a "
        "validation part, whose ``val_loss`` and ``val_accuracy`` are recorded in "
        "``history_`` every epoch. None: 0.1 with early stopping, nothing held out without. "
        "A number holds that fraction out in both cases, so a fixed-epoch fit also records "
        "its validation curve.",
    ),
    "monitor": (
        '{"val_loss", "val_accuracy", "val_auc", "val_f1", "val_recall", "val_precision", '
        '"val_specificity"}',
        "What early stopping watches on the validation part (lower is better for the loss, "
        "higher for the others; binary metrics score the second class, multiclass ones average "
        "over classes). It is recorded in ``history_`` too.",
    ),
    "min_delta": (
        "float",
        "Smallest change of ``monitor`` that counts as an improvement for early stopping.",
    ),
    "lr_schedule": (
        '{"constant", "exponential", "step", "cosine", "plateau"}',
        "How the learning rate changes over the epochs: ``learning_rate * lr_decay ** epoch`` "
        "(exponential), times ``lr_decay`` every ``lr_decay_epochs`` (step), down to "
        "``learning_rate * lr_decay`` over ``epochs`` (cosine), times ``lr_decay`` after "
        "``lr_decay_epochs`` epochs without improvement of the validation loss (plateau). The "
        "rate of every epoch is recorded in ``history_['learning_rate']``.",
    ),
    "lr_decay": (
        "float in (0, 1] or None",
        "The factor of the schedule; None: 0.95 (exponential), 0.5 (step, plateau), 0.01 (cosine).",
    ),
    "lr_decay_epochs": (
        "int or None",
        "Epochs per step (step) or without improvement (plateau); None: 10 (step), 5 (plateau).",
    ),
    "warmup_epochs": (
        "int",
        "Epochs of linear warm-up, from ``learning_rate / (warmup_epochs + 1)`` to "
        "``learning_rate``, before the schedule starts; less than ``epochs``.",
    ),
    "callbacks": (
        "list of keras.callbacks.Callback or None",
        "Keras callbacks used in every fit, each fit with fresh copies (so clones, parallel "
        "workers and refits share no state); they see ``val_loss``/``val_accuracy`` whenever "
        "a validation part exists. ``{fit}`` in a callback's filename, filepath or log_dir is "
        "replaced by a name unique to each fit.",
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
    "memory": (
        "str, path, joblib.Memory or None",
        "A folder where every completed fit is stored (safe format, atomically); a later fit "
        "with the same parameters, data, seed and versions loads it instead of training, so "
        "a search, study or script that was killed resumes where it stopped, with the results "
        "of an uninterrupted run. Only fits with an integer ``random_state`` that do not "
        "continue a network are stored; callbacks do not run for a loaded fit.",
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
    """A parameter's numpydoc entry: name, type and default, then ``text`` wrapped."""
    return _attribute_entry(name, f"{type_}, default={_default(default)}", text)


def _attribute_entry(name: str, type_: str, text: str) -> str:
    """A numpydoc entry without a default (a fitted attribute): ``text`` wrapped."""
    lines = [f"    {name} : {type_}"]
    words, line = text.split(), "       "
    for word in words:
        if len(line) + len(word) + 1 > 92:
            lines.append(line)
            line = "       "
        line += " " + word
    lines.append(line)
    return "\n".join(lines)


#: The parameters of a regressor (``SkdeepRegressor``).
REGRESSION_PARAMETERS: dict[str, tuple[str, str]] = {
    "loss": (
        '{"mse", "mae", "huber", "log_cosh"}',
        "Training loss: mean squared or absolute error, Huber (quadratic within "
        "``huber_delta``, linear beyond: robust to outliers) or log-cosh.",
    ),
    "huber_delta": (
        "float",
        "Where the Huber loss turns from quadratic to linear, in the units the network learns "
        "(standard deviations of the target with ``scale_target``).",
    ),
    "scale_target": (
        "bool",
        "Standardise each target column with the mean and standard deviation of the training "
        "part of the fit (never the validation part nor a test fold) while training, and "
        "return predictions in the original units. Losses in ``history_`` are then in "
        "standardised units; ``val_mae``, ``val_rmse`` and ``val_r2`` in the target's units.",
    ),
}

#: Fitted attribute -> (numpydoc type, description).
_FITTED: dict[str, tuple[str, str]] = {
    "model_": ("keras.Model", "The trained network."),
    "classes_": (
        "ndarray of shape (n_classes,)",
        "Class labels, in the column order of ``predict_proba``.",
    ),
    "n_outputs_": ("int", "Target columns (one output unit each)."),
    "y_ndim_": ("int", "Dimensions of ``y`` in fit (1: ``predict`` returns a 1-D array)."),
    "target_mean_, target_scale_": (
        "ndarray of shape (n_outputs,) or None",
        "The target scaling, from the training part (None without ``scale_target``).",
    ),
    "n_features_in_": ("int", "Number of features (columns of X) seen in ``fit``."),
    "feature_names_in_": (
        "ndarray of str",
        "Column names, when X was a DataFrame with string column names.",
    ),
    "history_": (
        "dict of str to list of float",
        "Per-epoch ``loss``, ``learning_rate`` and ``accuracy`` (and ``val_loss``/"
        "``val_accuracy`` with a validation part, and what ``monitor`` watches).",
    ),
    "n_epochs_": (
        "int",
        "Epochs actually run (fewer than ``epochs`` when early stopping triggered).",
    ),
    "best_epoch_": ("int or None", "The epoch whose weights were restored (early stopping only)."),
    "class_weight_": (
        "dict or None",
        "Per-class weights used, resolved on the training part of the data.",
    ),
}


def _fitted(*names: str) -> dict[str, tuple[str, str]]:
    return {name: _FITTED[name] for name in names}


_COMMON = ("n_features_in_", "feature_names_in_")
_EPOCHS = ("n_epochs_", "best_epoch_")
#: Attribute marker line -> the fitted attributes documented in its place.
ATTRIBUTE_MARKERS: dict[str, dict[str, tuple[str, str]]] = {
    "<classifier attributes>": _fitted(
        "model_", "classes_", *_COMMON, "history_", *_EPOCHS, "class_weight_"
    ),
    "<regressor attributes>": _fitted(
        "model_",
        "n_outputs_",
        "y_ndim_",
        "target_mean_, target_scale_",
        *_COMMON,
        "history_",
        *_EPOCHS,
    )
    | {  # a regressor's wording of history_, in its place
        "history_": (
            "dict of str to list of float",
            "Per-epoch ``loss`` and ``learning_rate`` (and ``val_loss``, ``val_mae`` with a "
            "validation part).",
        )
    },
}

#: Docstring marker line -> the parameters documented in its place.
MARKERS: dict[str, dict[str, tuple[str, str]]] = {
    "<training parameters>": TRAINING_PARAMETERS,
    "<regression parameters>": REGRESSION_PARAMETERS,
    "<augmentation parameters>": {
        name: (spec.type_doc, spec.doc) for name, spec in AUGMENTATIONS.items()
    },
}


def _entries(doc: str, section: str = "Parameters") -> dict[str, str]:
    """The numpydoc entries of ``section`` in ``doc``: header names -> the entry's text."""
    start = doc.find(f"    {section}\n    {'-' * len(section)}\n")
    if start < 0:
        return {}
    entries: dict[str, list[str]] = {}
    current = None
    for line in doc[start:].splitlines()[2:]:
        if line.startswith("        ") and current is not None:
            entries[current].append(line)
        elif line.startswith("    ") and not line.startswith("     ") and " : " in line:
            current = line.split(" : ")[0].strip()
            entries[current] = [line]
        elif line.strip() == "" or not line.startswith("    "):
            break
        else:
            current = None
    return {name: "\n".join(lines) for name, lines in entries.items()}


def document_training_parameters(cls: type) -> type:
    """Replace the marker lines of ``cls.__doc__`` with the shared parameters it takes.

    ``<family parameters>`` copies the entries of ``cls._documented_like`` (a classifier of
    the same family) for the parameters ``cls`` takes too; a class with ``_documented_like``
    whose docstring has no ``Parameters`` section gets one of those, the regression and the
    training parameters. A docstring without ``Attributes`` gets the task's fitted attributes.
    """
    doc = cls.__doc__ or ""
    if hasattr(cls, "_documented_like"):
        doc = _with_section(doc, "Parameters", _FAMILY_REGRESSOR_PARAMETERS, after=None)
    signature = inspect.signature(cls.__init__).parameters
    overrides = getattr(cls, "_training_parameter_docs", {})
    family = "    <family parameters>\n"
    if family in doc:
        entries = _entries(cls._documented_like.__doc__ or "")
        kept = [
            text
            for header, text in entries.items()
            if all(name.strip(" *") in signature for name in header.split(","))
            and not any(name.strip() in TRAINING_PARAMETERS for name in header.split(","))
        ]
        doc = doc.replace(family, "\n".join(kept) + "\n")
    written = set(_entries(doc))  # entries the docstring writes itself
    for marker, table in MARKERS.items():
        line = f"    {marker}\n"
        if line not in doc:
            continue
        entries = [
            _entry(name, type_, overrides.get(name, text), signature[name].default)
            for name, (type_, text) in table.items()
            if name in signature and name not in written
        ]
        doc = doc.replace(line, "\n".join(entries) + "\n")
    task = "classifier" if issubclass(cls, ClassifierMixin) else "regressor"
    doc = _with_section(doc, "Attributes", f"    <{task} attributes>\n", after="Parameters")
    cls.__doc__ = _document_attributes(doc, getattr(cls, "_attribute_docs", {}))
    return cls


#: The parameters of a family's regressor that writes no ``Parameters`` section: those of its
#: classifier (``_documented_like``) that it takes too, then the regression and training ones.
_FAMILY_REGRESSOR_PARAMETERS = (
    "    <family parameters>\n    <regression parameters>\n    <training parameters>\n"
)
#: A numpydoc section header (``See Also``, ``Examples`` ...) after a blank line.
_SECTION = re.compile(r"\n\n(    [A-Z][A-Za-z ]+\n    -+\n)")


def _with_section(doc: str, name: str, body: str, after: str | None) -> str:
    """``doc`` with a section ``name`` holding ``body`` (marker lines) when it writes none of
    its own: before the first section, or right after section ``after``."""
    header = f"    {name}\n    {'-' * len(name)}\n"
    if header in doc:
        return doc
    start = doc.find(f"    {after}\n") + 1 if after else 0
    following = _SECTION.search(doc, start)
    if following is None:
        return doc.rstrip() + "\n\n" + header + body
    at = following.start(1)
    return doc[:at] + header + body + "\n" + doc[at:]


def _document_attributes(doc: str, family: dict[str, tuple[str, str]]) -> str:
    """Replace an attribute marker with its table's entries, in the table's order. A family's
    own entries (``_attribute_docs``: name -> (type, text)) come first where the table has no
    such attribute and replace the table's otherwise; so does an entry the docstring writes."""
    for marker, table in ATTRIBUTE_MARKERS.items():
        line = f"    {marker}\n"
        if line not in doc:
            continue
        written = _entries(doc, "Attributes")
        extra = {n: spec for n, spec in family.items() if n not in table and n not in written}
        entries = [_attribute_entry(name, *spec) for name, spec in extra.items()]
        for name, spec in table.items():
            if name in written:
                doc = doc.replace(written[name] + "\n", "", 1)
                entries.append(written[name])
            else:
                entries.append(_attribute_entry(name, *family.get(name, spec)))
        doc = doc.replace(line, "\n".join(entries) + "\n")
    return doc


#: Constraints of the options of a built network's units (every family) and the dropout after
#: them.
UNIT_CONSTRAINTS: dict = {
    "activation": [StrOptions(set(ACTIVATIONS))],
    "kernel_initializer": [StrOptions(set(INITIALIZERS))],
    "negative_slope": [Interval(Real, 0, None, closed="left")],
    "dropout": [Interval(Real, 0, 1, closed="left")],
}
#: :data:`UNIT_CONSTRAINTS` and the rest of the options every weighted layer of the dense and
#: convolutional builders takes (``skdeep.builders._blocks.LAYER_OPTIONS``).
LAYER_CONSTRAINTS: dict = {
    **UNIT_CONSTRAINTS,
    "l1": [Interval(Real, 0, None, closed="left")],
    "l2": [Interval(Real, 0, None, closed="left")],
    "batch_norm": ["boolean"],
}


class BuilderFamily:
    """A family built by one of skdeep's builders: its architecture parameters are the
    builder's keyword arguments (:func:`skdeep._parameters.builder_keywords`), passed as set.

    A family sets ``_family`` (its name there) and ``_builder`` (the builder function).
    """

    _family: str
    _builder: Callable[..., Any]

    def _check_family_params(self) -> None:
        super()._check_family_params()
        default = inspect.signature(type(self)).parameters["negative_slope"].default
        if self.negative_slope != default and self.activation != "leaky_relu":
            warn_user(
                f"negative_slope={self.negative_slope} has no effect with "
                f"activation={self.activation!r}; it is the slope of 'leaky_relu'."
            )

    def _network(self, input_shape: tuple[int, ...], **overrides: Any) -> Any:
        """A fresh network; ``overrides`` replace builder keywords (a phase's own values)."""
        params = {**self._builder_params(), **overrides}
        return type(self)._builder(input_shape=input_shape, **self._output(), **params)

    def _builder_params(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in builder_keywords(self._family)}
