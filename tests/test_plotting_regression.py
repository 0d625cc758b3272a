"""plot_predictions and plot_residuals: what is drawn equals the data."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error, r2_score, root_mean_squared_error

from skdeep.exceptions import ParameterError
from skdeep.plotting import plot_predictions, plot_residuals

TRUE = np.array([1.0, 2.0, 3.0, 4.0, 10.0])
PRED = np.array([1.5, 1.0, 3.5, 4.0, 8.0])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_predictions_draws_true_against_predicted_on_one_range():
    fig = plot_predictions(TRUE, PRED)
    (ax,) = fig.axes
    np.testing.assert_array_equal(ax.collections[0].get_offsets(), np.column_stack([TRUE, PRED]))
    diagonal = ax.lines[0]
    np.testing.assert_array_equal(diagonal.get_xdata(), diagonal.get_ydata())
    assert ax.get_xlim() == ax.get_ylim()
    low, high = ax.get_xlim()
    assert low < 1.0 and high > 10.0  # every point inside, on both axes
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("true target", "predicted target")
    r2, mae = r2_score(TRUE, PRED), mean_absolute_error(TRUE, PRED)
    rmse = root_mean_squared_error(TRUE, PRED)
    assert ax.get_title() == f"R² {r2:.3f}   MAE {mae:.4g}   RMSE {rmse:.4g}"


def test_plot_predictions_one_panel_per_output_with_names():
    true = np.column_stack([TRUE, -TRUE])
    pred = np.column_stack([PRED, -PRED])
    fig = plot_predictions(true, pred, names=["price", "loss"])
    assert len(fig.axes) == 2
    assert [a.get_xlabel() for a in fig.axes] == ["true price", "true loss"]
    np.testing.assert_array_equal(fig.axes[1].collections[0].get_offsets()[:, 1], -PRED)
    _, axes = plt.subplots(1, 2)
    assert plot_predictions(true, pred, ax=axes) is axes[0].figure


def test_plot_residuals_draws_true_minus_predicted_and_its_histogram():
    fig = plot_residuals(TRUE, PRED)
    scatter_ax, hist_ax = fig.axes
    offsets = scatter_ax.collections[0].get_offsets()
    np.testing.assert_array_equal(offsets[:, 0], PRED)
    np.testing.assert_array_equal(offsets[:, 1], TRUE - PRED)
    assert list(scatter_ax.lines[0].get_ydata()) == [0.0, 0.0]  # the zero line
    assert scatter_ax.lines[1].get_label() == "running median"
    counts = sum(patch.get_height() for patch in hist_ax.patches)
    assert counts == len(TRUE)
    residuals = TRUE - PRED
    assert hist_ax.get_title() == f"mean {residuals.mean():.4g}, sd {residuals.std(ddof=1):.4g}"


def test_running_median_follows_a_bias_that_grows_with_the_prediction():
    rng = np.random.default_rng(0)
    pred = np.linspace(0, 100, 2000)
    true = pred + 0.1 * pred + rng.normal(0, 1, pred.size)  # under-predicts large values
    trend = plot_residuals(true, pred).axes[0].lines[1]
    x, median = trend.get_xdata(), trend.get_ydata()
    assert len(x) == 20 and np.all(np.diff(x) > 0)
    np.testing.assert_allclose(median, 0.1 * x, atol=1.0)


def test_plot_residuals_two_panels_per_output_and_user_axes():
    true, pred = np.column_stack([TRUE, TRUE]), np.column_stack([PRED, PRED + 1])
    fig = plot_residuals(true, pred)
    assert len(fig.axes) == 4
    np.testing.assert_array_equal(fig.axes[2].collections[0].get_offsets()[:, 1], TRUE - PRED - 1)
    _, axes = plt.subplots(1, 2)
    assert plot_residuals(TRUE, PRED, ax=axes) is axes[0].figure
    with pytest.raises(ParameterError, match="Expected 4 Axes. Received: ax with 2 Axes"):
        plot_residuals(true, pred, ax=axes)


@pytest.mark.parametrize(
    "true, pred, names, message",
    [
        (TRUE, PRED[:4], None, r"Received: y_true with shape \(5,\), y_pred with shape \(4,\)"),
        (TRUE, np.where(PRED > 3, np.nan, PRED), None, "Expected no NaN or infinity"),
        (TRUE, PRED, ["a", "b"], r"Expected 1 names. Received: names=\['a', 'b'\]"),
        ([], [], None, "one value"),
    ],
)
def test_regression_plots_refuse_bad_input(true, pred, names, message):
    for plot in (plot_predictions, plot_residuals):
        with pytest.raises(ParameterError, match=message):
            plot(true, pred, names=names)


def test_plot_search_says_when_scores_are_negated_errors():
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import GridSearchCV

    from skdeep.metrics import make_regression_scorers
    from skdeep.plotting import plot_search

    X, y = load_diabetes(return_X_y=True)
    grid = {"alpha": [0.1, 1.0, 10.0]}
    named = GridSearchCV(Ridge(), grid, cv=3, scoring="neg_mean_absolute_error").fit(X, y)
    label = plot_search(named).axes[0].get_ylabel()
    assert label == "mean test score\n(negated error: higher is better)"
    short = GridSearchCV(Ridge(), grid, cv=3, scoring=make_regression_scorers(), refit="rmse")
    assert "negated error" in plot_search(short.fit(X, y)).axes[0].get_ylabel()
    assert plot_search(short, metric="r2").axes[0].get_ylabel() == "mean test r2"
