"""A read-only file or folder that stays read-only for root too: a read-only bind mount.

Tests run as root in the container, where chmod alone does not stop a write; as another user,
chmod is used instead.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest


@contextlib.contextmanager
def read_only(target: Path):
    """Make the file or folder ``target`` read-only for the duration."""
    if os.geteuid() != 0:
        mode = target.stat().st_mode
        target.chmod(0o555 if target.is_dir() else 0o444)
        try:
            yield
        finally:
            target.chmod(mode)
        return
    bound = subprocess.run(["mount", "--bind", str(target), str(target)], capture_output=True)
    if bound.returncode != 0:
        pytest.skip("a read-only bind mount is not allowed here")
    try:
        remounted = subprocess.run(["mount", "-o", "remount,ro,bind", str(target)], capture_output=True)
        if remounted.returncode != 0:
            pytest.skip("a read-only bind mount is not allowed here")
        yield
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)
