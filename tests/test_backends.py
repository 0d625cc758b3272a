"""skdeep on non-TensorFlow Keras backends: nothing may require TensorFlow."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import gc, json, sys
    sys.modules["tensorflow"] = None  # any `import tensorflow` now raises ImportError
    import numpy as np
    from sklearn.datasets import make_classification
    import keras
    from skdeep import ANNClassifier
    X, y = make_classification(120, 6, random_state=0)
    labels = np.where(y == 1, "yes", "no")
    from skdeep._training import _engines
    a = ANNClassifier(epochs=3, dropout=0.2, early_stopping=True, random_state=3).fit(X, labels)
    big = np.repeat(X, 400, axis=0)  # takes the batched predict path
    out = {
        "backend": keras.backend.backend(),
        "labels": sorted(set(a.predict(X).tolist())),
        "big": list(a.predict_proba(big).shape),
        "epochs": a.n_epochs_,
    }
    first = a.predict_proba(X)
    del a  # its compiled network goes back to the pool: the second fit trains in it
    gc.collect()
    b = ANNClassifier(epochs=3, dropout=0.2, early_stopping=True, random_state=3).fit(X, labels)
    out["same"] = bool(np.array_equal(first, b.predict_proba(X)))
    out["compiled"] = len(_engines.POOL)
    out["tf_loaded"] = bool(sys.modules.get("tensorflow"))
    print(json.dumps(out))
    gc.freeze()  # the exit's last collection would walk every object of Keras and JAX
    """
)


def test_jax_backend_without_tensorflow():
    pytest.importorskip("jax")
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {
        "backend": "jax",
        "tf_loaded": False,
        "same": True,
        "labels": ["no", "yes"],
        "big": [48000, 2],
        "epochs": 3,
        "compiled": 1,  # the same seeded result in a network compiled for an earlier fit
    }
