"""Helpers shared by tests (importable as ``helpers``; conftest modules are not for importing)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
OUTPUT = Path(__file__).parent / "output"  # screenshots and rendered pages for a person to look at


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real ``pmodesk`` command in a fresh interpreter, as a user would."""
    return subprocess.run([sys.executable, "-m", "pmodesk", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)
