"""Values float32 cannot hold are refused up front, at fit and at predict."""

import re

import numpy as np
import pandas as pd
import pytest

from skdeep import ANNClassifier, CNNClassifier, KerasClassifier
from skdeep.exceptions import DataError


def _mlp(meta):
    import keras

    return keras.Sequential(
        [keras.Input(meta["input_shape"]), keras.layers.Dense(1, activation="sigmoid")]
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: ANNClassifier(epochs=1),
        lambda: CNNClassifier(n_blocks=1, filters=2, dense_units=0, epochs=1),
        lambda: KerasClassifier(_mlp, epochs=1),
    ],
    ids=["ann", "cnn", "keras"],
)
@pytest.mark.parametrize("value", [1e39, -1e308])
def test_out_of_float32_range_is_refused_at_fit_naming_the_column(binary_data, make, value):
    X, y = binary_data
    X = X.astype(np.float64)
    X[5, 3] = value
    expected = rf"float32 cannot represent.*{re.escape(repr(value))} in column 3 of sample 5"
    with pytest.raises(DataError, match=expected):
        make().fit(X, y)


def test_out_of_float32_range_is_refused_at_predict_with_the_column_name(binary_data):
    X, y = binary_data
    frame = pd.DataFrame(X.astype(np.float64), columns=[f"f{i}" for i in range(X.shape[1])])
    est = ANNClassifier(epochs=1, random_state=0).fit(frame, y)
    frame.iloc[0, 2] = 3.5e38
    with pytest.raises(DataError, match=r"3\.5e\+38 in column 'f2' \(index 2\) of sample 0"):
        est.predict(frame)


def test_values_within_float32_range_pass_unchanged():
    from skdeep._training._data import as_float32

    X = np.array([[3.0e38, -3.0e38, 1e-50]])
    out = as_float32(X)
    assert out.dtype == np.float32 and np.isfinite(out).all()
    assert as_float32(out) is out  # float32 input is not copied
