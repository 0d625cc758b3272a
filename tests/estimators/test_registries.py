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
