"""A read-only portfolio file opens read-only in the window with the store's banner, and the window
offers no edit that would fail (issue 12, item 6)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from helpers import sha256
from pmodesk.ui.models import BCOL_TARGET

sys.path.insert(0, str(Path(__file__).parents[1] / "store"))
from readonly_mounts import read_only  # noqa: E402


def test_read_only_file_shows_the_banner_and_blocks_edits(window, demo_file, output_dir, monkeypatch):
    before = sha256(demo_file)
    with read_only(demo_file):
        assert window.open_file(demo_file)
        assert window.store.read_only and window.windowTitle().endswith("[read-only] — pmodesk")
        assert not window.banner.isHidden()
        assert "Read-only: demo.pmodesk is a read-only file." in window.banner.text()
        window.grab().save(str(output_dir / "main-window-read-only-file.png"))
        benefits = window.initiative_view.benefits
        assert not (benefits.flags(benefits.index(0, BCOL_TARGET)) & Qt.ItemFlag.ItemIsEditable)
        warned = []
        monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
        window.edit_benefit(window.data.benefits[0], "target_value", Decimal("1"))
        assert warned and "open read-only" in warned[0]
    assert sha256(demo_file) == before
