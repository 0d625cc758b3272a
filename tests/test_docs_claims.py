"""Every test a guide names as the proof of a claim exists, in the file it names."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDES = sorted([*(ROOT / "docs").glob("*.md"), ROOT / "README.md"])
#: `tests/x.py`, `test_x.py`, `tests/x.py::test_y` or `::test_y` (the last file named before)
REFERENCE = re.compile(r"`((?:tests/)?[\w/]*test_\w+\.py)?(?:::(\w+))?`")


def _references(text: str):
    current = None
    for match in REFERENCE.finditer(text):
        path, name = match.groups()
        if path:
            current = path if path.startswith("tests/") else None
            if current is None:  # a bare file name: find it under tests/
                found = sorted((ROOT / "tests").rglob(path))
                current = str(found[0].relative_to(ROOT)) if len(found) == 1 else path
        if current is not None:
            yield current, name


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_named_tests_exist(guide):
    missing = []
    for path, name in _references(guide.read_text()):
        file = ROOT / path
        if "*" in path:
            continue
        if not file.is_file():
            missing.append(path)
        elif name and not re.search(rf"^def {name}\(", file.read_text(), re.MULTILINE):
            missing.append(f"{path}::{name}")
    assert missing == []
