"""skdeep.plotting: what is drawn equals the data; headless-safe; lazy import."""

import os
import subprocess
import sys
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import ANNClassifier
from skdeep.exceptions import NotFittedError, ParameterError
from skdeep.metrics import make_scorers
from skdeep.plotting import (
    plot_confusion_matrix,
    plot_history,
    plot_learning_curves,
    plot_search,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


HISTORY = {
    "loss": [0.9, 0.6, 0.5, 0.45],
    "accuracy": [0.6, 0.7, 0.8, 0.85],
    "val_loss": [0.95, 0.7, 0.65, 0.7],
    "val_accuracy": [0.55, 0.7, 0.75, 0.72],
}


def test_plot_history_from_dict_draws_the_values():
    fig = plot_history(HISTORY)
    loss_ax, acc_ax = fig.axes
    assert loss_ax.get_title() == "loss" and acc_ax.get_title() == "accuracy"
    train, val = loss_ax.lines
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(train.get_ydata(), HISTORY["loss"])
    np.testing.assert_array_equal(val.get_ydata(), HISTORY["val_loss"])
    np.testing.assert_array_equal(acc_ax.lines[1].get_ydata(), HISTORY["val_accuracy"])
    assert [line.get_label() for line in loss_ax.lines] == ["train", "validation"]


def test_plot_history_of_fitted_pipeline_marks_best_epoch(binary_data):
    X, y = binary_data
    model = make_pipeline(
        StandardScaler(),
        ANNClassifier(epochs=3, early_stopping=True, patience=5, units=8, random_state=0),
    ).fit(X, y)
    est = model[-1]
    fig = plot_history(model, metrics="loss")
    (ax,) = fig.axes
    train, val, best = ax.lines
    np.testing.assert_array_equal(train.get_ydata(), est.history_["loss"])
    np.testing.assert_array_equal(val.get_ydata(), est.history_["val_loss"])
    assert list(best.get_xdata()) == [est.best_epoch_] * 2
    assert best.get_label() == f"best epoch ({est.best_epoch_})"


def test_plot_history_draws_into_given_axes_and_skips_missing_metrics():
    fig, ax = plt.subplots()
    out = plot_history({"loss": [1.0, 0.5]}, ax=ax)  # accuracy absent: skipped
    assert out is fig and len(ax.lines) == 1
    fig2, axes = plt.subplots(1, 2)
    plot_history(HISTORY, ax=axes)
    assert [a.get_title() for a in axes] == ["loss", "accuracy"]


def test_plot_history_errors():
    with pytest.raises(ParameterError, match=r"None of the requested metrics.*Received: metrics"):
        plot_history(HISTORY, metrics=("auc",))
    with pytest.raises(ParameterError, match="metrics must name at least one"):
        plot_history(HISTORY, metrics=())
    with pytest.raises(NotFittedError, match="not fitted yet, so it has no history_"):
        plot_history(ANNClassifier())
    with pytest.raises(ParameterError, match="Received: LogisticRegression"):
        plot_history(LogisticRegression())
    _, ax = plt.subplots()
    with pytest.raises(ParameterError, match="Expected 2 Axes. Received: ax with 1 Axes"):
        plot_history(HISTORY, ax=ax)


def test_plot_learning_curves_thin_folds_bold_mean_unequal_lengths():
    folds = [
        {"loss": [1.0, 0.8, 0.6], "val_loss": [1.1, 0.9, 0.85]},
        {"loss": [0.9, 0.7], "val_loss": [1.0, 0.8]},
        {"loss": [1.2, 1.0, 0.7, 0.5], "val_loss": [1.3, 1.0, 0.9, 0.95]},
    ]
    fig = plot_learning_curves(folds, metrics=("loss", "accuracy"))
    (ax,) = fig.axes  # accuracy is in no history: one panel
    lines = ax.lines
    assert len(lines) == 3 + 3 + 2
    for line, fold in zip(lines[:3], folds):
        np.testing.assert_array_equal(line.get_ydata(), fold["loss"])
        assert line.get_linewidth() < 1
    mean_train, mean_val = lines[6:]
    # epoch 3 is the last one reached by at least 2 of the 3 folds; its mean is over those 2
    np.testing.assert_allclose(mean_train.get_ydata(), [31 / 30, 2.5 / 3, 0.65])
    np.testing.assert_array_equal(mean_train.get_xdata(), [1, 2, 3])
    np.testing.assert_allclose(mean_val.get_ydata(), [3.4 / 3, 2.7 / 3, 0.875])
    assert mean_train.get_linewidth() > 2
    assert mean_train.get_label() == "train (mean of 3)"


def test_plot_learning_curves_accepts_estimators_and_checks_input(binary_data):
    X, y = binary_data
    fits = [ANNClassifier(epochs=2, units=4, random_state=s).fit(X, y) for s in (0, 1)]
    fig = plot_learning_curves(fits, metrics="accuracy")
    np.testing.assert_array_equal(fig.axes[0].lines[1].get_ydata(), fits[1].history_["accuracy"])
    assert len(fig.axes[0].lines) == 3  # two folds + mean (no validation recorded)
    with pytest.raises(ParameterError, match="non-empty sequence"):
        plot_learning_curves([])
    with pytest.raises(ParameterError, match="non-empty sequence"):
        plot_learning_curves(HISTORY)


def test_plot_confusion_matrix_counts_and_normalised():
    cm = np.array([[50, 2, 3], [4, 40, 6], [0, 5, 45]])
    fig = plot_confusion_matrix(cm, labels=["a", "b", "c"])
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.images[0].get_array(), cm)
    texts = [t.get_text() for t in ax.texts]
    assert texts == [str(v) for v in cm.ravel()]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b", "c"]
    assert ax.get_xlabel() == "predicted label" and ax.get_ylabel() == "true label"
    norm = plot_confusion_matrix(cm, normalize=True).axes[0]
    np.testing.assert_allclose(norm.images[0].get_array().sum(axis=1), 1.0)
    assert norm.texts[0].get_text() == f"{50 / 55:.2f}"
    pred = plot_confusion_matrix(cm, normalize="pred").axes[0]
    np.testing.assert_allclose(pred.images[0].get_array().sum(axis=0), 1.0)
    _, own = plt.subplots()
    assert plot_confusion_matrix(cm, ax=own) is own.figure


