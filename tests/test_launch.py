"""``make run`` on a machine without a display says so and writes the demo and its board pack."""

from __future__ import annotations

import os
import subprocess
import sys


def test_make_run_without_a_display(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    demo = tmp_path / "demo.pmodesk"
    result = subprocess.run([sys.executable, "-m", "pmodesk.launch", str(demo)], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("There is no display here")
    assert str(demo) in result.stdout and demo.exists()
    pack = tmp_path / "demo-board-pack.pdf"
    assert str(pack) in result.stdout and pack.read_bytes().startswith(b"%PDF")
