"""Model selection: search strategies for neural networks, ready search spaces, progress bars.

- :class:`CoarseToFineSearchCV`: a wide random search, then a narrow one around the best region.
- :class:`EpochHalvingSearchCV`: successive halving with epochs as the budget; survivors keep
  training instead of restarting.
- :func:`search_space`: default grids, distributions and scikit-optimize dimensions per estimator.
- :func:`progress`: a progress bar for any joblib-based search (``GridSearchCV`` included).
- :func:`inner_split`: the stratified early-stopping split used inside ``fit``.

scikit-optimize is imported only when a Bayesian space or fine stage is asked for.
"""

from .._training._split import inner_split
from ._coarse_to_fine import CoarseToFineSearchCV
from ._halving import EpochHalvingSearchCV
from ._halving_schedule import rung_budgets
from ._progress import ProgressBar, progress, search_total
from ._spaces import search_space

__all__ = [
    "CoarseToFineSearchCV",
    "EpochHalvingSearchCV",
    "ProgressBar",
    "inner_split",
    "progress",
    "rung_budgets",
    "search_space",
    "search_total",
]
