"""The skdeep console command."""

import pytest

from skdeep.cli import build_parser, main


def test_demo_runs_and_reports(capsys):
    assert main(["demo", "--n-iter", "1", "--cv", "2"]) == 0
    out = capsys.readouterr().out
    assert "best parameters:" in out
    for metric in ("precision", "recall", "specificity", "f1"):
        assert f"  {metric}" in out
    assert "confusion matrix" in out


def test_unknown_command_exits_with_usage(capsys):
    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["nope"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
