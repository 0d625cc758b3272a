"""A two-branch functional network on scikit-learn's 8x8 digits: Bayesian search, then k-fold.

Both branches read the same image: a convolutional branch sees it as an 8x8 picture (local
strokes), a dense branch sees its 64 pixels at once (global layout); their features are
concatenated before the softmax. The Pipeline scales the 64 pixel columns to [0, 1]
(``MinMaxScaler``, fitted on the training fold); the network reshapes them into an image
itself, with a ``Reshape`` layer, so everything before it is an ordinary 2-D table.

1. scikit-optimize's ``BayesSearchCV`` tunes the number of filters, the dense width, the
   dropout and the learning rate (integer and log-uniform dimensions) on a training split;
   the refit model is scored on the held-out test split.
2. ``sklearn.model_selection.cross_validate`` scores the tuned pipeline by stratified
   5-fold cross-validation on all 1,797 digits. Its hyper-parameters were picked on the
   training split, which every fold's test part partly overlaps: read the folds for their
   spread; the test score of step 1 is the unbiased number.

About 2.5 minutes on two CPU cores. Run: ``python docs/examples/two_branch_digits.py``
"""

import keras
from sklearn.datasets import load_digits
from sklearn.model_selection import StratifiedKFold, cross_validate, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from skopt import BayesSearchCV  # scikit-optimize, installed with skdeep
from skopt.space import Integer, Real

from skdeep import KerasClassifier


def two_branch(meta, filters=16, dense_units=64, dropout=0.2):
    """A convolutional and a dense branch over the same 64 pixels, merged before the output."""
    pixels = keras.Input(shape=meta["input_shape"], name="pixels")  # (64,)
    image = keras.layers.Reshape((8, 8, 1))(pixels)
    conv = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(image)
    conv = keras.layers.MaxPooling2D()(conv)  # 4x4
    conv = keras.layers.Conv2D(2 * filters, 3, padding="same", activation="relu")(conv)
    conv = keras.layers.GlobalAveragePooling2D()(conv)
    dense = keras.layers.Dense(dense_units, activation="relu")(pixels)
    merged = keras.layers.Concatenate()([conv, dense])
    merged = keras.layers.Dropout(dropout)(merged)
    outputs = keras.layers.Dense(meta["n_outputs"], activation="softmax")(merged)  # 10 digits
    return keras.Model(pixels, outputs, name="two_branch")


X, y = load_digits(return_X_y=True)  # 1,797 images as 64 pixel columns (0-16)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

pipe = make_pipeline(
    MinMaxScaler(),
    KerasClassifier(two_branch, epochs=40, early_stopping=True, patience=5, random_state=0),
)
space = {
    "kerasclassifier__model__filters": Integer(8, 32),
    "kerasclassifier__model__dense_units": Integer(16, 128),
    "kerasclassifier__model__dropout": Real(0.0, 0.5),
    "kerasclassifier__learning_rate": Real(1e-3, 1e-2, prior="log-uniform"),
}
search = BayesSearchCV(
    pipe, space, n_iter=8, cv=StratifiedKFold(3, shuffle=True, random_state=0), random_state=0
)

# 1. Search on the training split, score on the test split
search.fit(X_train, y_train)
print("best parameters:", {k.split("__", 1)[1]: v for k, v in search.best_params_.items()})
print(f"cross-validated accuracy of the best candidate: {search.best_score_:.3f}")
print(f"test accuracy ({len(y_test)} digits): {search.score(X_test, y_test):.3f}")

# 2. The tuned pipeline, cross-validated on all digits
scores = cross_validate(
    search.best_estimator_,
    X,
    y,
    cv=StratifiedKFold(5, shuffle=True, random_state=0),
    scoring=["accuracy", "f1_macro"],
)
for name in ("test_accuracy", "test_f1_macro"):
    values = scores[name]
    print(f"5-fold {name[5:]:<9} {values.mean():.3f} ± {values.std(ddof=1):.3f}", values.round(3))
