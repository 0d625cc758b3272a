"""Write the version-1 fixtures (``ann_v1.skdeep``, ``cnn_v1.skdeep``, ``v1_expected.npz``).

Run once with skdeep 0.1 (commit 0cd1d92), from the repository root:
``PYTHONPATH=$PWD python tests/data/make_v1_fixtures.py``. The files it wrote are committed;
``tests/test_persistence_format.py`` checks that the current loader reads them and predicts what
skdeep 0.1 predicted. Running it with a later skdeep writes files of that later format instead.
"""

from pathlib import Path

import keras
import numpy as np
import pandas as pd
from imblearn.under_sampling import RandomUnderSampler

import skdeep

HERE = Path(__file__).parent


def main() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 4)).astype("float32")
    y = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
    df = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    ann = skdeep.ANNClassifier(
        n_layers=1,
        units=4,
        epochs=3,
        early_stopping=True,
        validation_fraction=0.25,
        class_weight={"no": 1.0, "yes": 2.0},
        sampler=RandomUnderSampler(random_state=1),
        optimizer=keras.optimizers.SGD(momentum=0.5),
        random_state=0,
    ).fit(df, y)
    ann.save(HERE / "ann_v1.skdeep")

    images = rng.integers(0, 256, (24, 6, 6), dtype=np.uint8)
    labels = np.repeat([3, 5, 7], 8)
    cnn = skdeep.CNNClassifier(
        n_blocks=1, convs_per_block=1, filters=2, dense_units=4, epochs=2, random_state=0
    ).fit(images, labels)
    cnn.save(HERE / "cnn_v1.skdeep")

    np.savez(
        HERE / "v1_expected.npz",
        ann_X=X,
        ann_proba=ann.predict_proba(df),
        ann_pred=ann.predict(df),
        cnn_X=images,
        cnn_proba=cnn.predict_proba(images),
        cnn_pred=cnn.predict(images),
    )


if __name__ == "__main__":
    main()