def test_plot_confusion_matrix_errors():
    with pytest.raises(ParameterError, match=r"square matrix.*Received: cm with shape \(2, 3\)"):
        plot_confusion_matrix(np.zeros((2, 3)))
    with pytest.raises(ParameterError, match="Expected 2 labels. Received: labels with 3"):
        plot_confusion_matrix(np.eye(2), labels=["a", "b", "c"])
    with pytest.raises(ParameterError, match="normalize must be a bool or one of"):
        plot_confusion_matrix(np.eye(2), normalize="rows")
    with pytest.raises(ParameterError, match="non-negative numbers.*minimum -1"):
        plot_confusion_matrix(np.array([[1, -1], [0, 2]]))


@pytest.fixture(scope="module")
def search(binary_data):
    X, y = binary_data
    grid = {
        "logisticregression__C": [0.001, 0.1, 1.0],
        "logisticregression__class_weight": [None, "balanced"],
        "logisticregression__fit_intercept": [True, False],
    }
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=300))
    return GridSearchCV(pipe, grid, cv=2, scoring=make_scorers(["f1", "recall"]), refit="f1").fit(
        X[:120], y[:120]
    )


def test_plot_search_points_are_the_cv_results(search):
    fig = plot_search(search)
    c_ax, cw_ax, fi_ax = fig.axes
    assert [c_ax.get_xlabel(), cw_ax.get_xlabel(), fi_ax.get_xlabel()] == [
        "C",
        "class_weight",
        "fit_intercept",
    ]
    assert c_ax.get_xscale() == "log" and cw_ax.get_xscale() == "linear"
    res = search.cv_results_
    points = c_ax.containers[0].lines[0]
    np.testing.assert_array_equal(points.get_xdata(), res["param_logisticregression__C"].data)
    np.testing.assert_array_equal(points.get_ydata(), res["mean_test_f1"])
    assert c_ax.get_ylabel() == "mean test f1"
    # categories in order of first appearance, positions 0..k-1
    assert [t.get_text() for t in cw_ax.get_xticklabels()] == ["None", "balanced"]
    cats = cw_ax.containers[0].lines[0].get_xdata()
    expected = [0.0 if v is None else 1.0 for v in res["param_logisticregression__class_weight"]]
    np.testing.assert_array_equal(cats, expected)
    # the refit candidate is starred
    star = next(line for line in fi_ax.lines if line.get_label() == "best candidate")
    assert star.get_ydata()[0] == res["mean_test_f1"][search.best_index_]
    # the profile joins the best mean per value
    profile = next(line for line in c_ax.lines if line.get_label() == "best per value")
    best_at_c = [
        res["mean_test_f1"][res["param_logisticregression__C"].data == c].max()
        for c in [0.001, 0.1, 1.0]
    ]
    np.testing.assert_allclose(profile.get_ydata(), best_at_c)


