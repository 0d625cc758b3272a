"""What every figure shares: the headless-safe pyplot, axes set-up, the legend above the data."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..exceptions import ParameterError, describe

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: Colours of the training and validation curves.
TRAIN_COLOR, VAL_COLOR = "C0", "C1"


def _pyplot():
    """``matplotlib.pyplot``, with ``Agg`` forced when headless and no backend was chosen.

    A backend counts as chosen when ``MPLBACKEND`` is set (Jupyter sets it), or
    ``matplotlib.use``/``rcParams["backend"]`` picked one; otherwise matplotlib would only
    pick one lazily at the first figure, and without a display that must be ``Agg``.
    """
    import matplotlib

    chosen = os.environ.get("MPLBACKEND") or _explicit_backend(matplotlib)
    if not chosen and _headless():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _explicit_backend(matplotlib) -> str | None:
    getter = getattr(matplotlib.rcParams, "_get_backend_or_none", None)
    if getter is None:  # older matplotlib: the resolved name is all there is
        return matplotlib.get_backend()
    return getter()


def _headless() -> bool:
    if sys.platform.startswith("linux"):
        return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return False


def as_metrics(metrics: str | Iterable[str]) -> list[str]:
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    if not names or not all(isinstance(m, str) for m in names):
        raise ParameterError(
            "metrics must name at least one history metric. Expected a string or a sequence "
            f"of strings such as ('loss', 'accuracy'). Received: metrics={describe(metrics)}"
        )
    return names


def new_figure(nrows: int, ncols: int, *, width: float, height: float, **kwargs):
    """A constrained-layout figure and its axes grid (2-D array)."""
    plt = _pyplot()
    return plt.subplots(
        nrows,
        ncols,
        figsize=(width * ncols, height * nrows),
        squeeze=False,
        layout="constrained",
        **kwargs,
    )


def axes_for(ax, n: int, *, width: float = 4.8, height: float = 3.6) -> tuple[Figure, list[Axes]]:
    """A new figure with ``n`` side-by-side axes, or the user's ``ax`` (one per panel)."""
    if ax is None:
        fig, axes = new_figure(1, n, width=width, height=height)
        return fig, list(axes[0])
    axes = list(np.ravel(ax)) if isinstance(ax, (Sequence, np.ndarray)) else [ax]
    if len(axes) != n:
        raise ParameterError(
            f"ax must hold one Axes per plotted panel. Expected {n} Axes. "
            f"Received: ax with {len(axes)} Axes"
        )
    return axes[0].figure, axes


def legend_outside(
    fig,
    axes: Sequence[Any],
    *,
    own_figure: bool = True,
    where: str = "upper",
    last: Sequence[str] = (),
) -> None:
    """One legend for the figure, outside the panels (never on the data).

    On a figure skdeep made (constrained layout) the legend goes above (``where="upper"``) or
    below (``"lower"``) the axes, entries in order of first appearance except those named in
    ``last``, which close the list; on the user's own axes each gets its legend where it
    covers the fewest points.
    """
    handles: dict[str, Any] = {}
    for axis in axes:
        for handle, label in zip(*axis.get_legend_handles_labels()):
            if label not in handles and not label.startswith("_"):
                handles[label] = handle
    if not handles:
        return
    labels = [k for k in handles if k not in last] + [k for k in last if k in handles]
    if own_figure:
        fig.legend(
            [handles[label] for label in labels],
            labels,
            loc=f"outside {where} center",
            ncols=min(len(labels), 5),
            frameon=False,
        )
    else:
        for axis in axes:
            axis.legend(frameon=False, loc="best")
