"""Subcommands of the ``skdeep`` console script, one module each."""
