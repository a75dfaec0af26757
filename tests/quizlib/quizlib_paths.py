"""Where the quizlib tests find their fixtures."""

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
OUR_FIXTURES = REPO_ROOT / "tests" / "fixtures" / "quizzes"


def moodle_fixture(name: str) -> Path:
    """Path of a third-party Moodle sample kept outside the project; skip when absent."""
    directory = REPO_ROOT / ".." / "shared" / "fixtures" / "moodle"
    if not (directory / name).is_file():
        pytest.skip("../shared/fixtures not present: skipping Moodle fixture tests")
    return directory / name
