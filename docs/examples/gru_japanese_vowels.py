"""A GRU speaker classifier on JapaneseVowels: a randomized search, then a k-fold study.

JapaneseVowels (UCI; Kudo, Toyama and Shimbo, 1999): nine male speakers uttered the vowels
"a" and "e"; every utterance is a sequence of 7 to 29 frames of 12 LPC cepstrum
coefficients, labelled by its speaker. The official split has 270 training and 370 test
utterances. ``skdeep.datasets.load_japanese_vowels`` reads it from the ``aeon`` wheel that
``make data`` downloads (``pip download --no-deps aeon==1.6.0``) and returns sequences of
shape (n, 29, 12), zero-padded at the end.

The network takes ``(timesteps, channels)`` input, never flattened: a ``Masking`` layer skips
the padding frames, a GRU reads the rest. The Pipeline standardises each of the 12 channels
with statistics of the training fold only (over real frames; the padding stays exactly
zero, so the mask still finds it): scikit-learn's StandardScaler takes 2-D tables only, so
the small scaler below does it for sequences.

1. ``RandomizedSearchCV`` tunes the GRU width, its input dropout and the learning rate on
   the 270 training utterances; the refit model is scored on the 370 test utterances.
2. ``cross_validate_study`` cross-validates the tuned pipeline on all 640 utterances
   (stratified 5-fold). Its hyper-parameters were picked on the training split, which every
   fold's test part partly overlaps: the study shows the spread over folds, the test score
   of step 1 is the unbiased number.

About 4 minutes on two CPU cores. Run: ``python docs/examples/gru_japanese_vowels.py``
"""

import sys

import keras
import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.metrics import classification_report
from sklearn.model_selection import RandomizedSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

from skdeep import KerasClassifier
from skdeep.datasets import load_japanese_vowels
from skdeep.evaluation import cross_validate_study
from skdeep.exceptions import DatasetNotFoundError

try:
    (X_train, y_train), (X_test, y_test) = load_japanese_vowels()
except DatasetNotFoundError as exc:
    print(f"skipped: {exc}")
    sys.exit(0)


class SequenceScaler(TransformerMixin, BaseEstimator):
    """Standardise every channel of ``(n, timesteps, channels)`` sequences over their real
    frames (frames that are not all zero); padding frames stay zero."""

    def fit(self, X, y=None):
        frames = X[np.any(X != 0, axis=-1)]  # (n_real_frames, channels)
        self.mean_, self.scale_ = frames.mean(axis=0), frames.std(axis=0) + 1e-8
        return self

    def transform(self, X):
        real = np.any(X != 0, axis=-1, keepdims=True)
        return np.where(real, (X - self.mean_) / self.scale_, 0.0).astype(np.float32)


def gru_classifier(meta, units=32, dropout=0.0):
    """Masking -> GRU -> softmax over the speakers; ``meta`` describes the data."""
    return keras.Sequential(
        [
            keras.Input(shape=meta["input_shape"]),  # (29, 12): timesteps, channels
            keras.layers.Masking(mask_value=0.0),
            keras.layers.GRU(units, dropout=dropout),
            keras.layers.Dense(meta["n_outputs"], activation="softmax"),  # 9 speakers
        ]
    )


pipe = make_pipeline(
    SequenceScaler(),
    KerasClassifier(
        gru_classifier,
        epochs=60,
        batch_size=64,
        early_stopping=True,  # stratified: every speaker is in each validation split
        patience=8,
        random_state=0,
    ),
)
space = {
    "kerasclassifier__model__units": [16, 32],
    "kerasclassifier__model__dropout": [0.0, 0.25],
    "kerasclassifier__learning_rate": [3e-3, 1e-2],
}
cv = StratifiedKFold(3, shuffle=True, random_state=0)
search = RandomizedSearchCV(pipe, space, n_iter=4, cv=cv, random_state=0)

# 1. Search on the official training split, score on the official test split
search.fit(X_train, y_train)
print("best parameters:", search.best_params_)
print(f"cross-validated accuracy of the best candidate: {search.best_score_:.3f}")
print(f"test accuracy ({len(y_test)} utterances): {search.score(X_test, y_test):.3f}")
print(classification_report(y_test, search.predict(X_test), digits=3))

# 2. The tuned pipeline, cross-validated on all utterances
tuned = search.best_estimator_
X_all, y_all = np.concatenate([X_train, X_test]), np.concatenate([y_train, y_test])
study = cross_validate_study(
    tuned, X_all, y_all, cv=StratifiedKFold(5, shuffle=True, random_state=0)
)
print(study.report())
