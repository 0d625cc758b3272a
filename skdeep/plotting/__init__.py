"""Figures for training histories, cross-validation studies (confusion matrices; predicted
against true values and residuals for regressors), hyperparameter searches and image
augmentation.

Every function returns a :class:`matplotlib.figure.Figure`. skdeep imports matplotlib only
when a figure is drawn (Keras itself may import it when it is installed); on a Linux machine
without a display the non-interactive ``Agg`` backend is selected, unless a backend was
already chosen (``MPLBACKEND``, as Jupyter sets it, or ``matplotlib.use``).

Figures are created through ``pyplot`` so that ``plt.show()`` and notebooks display them; close
them with ``plt.close(fig)`` when drawing many. Legends sit outside the data, above the panels.
"""

from ._augmentation import plot_augmentation
from ._confusion import plot_confusion_matrix
from ._curves import plot_history, plot_learning_curves
from ._regression import plot_predictions, plot_residuals
from ._search import plot_search

__all__ = [
    "plot_augmentation",
    "plot_confusion_matrix",
    "plot_history",
    "plot_learning_curves",
    "plot_predictions",
    "plot_residuals",
    "plot_search",
]
