"""The board-pack dialog offers PowerPoint beside PDF: choosing it writes a .pptx."""

from __future__ import annotations

from pmodesk.store import Store


def test_dialog_writes_pptx_when_chosen(demo_file, tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from pmodesk.engine.portfolio import compute  # noqa: F401 - the dialog computes in its worker
    from pmodesk.ui.boardpack_dialog import PPTX_FILTER, BoardPackDialog, with_pack_suffix

    assert with_pack_suffix("/x/pack", PPTX_FILTER) == "/x/pack.pptx"
    assert with_pack_suffix("/x/pack.pdf", PPTX_FILTER) == "/x/pack.pdf"
    with Store.open(demo_file, read_only=True) as store:
        data = store.load()
    offered = []

    def save_dialog(parent, caption, suggested, filters):
        offered.append(filters)
        return str(tmp_path / "chosen"), PPTX_FILTER

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    from datetime import date

    dialog = BoardPackDialog(data, date(2026, 10, 31), demo_file.name, None)
    qtbot.addWidget(dialog)
    dialog.start()
    qtbot.waitUntil(lambda: dialog.result_path is not None, timeout=120000)
    dialog.wait()
    assert "*.pptx" in offered[0] and "*.pdf" in offered[0]
    out = tmp_path / "chosen.pptx"
    from pptx import Presentation

    slides = Presentation(str(out)).slides
    assert dialog.pages == len(slides) > 20
    assert "slides" in dialog.status.text()
