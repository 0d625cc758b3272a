"""``save`` and ``load`` on every skdeep estimator (the file format is in :mod:`._io`)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SavableMixin"]


class SavableMixin:
    """Saving to one file without pickle, and loading that runs no code."""

    def save(self, path) -> Path:
        """Save the fitted estimator to one file (Keras format + parameters, no pickle).

        Parameters
        ----------
        path : str or path-like
            Destination file, e.g. ``"model.skdeep"``; written atomically.

        Returns
        -------
        pathlib.Path

        Examples
        --------
        >>> from sklearn.datasets import make_classification
        >>> import skdeep, tempfile, os
        >>> X, y = make_classification(random_state=0)
        >>> est = skdeep.ANNClassifier(epochs=2, random_state=0).fit(X, y)
        >>> path = est.save(os.path.join(tempfile.mkdtemp(), "est.skdeep"))
        >>> (skdeep.load(path).predict(X) == est.predict(X)).all()
        np.True_
        """
        from . import save

        return save(self, path)

    def _saved_params(self) -> dict:
        """The parameters a saved file holds (see :meth:`save`): all but ``callbacks`` and
        ``memory``, which hold objects of this process (a loaded estimator has neither)."""
        params = self.get_params(deep=False)
        return {k: v for k, v in params.items() if k not in ("callbacks", "memory")}

    def _restore_params(self, model) -> None:
        """Set what a saved file cannot hold, once its network is loaded (nothing here)."""

    @classmethod
    def load(cls, path):
        """Load an estimator of this class saved with :meth:`save` (no code is run).

        Loading a file saved by another skdeep estimator class raises ``DataError``; use
        :func:`skdeep.load` to load any skdeep estimator.
        """
        from . import load

        return load(path, expected=None if cls.__module__ == "skdeep.base" else cls)
