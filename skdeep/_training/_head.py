"""The output contract of a classifier network, decided in one place.

A network for ``n_classes`` classes ends in ``n_outputs`` units: one sigmoid unit for two
classes (:func:`skdeep.builders.output_units`, the rule skdeep's own builders follow), or one
softmax unit per class. A user's network may also give two classes two softmax units. Everything
that depends on that choice (the loss, the Keras target, probabilities, the NumPy validation
loss) is a method of :class:`ClassifierHead`, so the rule cannot drift between places.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..builders._blocks import classification_loss, output_units

__all__ = ["CLASSIFIER_MONITORS", "ClassifierHead", "CompiledLossHead"]

_EPS = 1e-7
#: What early stopping may watch on a classifier's validation part (loss: lower is better).
CLASSIFIER_MONITORS = (
    "val_loss",
    "val_accuracy",
    "val_auc",
    "val_f1",
    "val_recall",
    "val_precision",
    "val_specificity",
)


def _validation_metric(name: str, y: np.ndarray, proba: np.ndarray, n_classes: int) -> float:
    """A monitored metric on encoded labels ``y``: binary for two classes (the positive class
    is ``classes_[1]``), else the unweighted mean over classes ("macro")."""
    from sklearn import metrics

    from ..metrics import specificity_score

    pred = np.argmax(proba, axis=1)
    average = "binary" if n_classes == 2 else "macro"
    labels = np.arange(n_classes)
    if name == "val_auc":
        if len(np.unique(y)) < n_classes:
            return float("nan")  # undefined while a class is absent from the part
        if n_classes == 2:
            return float(metrics.roc_auc_score(y, proba[:, 1]))
        return float(metrics.roc_auc_score(y, proba, multi_class="ovr", labels=labels))
    scorers = {
        "val_f1": metrics.f1_score,
        "val_recall": metrics.recall_score,
        "val_precision": metrics.precision_score,
    }
    if name in scorers:
        return float(scorers[name](y, pred, average=average, labels=labels, zero_division=0))
    return float(specificity_score(y, pred, average=average, labels=labels))


@dataclass(frozen=True)
class ClassifierHead:
    """How ``n_classes`` classes map onto ``n_outputs`` network outputs.

    Examples
    --------
    >>> import numpy as np
    >>> head = ClassifierHead.for_classes(2)
    >>> head.n_outputs, head.loss
    (1, 'binary_crossentropy')
    >>> head.proba(np.array([[0.25]], "float32")).tolist()
    [[0.75, 0.25]]
    """

    n_classes: int
    n_outputs: int

    @classmethod
    def for_classes(cls, n_classes: int) -> ClassifierHead:
        """The head skdeep's builders give ``n_classes`` classes."""
        return cls(n_classes, output_units(n_classes))

    @classmethod
    def accepted_outputs(cls, n_classes: int) -> tuple[int, ...]:
        """Output widths a network for ``n_classes`` classes may have (user models)."""
        return (1, 2) if n_classes == 2 else (n_classes,)

    @property
    def loss(self) -> str:
        """The Keras loss matching the outputs, for integer-encoded targets."""
        return classification_loss(self.n_outputs)

    def keras_target(self, y_enc: np.ndarray) -> np.ndarray:
        """The training target Keras gets for encoded labels ``0 .. n_classes - 1``."""
        if self.n_outputs == 1:
            return y_enc.astype(np.float32).reshape(-1, 1)
        return y_enc.astype(np.int32)

    def proba(self, raw: np.ndarray) -> np.ndarray:
        """Class probabilities, shape ``(n, n_classes)``, from network outputs ``raw``."""
        if self.n_outputs == 1:
            p = raw.reshape(-1)
            return np.column_stack([1.0 - p, p])
        return raw

    def validation_logs(
        self,
        raw: np.ndarray,
        y_enc: np.ndarray,
        weights: np.ndarray | None,
        extra: tuple[str, ...] = (),
    ) -> dict[str, float]:
        """``val_loss`` (Keras' cross-entropy, mean over the batch), ``val_accuracy`` and the
        ``extra`` monitored metrics of :data:`CLASSIFIER_MONITORS` (unweighted)."""
        if self.n_outputs == 1:
            p = np.clip(raw[:, 0].astype(np.float64), _EPS, 1 - _EPS)
            losses = -(y_enc * np.log(p) + (1 - y_enc) * np.log(1 - p))
            pred = (raw[:, 0] > 0.5).astype(y_enc.dtype)
        else:
            p = np.clip(raw[np.arange(len(y_enc)), y_enc].astype(np.float64), _EPS, 1.0)
            losses = -np.log(p)
            pred = np.argmax(raw, axis=1)
        if weights is not None:
            losses = losses * weights
        logs = {"val_loss": float(losses.mean()), "val_accuracy": float(np.mean(pred == y_enc))}
        for name in extra:
            if name not in logs:
                logs[name] = _validation_metric(name, y_enc, self.proba(raw), self.n_classes)
        return logs


@dataclass(frozen=True)
class CompiledLossHead(ClassifierHead):
    """A head whose validation loss is the network's own compiled loss (a user's loss).

    ``loss`` is what the network was compiled with: a Keras loss name, a ``keras.losses.Loss``
    or a function ``loss(y_true, y_pred) -> per-sample losses``. The loss is computed on the
    validation outputs as Keras computes it on a batch (weighted mean over the samples).
    """

    compiled_loss: object = None

    def validation_logs(
        self,
        raw: np.ndarray,
        y_enc: np.ndarray,
        weights: np.ndarray | None,
        extra: tuple[str, ...] = (),
    ) -> dict[str, float]:
        import keras

        logs = super().validation_logs(raw, y_enc, weights, extra)
        y_true = self.keras_target(y_enc)
        loss = self.compiled_loss
        if isinstance(loss, keras.losses.Loss):
            value = loss(y_true, raw, sample_weight=weights)
        else:
            per_sample = keras.ops.convert_to_numpy(keras.losses.get(loss)(y_true, raw))
            per_sample = per_sample.astype(np.float64).reshape(len(y_enc), -1).mean(axis=1)
            value = per_sample.mean() if weights is None else (per_sample * weights).mean()
        logs["val_loss"] = float(keras.ops.convert_to_numpy(value))
        return logs
