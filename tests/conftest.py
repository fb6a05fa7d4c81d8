"""Shared fixtures. Qt runs offscreen; core tests never touch Qt."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
