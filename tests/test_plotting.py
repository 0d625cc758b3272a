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


def _visible_lines(ax):
    """The curves of a panel, without the end-of-fit dots."""
    return [line for line in ax.lines if line.get_marker() in ("None", None, "")]


def test_plot_learning_curves_mean_has_no_jump_and_a_strip_counts_running_fits():
    folds = [
        {"loss": [1.0, 0.8, 0.6], "val_loss": [1.1, 0.9, 0.85]},
        {"loss": [0.9, 0.7], "val_loss": [1.0, 0.8]},
        {"loss": [1.2, 1.0, 0.7, 0.5], "val_loss": [1.3, 1.0, 0.9, 0.95]},
    ]
    fig = plot_learning_curves(folds, metrics=("loss", "accuracy"))
    ax, strip = fig.axes  # accuracy is in no history: one panel, and its "running" strip
    lines = _visible_lines(ax)
    assert len(lines) == 3 + 1 + 3 + 1
    for line, fold in zip(lines[:3], folds):
        np.testing.assert_array_equal(line.get_ydata(), fold["loss"])
        assert line.get_linewidth() >= 1 and line.get_alpha() >= 0.5  # visible
    mean_train, mean_val = lines[3], lines[7]
    # the mean covers the epochs every fold reached: no population change, no jump
    np.testing.assert_array_equal(mean_train.get_xdata(), [1, 2])
    np.testing.assert_allclose(mean_train.get_ydata(), [3.1 / 3, 2.5 / 3])
    np.testing.assert_allclose(mean_val.get_ydata(), [3.4 / 3, 2.7 / 3])
    assert mean_train.get_linewidth() > 2
    assert mean_train.get_label() == "train, mean of 3 fits"
    # each fit ends in a dot where it stopped
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert sorted(int(d.get_xdata()[0]) for d in dots) == [2, 2, 3, 3, 4, 4]
    # the strip: fits still running at epochs 1..4
    (step,) = strip.lines
    np.testing.assert_array_equal(step.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_array_equal(step.get_ydata(), [3, 3, 2, 1])
    assert strip.get_xlabel() == "epoch" and ax.get_legend() is None and fig.legends


def test_plot_learning_curves_of_equal_lengths_have_no_strip():
    folds = [{"loss": [1.0, 0.5]}, {"loss": [0.8, 0.6]}]
    fig = plot_learning_curves(folds, metrics="loss")
    (ax,) = fig.axes
    np.testing.assert_allclose(_visible_lines(ax)[2].get_ydata(), [0.9, 0.55])


def test_plot_learning_curves_accepts_estimators_and_checks_input(binary_data):
    X, y = binary_data
    fits = [ANNClassifier(epochs=2, units=4, random_state=s).fit(X, y) for s in (0, 1)]
    fig = plot_learning_curves(fits, metrics="accuracy")
    lines = _visible_lines(fig.axes[0])
    np.testing.assert_array_equal(lines[1].get_ydata(), fits[1].history_["accuracy"])
    assert len(lines) == 3  # two folds + mean (no validation recorded)
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

    from skdeep.plotting import _base as plotting

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


# ---------------------------------------------------------------- reading right
class _FakeSearch:
    """A fitted search as plot_search sees it: cv_results_, the space, the refit choice."""

    refit = True
    n_splits_ = 3

    def __init__(self, results, space=None):
        self.cv_results_ = results
        self.param_distributions = space or {}
        self.best_index_ = int(np.nanargmax(results["mean_test_score"]))


def _column(values):
    return np.ma.masked_array(values, mask=[False] * len(values), dtype=object)


def _random_results(n=12, seed=0):
    rng = np.random.default_rng(seed)
    lr = np.exp(rng.uniform(np.log(3e-4), np.log(4e-3), n))  # log-uniform, under a decade
    return {
        "param_model__learning_rate": _column(lr.tolist()),
        "param_model__dropout": _column(rng.uniform(0, 0.5, n).tolist()),
        "param_model__units": _column(([16, 32, 64, 128, 256] * n)[:n]),
        "mean_test_score": rng.uniform(0.8, 0.95, n),
        "std_test_score": rng.uniform(0.0, 0.02, n),
    }


def test_log_uniform_parameter_gets_a_log_axis_with_round_readable_ticks():
    from scipy.stats import loguniform, uniform

    results = _random_results()
    space = {"model__learning_rate": loguniform(3e-4, 4e-3), "model__dropout": uniform(0, 0.5)}
    fig = plot_search(_FakeSearch(results, space))
    lr_ax, dropout_ax, units_ax = fig.axes
    assert lr_ax.get_xscale() == "log"
    assert [t.get_text() for t in lr_ax.get_xticklabels()] == ["5e-4", "1e-3", "2e-3"]
    assert dropout_ax.get_xscale() == "linear"
    assert units_ax.get_xscale() == "log"  # 16..256 spans more than a decade
    assert [t.get_text() for t in units_ax.get_xticklabels()] == ["16", "32", "64", "128", "256"]
    # without the distribution (a plain list of values under a decade): linear
    narrow = {**results, "param_model__units": _column([16, 32] * 6)}
    assert plot_search(_FakeSearch(narrow)).axes[2].get_xscale() == "linear"


def test_continuous_parameters_get_no_profile_line_and_the_legend_is_off_the_data():
    fig = plot_search(_FakeSearch(_random_results()))
    lr_ax, dropout_ax, units_ax = fig.axes
    labels = [[line.get_label() for line in ax.lines] for ax in fig.axes]
    assert "best per value" not in labels[0] and "best per value" not in labels[1]
    assert "best per value" in labels[2]  # five repeated choices: the profile reads well
    assert all(ax.get_legend() is None for ax in fig.axes)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "candidate",
        "best per value",
        "best candidate",
    ]
    # below every panel, not on one
    fig.canvas.draw()
    legend_box = legend.get_window_extent()
    assert all(legend_box.y1 <= ax.get_window_extent().y0 for ax in fig.axes)


