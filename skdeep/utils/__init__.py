"""Small helpers shared across skdeep's subpackages (the bottom floor: imports nothing of skdeep's
above :mod:`skdeep.exceptions`)."""