def test_plot_search_metric_and_params_selection(search):
    fig = plot_search(search, params=["C", "logisticregression__fit_intercept"], metric="recall")
    assert len(fig.axes) == 2 and fig.axes[0].get_ylabel() == "mean test recall"
    np.testing.assert_array_equal(
        fig.axes[0].containers[0].lines[0].get_ydata(), search.cv_results_["mean_test_recall"]
    )
    with pytest.raises(ParameterError, match=r"Expected metric among \['f1', 'recall'\]"):
        plot_search(search, metric="auc")
    with pytest.raises(ParameterError, match="params must name searched parameters"):
        plot_search(search, params=["units"])


def test_plot_search_ambiguous_metric_and_unfitted():
    class Fake:
        refit = False
        cv_results_ = {
            "param_a": np.ma.masked_array([1, 2]),
            "mean_test_f1": np.array([0.5, 0.6]),
            "mean_test_recall": np.array([0.4, 0.7]),
        }

    with pytest.raises(ParameterError, match="metric to plot is ambiguous"):
        plot_search(Fake())
    fig = plot_search(Fake(), metric="recall")  # no std_: zero error bars
    np.testing.assert_array_equal(fig.axes[0].containers[0].lines[0].get_ydata(), [0.4, 0.7])
    with pytest.raises(NotFittedError, match="needs a fitted search with cv_results_"):
        plot_search(GridSearchCV(LogisticRegression(), {"C": [1.0]}))


def test_skdeep_never_needs_matplotlib_until_a_figure_is_drawn():
    # matplotlib made unimportable: skdeep, its plotting and evaluation modules still import
    code = textwrap.dedent(
        """
        import sys
        sys.modules["matplotlib"] = None
        import skdeep, skdeep.plotting, skdeep.evaluation
        try:
            skdeep.plotting.plot_confusion_matrix([[1, 2], [3, 4]])
        except ImportError:
            print("lazy")
        """
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "TF_CPP_MIN_LOG_LEVEL": "3"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "lazy"


def test_agg_is_forced_only_when_headless_and_unchosen(monkeypatch):
    import matplotlib

    from skdeep import plotting

    calls = []
    monkeypatch.setattr(matplotlib, "use", lambda name, **kw: calls.append(name))
    monkeypatch.setattr(plotting, "_explicit_backend", lambda mpl: None)
    monkeypatch.setattr(plotting.sys, "platform", "linux")
    monkeypatch.delenv("MPLBACKEND", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    plotting._pyplot()
    assert calls == ["Agg"]
    monkeypatch.setenv("DISPLAY", ":0")
    plotting._pyplot()
    assert calls == ["Agg"]  # a display: matplotlib picks the interactive backend itself
    monkeypatch.delenv("DISPLAY")
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    plotting._pyplot()
    assert calls == ["Agg"]  # the user's (or Jupyter's) choice is kept
