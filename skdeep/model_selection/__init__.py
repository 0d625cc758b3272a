"""Model selection helpers: the inner validation split (more search tools build on it)."""

from ._split import inner_split

__all__ = ["inner_split"]
