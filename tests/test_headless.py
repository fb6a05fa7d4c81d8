"""Only pmodesk.ui imports Qt: the core runs where Qt cannot even be imported."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pmodesk

CORE_MODULES = sorted(
    m.name for m in pkgutil.walk_packages(pmodesk.__path__, "pmodesk.")
    if not m.name.startswith("pmodesk.ui") and m.name not in ("pmodesk.__main__",)
)

BLOCK_QT = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'):
            raise ImportError('Qt is blocked in this test: ' + name)
sys.meta_path.insert(0, Block())
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
from pmodesk.cli import cli
assert not any(m.split('.')[0] in ('PySide6', 'pyqtgraph') for m in sys.modules)
print('ok')
"""


def test_core_imports_without_qt():
    assert "pmodesk.store" in CORE_MODULES and "pmodesk.cli" in CORE_MODULES
    result = subprocess.run([sys.executable, "-c", BLOCK_QT, *CORE_MODULES], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_headless_commands_run_without_qt(tmp_path):
    script = BLOCK_QT.replace("print('ok')", "from pmodesk.cli import main\nmain(['demo', 'd.pmodesk'])")
    path = tmp_path / "d.pmodesk"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert path.exists()
