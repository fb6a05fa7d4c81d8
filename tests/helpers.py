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


sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import AS_OF as GENERATED_AS_OF, generate  # noqa: E402 - make bench's generator


def generated_file(folder: Path, initiatives: int, benefits_each: int, measurements_each: int) -> Path:
    """A portfolio made by ``make bench``'s generator at a size a test chooses (as of GENERATED_AS_OF)."""
    path = folder / "generated.pmodesk"
    generate(path, initiatives=initiatives, benefits_each=benefits_each, measurements_each=measurements_each)
    return path
