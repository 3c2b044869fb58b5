"""Fixtures for the tests: a small real content folder in tmp_path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # so test modules can import sitekit wherever pytest runs

from sitekit import Site  # noqa: E402


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)
