"""Shared fixtures. Qt runs offscreen; core tests never touch Qt."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"
OUTPUT = Path(__file__).parent / "output"  # screenshots and rendered pages for a person to look at


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real ``pmodesk`` command in a fresh interpreter, as a user would."""
    return subprocess.run([sys.executable, "-m", "pmodesk", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


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
