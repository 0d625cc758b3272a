"""Every estimator's parameters, each declared once: name, default and type.

scikit-learn reads an estimator's parameters from the signature of its ``__init__``
(``get_params``, ``clone``, ``repr``, the searches). skdeep's seven estimators share most of
theirs: the training recipe is the same for all, and each family's architecture is the same for
its classifier and its regressor. Each parameter is declared here once, in groups;
:data:`SIGNATURES` lists the groups of each class and :func:`signature` assembles its
``__init__`` signature, which :func:`skdeep.estimators._params.estimator_init` gives the class.

Nothing here imports Keras: the command line reads the same table to reject a misspelt
``--param`` before TensorFlow loads (:func:`skdeep._families.parameter_names`). The
architecture groups are the keyword arguments of the family's builder (tests/test_builders.py
checks names and defaults one to one); what each parameter means is documented in the
estimators' docstrings and, for the shared ones, in :mod:`skdeep.estimators._params`.
"""

from __future__ import annotations

from inspect import Parameter, Signature

__all__ = ["SIGNATURES", "builder_keywords", "signature"]


def _group(**specs: tuple[object, str]) -> tuple[Parameter, ...]:
    """Keyword-only parameters, ``name=(default, annotation)``, in that order."""
    return tuple(
        Parameter(name, Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
        for name, (default, annotation) in specs.items()
    )


def _with_defaults(group: tuple[Parameter, ...], **defaults: object) -> tuple[Parameter, ...]:
    """``group`` with the defaults of some parameters changed (a family's own defaults)."""
    unknown = set(defaults) - {p.name for p in group}
    if unknown:  # a typo here would silently add nothing
        raise KeyError(sorted(unknown))
    return tuple(p.replace(default=defaults.get(p.name, p.default)) for p in group)


#: The hidden layers' knobs every family has (``negative_slope``: of "leaky_relu", the
#: builders' NEGATIVE_SLOPE), and the dense and convolutional families' regularisation.
_LAYERS = {
    "activation": ("relu", "str"),
    "kernel_initializer": ("he_uniform", "str"),
    "negative_slope": (0.3, "float"),
}
_PENALTIES = {"l1": (0.0, "float"), "l2": (0.0, "float"), "batch_norm": (False, "bool")}

ANN = _group(
    n_layers=(2, "int"),
    units=(64, "int"),
    units_decay=(0.5, "float"),
    **_LAYERS,
    dropout=(0.0, "float"),
    **_PENALTIES,
    gaussian_noise=(0.0, "float"),
)
CNN = _group(
    n_blocks=(2, "int"),
    convs_per_block=(2, "int"),
    filters=(16, "int"),
    kernel_size=(3, "int"),
    pooling=("max", "str"),
    dense_units=(128, "int"),
    **_LAYERS,
    dropout=(0.25, "float"),
    **_PENALTIES,
)
TRANSFER = _group(
    base=("mobilenet", "str"),
    weights=("imagenet", "str | os.PathLike | None"),
    input_size=(96, "int | None"),
    trainable_layers=(6, "int"),
    dense_units=(128, "int"),
    dropout=(0.2, "float"),
    **_LAYERS,
)
#: The transfer family's second phase (the estimator's, not the builder's).
FINE_TUNE = _group(
    fine_tune_epochs=(0, "int"),
    fine_tune_learning_rate=(1e-5, "float"),
)
#: Image input (CNN and transfer families): the layout of flat rows.
IMAGES = _group(image_shape=(None, "tuple[int, ...] | None"))
#: The training-only augmentation knobs, in the order of the builders' registry
#: (:data:`skdeep.builders.AUGMENTATIONS`, whose defaults tests check against these).
AUGMENTATION = _group(
    flip=(None, "str | None"),
    rotation=(0.0, "float"),
    zoom=(0.0, "float"),
    translation=(0.0, "float"),
    contrast=(0.0, "float"),
    gaussian_noise=(0.0, "float"),
)
#: The user's own network (KerasClassifier, KerasRegressor): the one positional parameter.
USER_MODEL = (Parameter("model", Parameter.POSITIONAL_OR_KEYWORD, default=None, annotation="Any"),)
#: The model function's routed arguments (``model__<name>=value``).
ROUTED = (Parameter("model_params", Parameter.VAR_KEYWORD, annotation="Any"),)
USER_LOSS = _group(loss=(None, "Any"))

#: Regressors: the loss's shape and the scaling of the target (and their loss, by name).
TARGET = _group(
    huber_delta=(1.0, "float"),
    scale_target=(True, "bool"),
)
REGRESSION = (*_group(loss=("mse", "str")), *TARGET)
TRAINING = _group(
    optimizer=("adam", "str | keras.optimizers.Optimizer"),
    learning_rate=(None, "float | None"),
    momentum=(0.0, "float"),
    clipnorm=(None, "float | None"),
    clipvalue=(None, "float | None"),
    batch_size=(32, "int"),
    epochs=(50, "int"),
    early_stopping=(False, "bool"),
    patience=(10, "int"),
    validation_fraction=(None, "float | None"),
    monitor=("val_loss", "str"),
    min_delta=(0.0, "float"),
    lr_schedule=("constant", "str"),
    lr_decay=(None, "float | None"),
    lr_decay_epochs=(None, "int | None"),
    warmup_epochs=(0, "int"),
    callbacks=(None, "list | None"),
    memory=(None, "Any"),
)
#: Classifiers only: class weights and resampling of the training part.
CLASS_BALANCE = _group(
    class_weight=(None, "str | dict | None"),
    sampler=(None, "Any"),
)
RUN = _group(
    warm_start=(False, "bool"),
    random_state=(None, "int | None"),
    verbose=(0, "int"),
)
_IMAGE_TRAINING = {"epochs": 10}  # an image network needs far fewer passes than a dense one

#: Class name -> its parameters, in signature order.
SIGNATURES: dict[str, tuple[Parameter, ...]] = {
    "ANNClassifier": (*ANN, *TRAINING, *CLASS_BALANCE, *RUN),
    "ANNRegressor": (*ANN, *REGRESSION, *TRAINING, *RUN),
    "CNNClassifier": (
        *CNN,
        *IMAGES,
        *AUGMENTATION,
        *_with_defaults(TRAINING, batch_size=64, **_IMAGE_TRAINING),
        *CLASS_BALANCE,
        *RUN,
    ),
    "CNNRegressor": (
        *CNN,
        *IMAGES,
        *AUGMENTATION,
        *REGRESSION,
        *_with_defaults(TRAINING, batch_size=64, **_IMAGE_TRAINING),
        *RUN,
    ),
    "TransferClassifier": (
        *TRANSFER,
        *FINE_TUNE,
        *IMAGES,
        *AUGMENTATION,
        *_with_defaults(TRAINING, **_IMAGE_TRAINING),
        *CLASS_BALANCE,
        *RUN,
    ),
    "KerasClassifier": (*USER_MODEL, *USER_LOSS, *TRAINING, *CLASS_BALANCE, *RUN, *ROUTED),
    "KerasRegressor": (
        *USER_MODEL,
        *USER_LOSS,
        *TARGET,
        *TRAINING,
        *RUN,
        *ROUTED,
    ),
}


def signature(class_name: str) -> Signature:
    """The ``__init__`` signature of estimator ``class_name`` (``self`` first).

    Examples
    --------
    >>> from skdeep._parameters import signature
    >>> signature("ANNClassifier").parameters["units"].default
    64
    >>> str(signature("KerasClassifier")).startswith("(self, model: 'Any' = None, *, loss")
    True
    """
    self = Parameter("self", Parameter.POSITIONAL_OR_KEYWORD)
    return Signature([self, *SIGNATURES[class_name]])


#: Family -> the architecture parameters it passes to its builder, by name.
_BUILDER_KEYWORDS = {
    family: tuple(p.name for p in group)
    for family, group in {
        "ann": ANN,
        "cnn": (*CNN, *AUGMENTATION),
        "transfer": (*TRANSFER, *AUGMENTATION),
    }.items()
}


def builder_keywords(family: str) -> tuple[str, ...]:
    """The architecture parameters family ``family`` passes to its builder, by name.

    Examples
    --------
    >>> builder_keywords("ann")[:3]
    ('n_layers', 'units', 'units_decay')
    """
    return _BUILDER_KEYWORDS[family]
