"""One source per registry: shared training parameters, augmentation knobs, families."""

import inspect
import pydoc
import re

import pytest

from skdeep import (
    ANNClassifier,
    ANNRegressor,
    CNNClassifier,
    CNNRegressor,
    KerasClassifier,
    KerasRegressor,
    TransferClassifier,
)
from skdeep.base import SkdeepClassifier, SkdeepEstimator, SkdeepRegressor
from skdeep.builders import AUGMENTATIONS, build_cnn, build_transfer
from skdeep.estimators import ESTIMATORS
from skdeep.estimators._params import TRAINING_PARAMETERS

CLASSIFIERS = [ANNClassifier, CNNClassifier, KerasClassifier, TransferClassifier]
REGRESSORS = [ANNRegressor, CNNRegressor, KerasRegressor]
ALL = CLASSIFIERS + REGRESSORS


def _signature(cls):
    return inspect.signature(cls.__init__).parameters


def test_every_estimator_is_in_the_family_registry():
    assert set(ESTIMATORS.values()) == set(ALL)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_shared_training_parameters_are_written_out_validated_and_documented(cls):
    signature = _signature(cls)
    shared = set(SkdeepEstimator._parameter_constraints)
    assert shared == set(TRAINING_PARAMETERS) - {"class_weight", "sampler"}
    task = SkdeepClassifier if issubclass(cls, SkdeepClassifier) else SkdeepRegressor
    shared = set(task._parameter_constraints) - {"loss", "huber_delta", "scale_target"}
    assert shared <= set(signature) and shared <= set(cls._parameter_constraints)
    text = pydoc.render_doc(cls, renderer=pydoc.plaintext)
    assert "<training parameters>" not in text and "<augmentation parameters>" not in text
    for name in shared & set(TRAINING_PARAMETERS):
        default = signature[name].default
        shown = f'"{default}"' if isinstance(default, str) else repr(default)
        assert f"{name} : {TRAINING_PARAMETERS[name][0]}, default={shown}" in text, name


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_every_signature_parameter_has_a_constraint_and_a_doc_entry(cls):
    names = set(_signature(cls)) - {"self", "model_params"}
    assert names == set(cls._parameter_constraints)
    headers = re.findall(r"^    ([\w, *]+) : ", cls.__doc__, flags=re.MULTILINE)
    documented = {n.strip(" *") for header in headers for n in header.split(",")}
    assert names <= documented, names - documented


@pytest.mark.parametrize(
    ("builder", "estimator"),
    [(build_cnn, CNNClassifier), (build_transfer, TransferClassifier)],
    ids=["cnn", "transfer"],
)
def test_augmentation_knobs_match_the_registry_everywhere(builder, estimator):
    for name, spec in AUGMENTATIONS.items():
        assert inspect.signature(builder).parameters[name].default == spec.default
        assert _signature(estimator)[name].default == spec.default
        assert name in estimator._parameter_constraints
        assert estimator()._builder_params()[name] == spec.default
    estimator(rotation=0.2)._validate_params()
    with pytest.raises(ValueError, match="rotation"):
        estimator(rotation=1.5)._validate_params()


@pytest.mark.parametrize("cls", [ANNRegressor, CNNClassifier], ids=lambda c: c.__name__)
def test_the_layer_options_of_the_builders_are_validated_by_one_table(cls):
    from skdeep.builders._blocks import LAYER_OPTIONS
    from skdeep.estimators._params import LAYER_CONSTRAINTS

    assert set(LAYER_OPTIONS) <= set(LAYER_CONSTRAINTS) <= set(cls._parameter_constraints)
    builder = inspect.signature(cls._builder).parameters
    cls(**{name: builder[name].default for name in LAYER_CONSTRAINTS})._validate_params()
    for name, bad in [("l2", -1.0), ("activation", "relu7"), ("batch_norm", "yes")]:
        with pytest.raises(ValueError, match=name):
            cls(**{name: bad})._validate_params()


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_the_signature_is_the_declared_one_and_init_stores_exactly_it(cls):
    from skdeep._families import FAMILIES, REGRESSORS, parameter_names
    from skdeep._parameters import SIGNATURES

    names = [n for n in _signature(cls) if n != "self"]
    assert names == [p.name for p in SIGNATURES[cls.__name__]]
    for family, table in (("classification", FAMILIES), ("regression", REGRESSORS)):
        for name, class_name in table.items():
            if class_name == cls.__name__:  # what the CLI checks --param against, Keras-free
                assert parameter_names(name, family) == set(names)
    est = cls()
    assert set(vars(est)) == set(names) - {"model_params"} | (
        {"_model_params"} if "model_params" in names else set()
    )
    assert est.get_params(deep=False) == {
        n: p.default for n, p in _signature(cls).items() if n not in ("self", "model_params")
    }


def test_shared_training_defaults_differ_only_where_a_family_says_so():
    defaults = {
        cls.__name__: {n: _signature(cls)[n].default for n in TRAINING_PARAMETERS}
        for cls in CLASSIFIERS
    }
    image = {
        "CNNClassifier": {"batch_size": 64, "epochs": 10},
        "TransferClassifier": {"epochs": 10},
    }
    for name, values in defaults.items():
        assert values == {**defaults["ANNClassifier"], **image.get(name, {})}, name


def test_a_misspelt_or_positional_parameter_is_a_type_error_naming_the_closest():
    with pytest.raises(
        TypeError,
        match=r"^ANNClassifier\(\): got an unexpected keyword argument 'learning_rat'\. "
        r"Did you mean 'learning_rate'\?$",
    ):
        ANNClassifier(learning_rat=0.1)
    with pytest.raises(TypeError, match=r"^CNNRegressor\(\): .*'zzz'$"):
        CNNRegressor(zzz=1)  # nothing close: no suggestion
    with pytest.raises(TypeError, match=r"^ANNClassifier\(\): too many positional arguments"):
        ANNClassifier(3)
    est = KerasClassifier(len, units=3, model__depth=2)  # routed, not misspelt
    assert est.get_params()["units"] == 3 and est.model is len
    with pytest.raises(TypeError, match="too many positional"):
        KerasClassifier(len, 3)


@pytest.mark.parametrize("cls", ALL, ids=lambda c: c.__name__)
def test_fitted_attributes_are_documented_once_each_in_the_task_order(cls):
    from skdeep.estimators._params import ATTRIBUTE_MARKERS

    doc = cls.__doc__
    section = doc[doc.index("    Attributes\n") : doc.index("\n\n", doc.index("    Attributes\n"))]
    headers = re.findall(r"^    ([\w, ]+) : ", section, flags=re.MULTILINE)
    assert len(headers) == len(set(headers)) and "<" not in section
    task = "<classifier attributes>" if cls in CLASSIFIERS else "<regressor attributes>"
    shared = [h for h in headers if h in ATTRIBUTE_MARKERS[task]]
    assert shared == list(ATTRIBUTE_MARKERS[task])  # all of them, in the table's order
