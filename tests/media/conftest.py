"""Fixtures for the media tests: a storage in a temp folder and a real PNG."""

from pathlib import Path

import pytest
from media_samples import image_bytes

from media.storage import MediaStorage


@pytest.fixture
def storage(tmp_path: Path) -> MediaStorage:
    return MediaStorage(tmp_path / "media")


@pytest.fixture
def png() -> bytes:
    return image_bytes("PNG", (2000, 1000))
