"""TransferClassifier's two training phases: the head on a frozen base, then fine-tuning.

Phase 1 trains the head, on cached base features (:func:`head_phase`) when nothing is augmented
or resampled, else on images through the frozen network (:func:`images_head_phase`). Phase 2
(:func:`fine_tune_phase`) trains the top of the base with the head and is kept only when it
beats phase 1 on the validation split. :func:`transfer_phases` is the estimator's ``_phases``.
"""

from __future__ import annotations

import math

import keras

from .._training._networks import fresh_network
from .._training._phases import Phase, Record, RunResult, RunSettings
from .._training._prepare import TrainingData
from ..builders import AUGMENTATIONS
from ..builders._transfer import base_layers, compose
from ..builders._transfer_parts import FROZEN_BASES, load_parts, part_weights
from ._transfer_features import features_config, frozen_features

__all__ = ["fine_tune_phase", "head_phase", "images_head_phase", "transfer_phases"]


def _augments(est) -> bool:
    return any(getattr(est, n) != spec.default for n, spec in AUGMENTATIONS.items())


def transfer_phases(est, settings: RunSettings, partial: bool) -> list[Phase]:
    """Phase 1 trains the head (on cached features when nothing is augmented or
    resampled), phase 2 fine-tunes the top of the base; ``partial_fit`` runs phase 1."""
    images = settings.replace(max_samples=est._images_per_call())
    cached = (partial or est.sampler is None) and not _augments(est)
    phases = [
        head_phase(est, settings.replace(max_samples=None))
        if cached
        else images_head_phase(est, images)
    ]
    if est.fine_tune_epochs > 0 and est.trainable_layers > 0 and not partial:
        tune = images.replace(
            epochs=est.fine_tune_epochs,
            learning_rate=est.fine_tune_learning_rate,
            restart_schedule=True,
        )
        phases.append(fine_tune_phase(est, tune))
    return phases


def head_phase(est, settings: RunSettings) -> Phase:
    """Phase 1 on cached features: the base's output of an image never changes while the
    base is frozen, so it is computed once (or read from the cache) and the head trains
    alone on it: the same network trained on the same data."""
    parts: dict[str, keras.Model] = {}

    def start(previous, data: TrainingData, s: RunSettings, transaction):
        pristine = _reset_or_pristine(est, previous)
        shape = tuple(data.train.X.shape[1:])
        config = features_config(est, shape, s.seed is not None) if pristine else None
        if config is not None:
            # the process-wide frozen base of this configuration, under a "features" part
            # of this fit's own (building a base costs more than training a head)
            application = FROZEN_BASES.get(
                config[:-1], lambda: base_layers(frozen_features(est, shape, seed=s.seed))
            )
            features = frozen_features(est, shape, application=application)
        else:
            features = frozen_features(est, shape, seed=s.seed)
            if previous is not None:
                features.set_weights(part_weights(previous)["features"])
        inputs = data.map_inputs(lambda X: est._base_features(features, config, X))
        head = fresh_network(
            est, inputs, s, transaction, build=est._head_network, key=est._head_architecture
        )
        if previous is not None:
            head.set_weights(part_weights(previous)["head"])
        parts["features"] = features
        est._features_config_ = config
        return head, inputs, s

    def finish(head: keras.Model, result: RunResult, record: Record) -> keras.Model:
        return _compiled(est, parts["features"], head)

    return Phase("head", settings, head=est._head_of, start=start, finish=finish)


def images_head_phase(est, settings: RunSettings) -> Phase:
    """Phase 1 on images (augmented or resampled): the whole network, base frozen."""

    def start(previous, data: TrainingData, s: RunSettings, transaction):
        pristine = _reset_or_pristine(est, previous)
        shape = tuple(data.train.X.shape[1:])
        frozen = fresh_network(
            est, data, s, transaction, build=lambda shp: est._network(shp, trainable_layers=0)
        )
        if previous is not None:
            load_parts(frozen, part_weights(previous))
        # predictions can still read cached features: the base stays untouched
        est._features_config_ = (
            features_config(est, shape, s.seed is not None) if pristine else None
        )
        return frozen, data, s

    return Phase("head", settings, head=est._head_of, start=start)


def fine_tune_phase(est, settings: RunSettings) -> Phase:
    """Phase 2: the top ``trainable_layers`` of the base train with the head; kept only
    when it beats phase 1 on the validation split (with early stopping)."""
    before: dict = {}

    def start(previous, data: TrainingData, s: RunSettings, transaction):
        before["weights"] = part_weights(previous)
        before["config"] = est._features_config_
        # a separately compiled network (its own engine): the phase-1 one stays reusable
        model = fresh_network(est, data, s, transaction)
        load_parts(model, before["weights"])
        est._features_config_ = None
        return model, data, s

    def finish(model: keras.Model, result: RunResult, record: Record) -> keras.Model:
        run = len(result.history.get("loss", []))
        est.n_fine_tune_epochs_ += run
        best_before = record.results["head"].best_epoch
        val_loss = record.history.get("val_loss", [])
        if est.early_stopping and best_before is not None:
            after = [v for v in val_loss[result.n_epochs - run :] if math.isfinite(v)]
            if not after or min(after) >= val_loss[best_before - 1]:
                # fine-tuning did not beat the head alone on the validation split
                load_parts(model, before["weights"])
                record.best_epoch = best_before
                est._features_config_ = before["config"]
        return model

    return Phase("fine_tune", settings, head=est._head_of, start=start, finish=finish)


def _reset_or_pristine(est, previous) -> bool:
    """Whether the base still holds its original weights (phase 1 of a first fit, or of a
    warm start after a fit that did not fine-tune)."""
    if previous is None:
        est.n_fine_tune_epochs_ = 0
        return True
    return est.n_fine_tune_epochs_ == 0


def _compiled(est, features: keras.Model, head: keras.Model) -> keras.Model:
    """``images -> features -> head``, compiled like the other estimators' networks (its
    optimizer built, so that a pickled copy restores it without warnings)."""
    model = compose(features, head)
    est._compile(model, est._head_of(model))
    model.optimizer.build(model.trainable_variables)
    return model
