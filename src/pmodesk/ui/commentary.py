"""The PMO's own words for a meeting (DESIGN.md section 4, Commentary): per initiative or for the whole
portfolio, per meeting date; printed beside the generated narrative in the board pack."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

if TYPE_CHECKING:
    from pmodesk.domain.model import Commentary, PortfolioData


def _day(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


class CommentaryPanel(QWidget):
    """One commentary (meeting date × initiative or portfolio): shown, typed, saved as one undoable edit."""

    command_requested = Signal(object)

    def __init__(self, scope: str, parent=None):
        super().__init__(parent)
        self.scope = scope  # "portfolio" or "initiative"
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Meeting date:"))
        self.meeting = QDateEdit()
        self.meeting.setCalendarPopup(True)
        self.meeting.setDisplayFormat("yyyy-MM-dd")
        self.meeting.setAccessibleName("Meeting date of the commentary")
        self.meeting.dateChanged.connect(lambda _: self._load())
        top.addWidget(self.meeting)
        top.addWidget(QLabel("Author:"))
        self.author = QLineEdit()
        self.author.setAccessibleName("Author of the commentary")
        top.addWidget(self.author, 1)
        layout.addLayout(top)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("PMO commentary")
        self.text.setPlaceholderText("The PMO's own words for the meeting"
                                     + (" on this initiative" if scope == "initiative" else " on the whole portfolio")
                                     + "; printed in the board pack beside the generated narrative, marked as the PMO's.")
        self.text.setTabChangesFocus(True)
        layout.addWidget(self.text, 1)
        bottom = QHBoxLayout()
        self.others = QLabel()
        self.others.setWordWrap(True)
        self.others.setStyleSheet("color: #5F6B7A;")
        bottom.addWidget(self.others, 1)
        self.save = QPushButton("Save &commentary")
        self.save.setProperty("edits", True)
        self.save.clicked.connect(self._save)
        bottom.addWidget(self.save)
        layout.addLayout(bottom)
        self._data: PortfolioData | None = None
        self._initiative_id: int | None = None
        self.read_only = True
        self.current: Commentary | None = None

    def set_scope(self, data: PortfolioData | None, initiative_id: int | None, meeting: date, read_only: bool) -> None:
        self._data, self._initiative_id, self.read_only = data, initiative_id, read_only
        self.meeting.blockSignals(True)
        if self.current is None and not self.text.toPlainText():
            self.meeting.setDate(QDate(meeting.year, meeting.month, meeting.day))
        self.meeting.blockSignals(False)
        self._load()

    def _entries(self) -> list[Commentary]:
        if self._data is None:
            return []
        return [c for c in self._data.commentary if c.initiative_id == self._initiative_id]

    def _load(self) -> None:
        day = _day(self.meeting)
        entries = self._entries()
        self.current = next((c for c in entries if c.meeting_date == day), None)
        self.text.setPlainText(self.current.text if self.current else "")
        self.author.setText(self.current.author or "" if self.current else self.author.text())
        dates = sorted({c.meeting_date for c in entries}, reverse=True)
        self.others.setText("Commentary recorded for meetings: " + ", ".join(d.isoformat() for d in dates[:8])
                            if dates else "No commentary recorded yet.")
        editable = self._data is not None and not self.read_only
        for widget in (self.text, self.author):
            widget.setReadOnly(not editable)
        self.save.setEnabled(editable)

    def build(self):
        """The edit that stores what is typed: add, change or (emptied) remove the commentary."""
        from pmodesk.commands import DeleteRecord, InsertRecord, UpdateRecord

        text = self.text.toPlainText().strip()
        author = self.author.text().strip() or None
        day = _day(self.meeting)
        if self.current is None:
            if not text:
                return None
            from pmodesk.domain.model import Commentary

            return InsertRecord(Commentary(day, text, self._initiative_id, author), label="Add commentary")
        if not text:
            return DeleteRecord(self.current, label="Remove commentary")
        changes = {k: v for k, v in (("text", text), ("author", author)) if getattr(self.current, k) != v}
        if not changes:
            return None
        return UpdateRecord("commentary", self.current.id, {k: getattr(self.current, k) for k in changes}, changes,
                            label="Edit commentary")

    def _save(self) -> None:
        if self.read_only:
            return
        command = self.build()
        if command is not None:
            self.command_requested.emit(command)
