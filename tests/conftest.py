"""Shared test set-up: the run history of every CLI call made by tests goes to a throw-away SQLite file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True, scope="session")
def _throwaway_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    old = os.environ.get("ACCORD_STORE")
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'runs.db'}"
    os.environ["ACCORD_STORE"] = url
    yield url
    if old is None:
        os.environ.pop("ACCORD_STORE", None)
    else:
        os.environ["ACCORD_STORE"] = old


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test in an empty directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
