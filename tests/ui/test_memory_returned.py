"""Freed large blocks leave the process (ui.workers.keep_large_blocks_returnable), on glibc."""

from __future__ import annotations

import ctypes.util
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(sys.platform != "linux" or "libc.so" not in (ctypes.util.find_library("c") or ""),
                                reason="glibc's mallopt")

SCRIPT = """
import sys
from pmodesk.ui import workers

def resident():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

if sys.argv[1] == "fixed":
    assert workers.keep_large_blocks_returnable()
warm = [bytearray(1 << 20) for _ in range(4)]  # freeing these raises glibc's own threshold past 1 MiB
del warm
before = resident()
blocks, survivors = [], []
for _ in range(120):  # a register's lists: 1 MiB blocks with small survivors between them
    blocks.append(bytearray(1 << 20))
    survivors.append(bytearray(4096))
del blocks
print(resident() - before)
"""


def grown(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def test_freed_large_blocks_are_returned_once_the_threshold_is_fixed():
    assert grown("default") > 80  # glibc's default keeps them resident: the test can fail
    assert grown("fixed") < 20
