"""A model function written for scikeras runs unchanged under skdeep.KerasClassifier.

scikeras is a test dependency only: importing it rebinds ``keras.Model.__reduce__`` for the whole
process, so each library runs in an interpreter of its own.
"""

import json
import os
import subprocess
import sys
import textwrap

import pytest

MODEL_FUNCTION = textwrap.dedent(
    """
    import keras

    def get_clf(meta, hidden_layer_sizes, dropout, compile_kwargs):
        model = keras.models.Sequential()
        model.add(keras.layers.Input(shape=(meta["n_features_in_"],)))
        for size in hidden_layer_sizes:
            model.add(keras.layers.Dense(size, activation="relu"))
            model.add(keras.layers.Dropout(dropout))
        model.add(keras.layers.Dense(meta["n_classes_"], activation="softmax"))
        model.compile(loss="sparse_categorical_crossentropy", optimizer=compile_kwargs["optimizer"])
        return model
    """
)

RUN = textwrap.dedent(
    """
    import json, sys
    import numpy as np
    from sklearn.datasets import load_iris
    from sklearn.model_selection import GridSearchCV
    from sklearn.preprocessing import StandardScaler
    if sys.argv[1] == "scikeras":
        from scikeras.wrappers import KerasClassifier
        extra = {"optimizer__learning_rate": 0.01}
    else:
        from skdeep import KerasClassifier
        extra = {"learning_rate": 0.01}
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype("float32")
    clf = KerasClassifier(model=get_clf, hidden_layer_sizes=(16,), dropout=0.1, epochs=40,
                          random_state=0, verbose=0, **extra)
    clf.fit(X, y)
    search = GridSearchCV(clf, {"hidden_layer_sizes": [(4,), (16,)]}, cv=3).fit(X, y)
    print(json.dumps({
        "accuracy": float(clf.score(X, y)),
        "proba_shape": list(clf.predict_proba(X).shape),
        "best": list(search.best_params_["hidden_layer_sizes"]),
        "pickling_patched": "scikeras" in sys.modules,
    }))
    """
)


def _run(library: str) -> dict:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    code = MODEL_FUNCTION + RUN
    done = subprocess.run(
        [sys.executable, "-c", code, library], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_same_model_function_under_scikeras_and_skdeep():
    pytest.importorskip("scikeras")
    theirs, ours = _run("scikeras"), _run("skdeep")
    assert theirs["proba_shape"] == ours["proba_shape"] == [150, 3]
    assert theirs["accuracy"] > 0.85 and ours["accuracy"] > 0.85
    assert len(ours["best"]) == 1 and not ours["pickling_patched"]
