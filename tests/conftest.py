"""Shared fixtures. Qt runs offscreen; core tests never touch Qt."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The window keeps large files' figures between sessions in the user's cache folder: never the real one here.
os.environ["PMODESK_CACHE_DIR"] = tempfile.mkdtemp(prefix="pmodesk-test-cache-")

# Property tests explore new random examples on a developer's machine, but CI replays the same
# derandomised set every run, so a landing never passes or fails by chance.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")

from helpers import OUTPUT


@pytest.fixture(scope="session")
def demo_master(tmp_path_factory) -> Path:
    from pmodesk.demo import write_demo

    path = tmp_path_factory.mktemp("master") / "demo.pmodesk"
    write_demo(path).close()
    return path


@pytest.fixture
def demo_file(demo_master, tmp_path) -> Path:
    """A private copy of the demo portfolio."""
    path = tmp_path / "demo.pmodesk"
    shutil.copyfile(demo_master, path)
    return path


@pytest.fixture
def output_dir() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def pg_server():
    """A throwaway PostgreSQL server (tests/pg.py); skipped with the reason where none can start, and
    failed instead under ``CI=true``."""
    import pg

    try:
        server = pg.start()
    except pg.Unavailable as why:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"team-mode tests need PostgreSQL: {why}", pytrace=False)
        pytest.skip(f"no PostgreSQL server for the team-mode tests: {why}")
    try:
        yield server
    finally:
        server.stop()


_portfolio_names = iter(range(1, 1_000_000))


@pytest.fixture
def pg_portfolio(pg_server) -> str:
    """A fresh, unused portfolio location on the throwaway server."""
    return pg_server.url(f"t{next(_portfolio_names)}_{os.getpid()}")


@pytest.fixture(params=["file", "server"])
def location(request, tmp_path):
    """Where a test's new portfolio goes: a file, then a portfolio on the throwaway server.

    Call it with a name to get a fresh location (a path string or a ``postgresql://`` URL).
    """
    if request.param == "file":
        return lambda name="p": str(tmp_path / f"{name}.pmodesk")
    server = request.getfixturevalue("pg_server")
    return lambda name="p": server.url(f"{name}_{next(_portfolio_names)}_{os.getpid()}")


@pytest.fixture
def demo_location(location, demo_file) -> str:
    """A private copy of the demo portfolio, in a file or on the server."""
    target = location("demo")
    if target.startswith("postgresql://"):
        from pmodesk.store.location import copy_portfolio

        copy_portfolio(demo_file, target)
        return target
    return str(demo_file)
