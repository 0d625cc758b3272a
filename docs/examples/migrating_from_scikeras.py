"""Model functions from scikeras' own documentation, trained by ``skdeep.KerasClassifier``.

``get_model`` is the one of scikeras' quickstart and ``get_clf_model`` the one of its
MLPClassifier tutorial, copied unchanged (only type hints dropped). The comments show the
scikeras line each skdeep line replaces; docs/migrating-from-scikeras.md explains every
difference. skdeep does not need scikeras: this script never imports it.

1. Both functions train as scikeras trains them.
2. ``GridSearchCV`` tunes ``get_clf_model``'s ``hidden_layer_sizes`` and the learning rate
   inside ``Pipeline(StandardScaler, KerasClassifier)``, with skdeep's early stopping in place
   of scikeras' ``validation_split`` and an ``EarlyStopping`` callback.
3. ``cross_validate`` scores the tuned pipeline (stratified folds: skdeep is a classifier to
   scikit-learn >= 1.6, scikeras 0.13 is not).
4. ``save`` / ``skdeep.load`` replace pickle (pickle works too).

About 30 seconds on two CPU cores. Run: ``python docs/examples/migrating_from_scikeras.py``
"""

import os
import tempfile
import warnings

import keras
import numpy as np
from sklearn.datasets import make_classification
from sklearn.model_selection import GridSearchCV, cross_validate, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skdeep
from skdeep import KerasClassifier  # was: from scikeras.wrappers import KerasClassifier


def get_model(hidden_layer_dim, meta):
    # note that meta is a special argument that will be
    # handed a dict containing input metadata
    n_features_in_ = meta["n_features_in_"]
    X_shape_ = meta["X_shape_"]
    n_classes_ = meta["n_classes_"]

    model = keras.models.Sequential()
    model.add(keras.layers.Dense(n_features_in_, input_shape=X_shape_[1:]))
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(hidden_layer_dim))
    model.add(keras.layers.Activation("relu"))
    model.add(keras.layers.Dense(n_classes_))
    model.add(keras.layers.Activation("softmax"))
    return model


def get_clf_model(hidden_layer_sizes, meta, compile_kwargs):
    model = keras.Sequential()
    inp = keras.layers.Input(shape=(meta["n_features_in_"],))
    model.add(inp)
    for hidden_layer_size in hidden_layer_sizes:
        layer = keras.layers.Dense(hidden_layer_size, activation="relu")
        model.add(layer)
    if meta["target_type_"] == "binary":
        n_output_units = 1
        output_activation = "sigmoid"
        loss = "binary_crossentropy"
    elif meta["target_type_"] == "multiclass":
        n_output_units = meta["n_classes_"]
        output_activation = "softmax"
        loss = "sparse_categorical_crossentropy"
    else:
        raise NotImplementedError(f"Unsupported task type: {meta['target_type_']}")
    out = keras.layers.Dense(n_output_units, activation=output_activation)
    model.add(out)
    model.compile(loss=loss, optimizer=compile_kwargs["optimizer"])
    return model


# scikeras' docs predate Keras 3, which warns about input_shape= on a layer (keras.Input is
# the Keras 3 way); the network is the same
warnings.filterwarnings("ignore", message="Do not pass an `input_shape`")

X, y = make_classification(1000, 20, n_informative=10, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

# 1. The scikeras quickstart. scikeras' default is epochs=1 (skdeep: 50) and verbose=1
#    (skdeep: 0); the loss parameter works as there.
clf = KerasClassifier(
    get_model,
    loss="sparse_categorical_crossentropy",
    hidden_layer_dim=100,
    epochs=20,
    random_state=0,
)
clf.fit(X_train, y_train)
print(f"quickstart model: test accuracy {clf.score(X_test, y_test):.3f}")

# The MLPClassifier tutorial. scikeras: optimizer__learning_rate=0.001 -> learning_rate=0.001
mlp = KerasClassifier(
    model=get_clf_model,
    hidden_layer_sizes=(100,),
    optimizer="adam",
    learning_rate=0.001,
    epochs=50,
    random_state=0,
)
print(f"MLPClassifier model: test accuracy {mlp.fit(X_train, y_train).score(X_test, y_test):.3f}")

# 2. A search inside a Pipeline. scikeras would take fit__validation_split=0.2 (the last 20%
#    of the rows, unshuffled) and callbacks=[EarlyStopping(patience=5,
#    restore_best_weights=True)]; skdeep holds out a stratified, seeded 20% of each training
#    fold and restores the best weights itself.
mlp.set_params(epochs=100, early_stopping=True, validation_fraction=0.2, patience=5)
pipe = make_pipeline(StandardScaler(), mlp)
grid = {
    "kerasclassifier__hidden_layer_sizes": [(32,), (64, 32)],  # unprefixed, as in scikeras
    "kerasclassifier__learning_rate": [1e-3, 1e-2],  # scikeras: ..__optimizer__learning_rate
}
search = GridSearchCV(pipe, grid, cv=3).fit(X_train, y_train)  # stratified 3-fold
print("best parameters:", search.best_params_)
print(f"tuned pipeline: test accuracy {search.score(X_test, y_test):.3f}")

# 3. A cross-validated score of the tuned pipeline on all samples
scores = cross_validate(search.best_estimator_, X, y, cv=5, scoring=["accuracy", "roc_auc"])
for name in ("test_accuracy", "test_roc_auc"):
    print(f"5-fold {name[5:]:<8} {scores[name].mean():.3f} ± {scores[name].std(ddof=1):.3f}")

# 4. Saving: the trained network and the parameters in one file (no pickle, no code)
path = search.best_estimator_[-1].save(os.path.join(tempfile.mkdtemp(), "mlp.skdeep"))
loaded = skdeep.load(path)
scaled_test = search.best_estimator_[0].transform(X_test)
same = np.array_equal(loaded.predict_proba(scaled_test), search.predict_proba(X_test))
print(f"loaded from {path.name}: identical probabilities: {same}")
