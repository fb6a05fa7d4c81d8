"""The first window: open, refuse, read-only banner, remember the last file."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from helpers import sha256
from pmodesk.store.lock import lock_path
from pmodesk.ui.models import COL_CODE, COL_INVESTMENT, COL_STAGE


def test_opens_the_demo_and_shows_every_initiative(window, demo_file, output_dir, qtbot):
    assert window.open_file(demo_file)
    assert window.windowTitle() == f"Transformation Portfolio 2024–2027 — {demo_file.name} — pmodesk"
    model = window.model
    assert model.rowCount() == 9
    codes = [model.data(model.index(r, COL_CODE)) for r in range(model.rowCount())]
    assert codes == sorted(codes) and "DIG-01" in codes
    row = codes.index("DIG-01")
    assert model.data(model.index(row, COL_INVESTMENT)) == "GBP 2,400,000.00"
    assert model.data(model.index(row, COL_STAGE)) == "sustainment"
    assert model.data(model.index(row, COL_INVESTMENT), Qt.ItemDataRole.TextAlignmentRole) is not None
    assert window.banner.isHidden()
    qtbot.waitExposed(window)
    window.grab().save(str(output_dir / "main-window-demo.png"))


def test_sorting_by_investment_uses_the_amount_not_the_text(window, demo_file):
    window.open_file(demo_file)
    window.table.sortByColumn(COL_INVESTMENT, Qt.SortOrder.DescendingOrder)
    proxy = window.proxy
    first = proxy.data(proxy.index(0, COL_CODE))
    last = proxy.data(proxy.index(proxy.rowCount() - 1, COL_CODE))
    assert (first, last) == ("DIG-01", "ESG-08")


def test_refused_file_shows_the_reason_and_is_unchanged(window, tmp_path, monkeypatch):
    junk = tmp_path / "not-a-portfolio.pmodesk"
    junk.write_bytes(b"PK\x03\x04 this is a zip, not a portfolio" * 20)
    before = sha256(junk)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: shown.append(text))
    assert not window.open_file(junk)
    assert len(shown) == 1 and "not a pmodesk portfolio file" in shown[0]
    assert sha256(junk) == before
    assert window.store is None and window.windowTitle() == "pmodesk"


def test_locked_file_opens_read_only_with_a_banner(window, demo_file, output_dir):
    lock_path(demo_file).write_text(json.dumps({
        "app": "pmodesk", "host": "finance-laptop-07", "user": "mgarcia", "pid": 4242,
        "since": "2026-11-23T08:05:00+00:00", "token": "t"}))
    assert window.open_file(demo_file)
    assert window.store.read_only
    assert window.windowTitle().endswith("[read-only] — pmodesk")
    assert not window.banner.isHidden()
    assert "mgarcia on finance-laptop-07" in window.banner.text()
    window.grab().save(str(output_dir / "main-window-read-only.png"))


def test_last_file_reopens_and_first_start_opens_the_demo(window, demo_file, settings):
    from pmodesk.ui.app import first_file

    first = first_file(settings)  # nothing opened yet: a fresh copy of the demo
    assert first.name == "demo.pmodesk" and first.exists()
    window.open_file(demo_file)
    assert first_file(settings) == demo_file.resolve()
    assert str(demo_file.resolve()) in window.recent_files()
    window.close_file()
    assert window.store is None and not lock_path(demo_file).exists()
