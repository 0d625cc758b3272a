"""Atomic writes: a failure leaves the previous file untouched and no partial file."""

import os

import pytest

from skdeep.utils._atomic import atomic_path, write_bytes, write_text


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir())


def test_write_replaces_the_file(tmp_path):
    target = tmp_path / "model.skdeep"
    write_text(target, "old")
    write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert _leftovers(tmp_path) == ["model.skdeep"]


@pytest.mark.parametrize("error", [OSError("No space left on device"), KeyboardInterrupt()])
def test_failure_keeps_the_previous_file_and_leaves_nothing(tmp_path, error):
    target = tmp_path / "model.skdeep"
    target.write_text("good model")
    with pytest.raises(type(error)):
        with atomic_path(target) as tmp:
            tmp.write_text("half a mod")
            raise error
    assert target.read_text() == "good model"
    assert _leftovers(tmp_path) == ["model.skdeep"]


def test_failure_on_a_new_path_leaves_no_file(tmp_path):
    target = tmp_path / "new.json"
    with pytest.raises(RuntimeError):
        with atomic_path(target):
            raise RuntimeError("boom")
    assert _leftovers(tmp_path) == []


def test_failure_of_the_replace_itself_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "out.csv"
    target.write_text("previous")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_text(target, "next")
    assert target.read_text() == "previous"
    assert _leftovers(tmp_path) == ["out.csv"]


def test_new_files_get_the_usual_permissions_and_replaced_ones_keep_theirs(tmp_path):
    umask = os.umask(0o022)
    try:
        fresh = write_text(tmp_path / "fresh.txt", "x")
        assert fresh.stat().st_mode & 0o777 == 0o644  # what open(path, "w") gives, not 0o600
        kept = tmp_path / "kept.txt"
        kept.write_text("old")
        kept.chmod(0o640)
        write_text(kept, "new")
        assert kept.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(umask)