def test_coarse_and_fine_stages_and_halving_rungs_are_drawn_apart():
    results = _random_results(n=6)
    results["stage"] = np.array(["coarse"] * 4 + ["fine"] * 2)
    fig = plot_search(_FakeSearch(results))
    groups = fig.axes[0].containers
    assert [len(c.lines[0].get_xdata()) for c in groups] == [4, 2]
    coarse, fine = (c.lines[0] for c in groups)
    assert coarse.get_markerfacecolor() == "white" and fine.get_markerfacecolor() != "white"
    assert [t.get_text() for t in fig.legends[0].get_texts()][:2] == ["coarse stage", "fine stage"]
    rungs = _random_results(n=7)
    rungs["n_resources"] = np.array([3, 3, 3, 3, 9, 9, 27])
    rungs["n_epochs_trained"] = rungs["n_resources"]
    fig = plot_search(_FakeSearch(rungs))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:3] == ["rung 1: 3 epochs", "rung 2: 9 epochs", "rung 3: 27 epochs"]


def test_failed_candidates_are_left_out_and_counted():
    results = _random_results(n=5)
    results["mean_test_score"][1] = np.nan
    fig = plot_search(_FakeSearch(results))
    assert len(fig.axes[0].containers[0].lines[0].get_xdata()) == 4
    assert fig.get_suptitle().endswith("1 failed (not shown)")


def test_log_ticks_and_labels():
    from skdeep.plotting._axes import log_ticks, tick_labels

    assert tick_labels(log_ticks(1e-4, 3e-2)) == ["1e-4", "3e-4", "1e-3", "3e-3", "1e-2", "3e-2"]
    assert tick_labels(log_ticks(0.5, 500)) == ["1", "3", "10", "30", "100", "300"]
    assert tick_labels(log_ticks(1e-8, 1e4)) == ["1e-8", "1e-5", "1e-2", "10", "1e4"]
    assert tick_labels(log_ticks(1e-3, 1.5e-3)) == ["1e-3", "1.5e-3"]


# ---------------------------------------------------------------- augmentation
def _images(n=4, size=12):
    rng = np.random.default_rng(0)
    X = np.zeros((n, size, size), dtype=np.uint8)
    X[:, 2:6, 2:9] = 255  # an off-centre bar: flips and shifts move it
    return X + rng.integers(0, 20, X.shape, dtype=np.uint8)


def test_plot_augmentation_shows_originals_above_augmented_versions():
    from skdeep import CNNClassifier
    from skdeep.plotting import plot_augmentation

    X = _images()
    est = CNNClassifier(flip="horizontal", translation=0.2, random_state=0)  # never fitted
    fig = plot_augmentation(est, X, n=3)
    originals, augmented = fig.axes[:3], fig.axes[3:]
    assert len(fig.axes) == 6
    shown = X[:3] / 255.0
    low, high = shown.min(), shown.max()  # one grey scale for every image
    for ax, image in zip(originals, shown):
        np.testing.assert_allclose(
            ax.images[0].get_array(), (image - low) / (high - low), atol=1e-6
        )
    assert any(
        not np.allclose(a.images[0].get_array(), o.images[0].get_array())
        for a, o in zip(augmented, originals)
    )
    assert "flip='horizontal'" in fig.get_suptitle() and "translation=0.2" in fig.get_suptitle()
    assert not hasattr(est, "model_")


def test_plot_augmentation_without_augmentation_and_with_flat_input():
    from skdeep import CNNClassifier
    from skdeep.plotting import plot_augmentation

    X = _images()
    fig = plot_augmentation(CNNClassifier(), X.reshape(4, -1), n=8)  # n > len(X): all four
    assert len(fig.axes) == 8 and "none (all parameters off)" in fig.get_suptitle()
    for o, a in zip(fig.axes[:4], fig.axes[4:]):
        np.testing.assert_array_equal(o.images[0].get_array(), a.images[0].get_array())
    wide = np.zeros((2, 6 * 10), dtype=np.uint8)
    fig = plot_augmentation(CNNClassifier(image_shape=(6, 10)), wide, n=2)
    assert fig.axes[0].images[0].get_array().shape == (6, 10)


def test_plot_augmentation_errors():
    from skdeep import CNNClassifier
    from skdeep.exceptions import DataError
    from skdeep.plotting import plot_augmentation

    with pytest.raises(ParameterError, match="needs an estimator with augmentation parameters"):
        plot_augmentation(ANNClassifier(), _images())
    with pytest.raises(ParameterError, match="n must be a positive integer"):
        plot_augmentation(CNNClassifier(), _images(), n=0)
    with pytest.raises(DataError, match="image_shape unless its rows are square"):
        plot_augmentation(CNNClassifier(), np.zeros((2, 10)))
    with pytest.raises(ParameterError, match="rotation must be a fraction"):
        plot_augmentation(CNNClassifier(rotation=2.0), _images())
