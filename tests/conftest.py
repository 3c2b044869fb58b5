"""Fixtures for the tests: a small real content folder in tmp_path."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # so test modules can import sitekit wherever pytest runs

from sitekit import Site, worker_processes  # noqa: E402


@pytest.fixture
def site(tmp_path: Path) -> Site:
    return Site(tmp_path)


@pytest.fixture(params=[False, True], ids=["one process", "worker processes"])
def both_process_modes(request):
    """Run a test twice: parsing and rendering in this process, then in forked worker processes."""
    with worker_processes(request.param):
        yield
