"""The ``skdeep`` command: ``skdeep demo``, ``skdeep tune``, ``skdeep study``.

More subcommands register in ``skdeep/_commands``. Parsing the command line imports neither
Keras nor scikit-learn, so ``skdeep --help`` answers at once and every setting or data error
is reported before TensorFlow loads (see :mod:`skdeep._commands._common`).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence

from .exceptions import SkdeepError

#: Subcommand modules; each defines ``register(subparsers)`` which sets ``func`` on its parser.
COMMANDS = ("demo", "tune", "study")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="skdeep",
        description="Tune and evaluate Keras classifiers the scikit-learn way.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"skdeep._commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``skdeep`` console script; returns the exit status."""
    os.environ.setdefault("MPLBACKEND", "Agg")  # figures are files: never open a window
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (SkdeepError, ValueError, TypeError, OSError) as exc:
        print(f"skdeep {args.command}: error: {exc}", file=sys.stderr)
        return 2


def run() -> None:
    """The ``skdeep`` console script: :func:`main`, then exit with its status.

    Once the command is done its output is flushed and the objects the process holds are moved
    out of the garbage collector's sight (:func:`gc.freeze`), so that Python's last collection
    at exit does not walk TensorFlow's millions of objects: ``skdeep demo`` ended 0.15 s after
    its work instead of 1.5 s (docs/performance.md). Exit handlers still run. :func:`main`
    itself leaves the calling process as it was.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
