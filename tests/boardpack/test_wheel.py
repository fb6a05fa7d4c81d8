"""Installed from a wheel, pmodesk still makes a board pack: its fonts and icons are package data found
with importlib.resources, not files beside a source checkout."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_installs_and_makes_a_pack(tmp_path):
    source = tmp_path / "source"  # build from a copy: the checkout gets no build/ or egg-info
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                    "-w", str(wheels), str(source)], check=True, capture_output=True, timeout=300)
    wheel = next(wheels.glob("pmodesk-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("pmodesk/bundled/fonts/NotoSans-Regular.ttf", "pmodesk/bundled/fonts/NotoSansThai-Regular.ttf",
                   "pmodesk/bundled/fonts/NanumSquareR.ttf", "pmodesk/bundled/fonts/LICENSE-Nanum.txt",
                   "pmodesk/bundled/icons/pmodesk-256.png", "pmodesk/store/schema/m0003.sql"):
        assert needed in names, needed

    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True, timeout=120)
    python = fresh / "bin" / "python"
    fresh_site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                     capture_output=True, text=True, check=True).stdout.strip())
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target",
                    str(fresh_site), str(wheel)], check=True, capture_output=True, timeout=300)
    # the locked environment's packages, seen after the fresh venv's own (a .pth line adds a path only:
    # the checkout's editable install there is not followed)
    locked = sysconfig.get_paths()["purelib"]
    (fresh_site / "locked-environment.pth").write_text(locked + "\n")

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    where = subprocess.run([str(python), "-c", "import pmodesk, pmodesk.resources as r; "
                            "print(pmodesk.__file__); print(r.resources_dir())"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout.split("\n")
    assert where[0].startswith(str(fresh_site)) and where[1].startswith(str(fresh_site)), where
    assert str(ROOT) not in "".join(where)
    for args in (["demo", "demo.pmodesk"], ["boardpack", "demo.pmodesk", "-o", "pack.pdf", "--as-of", "2026-10-31"],
                 ["boardpack", "demo.pmodesk", "-o", "pack.pptx", "--as-of", "2026-10-31"]):
        result = subprocess.run([str(python), "-m", "pmodesk", *args], cwd=work, env=env, capture_output=True,
                                text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    fonts = subprocess.run(["pdffonts", str(work / "pack.pdf")], capture_output=True, text=True, check=True).stdout
    assert "NotoSans-Regular" in fonts
    assert (work / "pack.pptx").stat().st_size > 10000
