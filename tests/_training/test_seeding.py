"""Seeding works with TensorFlow's op determinism on (the setting docs/reliability.md recommends
for GPUs), seeded or not; it is process-wide, so it runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
import textwrap

import keras
import pytest

SCRIPT = textwrap.dedent(
    """
    import gc, json
    import tensorflow as tf
    tf.config.experimental.enable_op_determinism()
    import numpy as np
    from sklearn.datasets import make_classification
    from skdeep import ANNClassifier, CNNClassifier

    X, y = make_classification(n_samples=80, n_features=8, random_state=0)
    out = {}
    for seed in (0, None):
        ann = [
            ANNClassifier(epochs=2, dropout=0.2, early_stopping=True, random_state=seed)
            .fit(X, y).predict_proba(X) for _ in range(2)
        ]
        cnn = CNNClassifier(
            n_blocks=1, filters=2, epochs=1, flip="horizontal", rotation=0.1, random_state=seed
        ).fit(X.reshape(-1, 2, 4), y)
        out[str(seed)] = {
            "ann_repeat": bool(np.array_equal(*ann)),
            "ann_finite": bool(np.isfinite(ann[0]).all()),
            "cnn_shape": list(cnn.predict_proba(X.reshape(-1, 2, 4)).shape),
        }
    print(json.dumps(out))
    gc.freeze()  # the exit's last collection would walk every object of TensorFlow
    """
)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TensorFlow setting")
def test_fits_work_with_tensorflow_op_determinism_enabled():
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["0"] == {"ann_repeat": True, "ann_finite": True, "cnn_shape": [80, 2]}
    assert out["None"]["ann_finite"] and out["None"]["cnn_shape"] == [80, 2]
