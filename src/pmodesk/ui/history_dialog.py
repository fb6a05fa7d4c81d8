"""Edit ▸ History of Changes: the portfolio's audit trail, newest first, with who made each change.

On a server portfolio "Who" is the database user the server recorded for the audit entry (DESIGN.md
section 16); a portfolio file records no user, so the column is left out there. A filter box narrows
the list to what mentions a code, a field or a person; opened from the Initiative tab it starts on that
initiative's code (its own changes and its benefits').
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout

from pmodesk.domain.model import AuditEntry, PortfolioData

COL_WHEN, COL_WHO, COL_ACTION, COL_WHAT, COL_FIELD, COL_BEFORE, COL_AFTER = range(7)
HEADERS = ("When", "Who", "Change", "Record", "Field", "Before", "After")
ACTIONS = {"insert": "Added", "update": "Changed", "delete": "Deleted"}
LONGEST = 120  # characters of a before/after value shown in the table (the tooltip has it all)


class RecordNames:
    """Names the record an audit entry is about, as a person would: its code where it has one.

    Indexed once, so a long trail over a large portfolio is named in one pass.
    """

    CODED = ("initiative", "benefit", "objective", "output", "outcome", "pivot_rule")

    def __init__(self, data: PortfolioData | None):
        self.codes: dict[str, dict[int, str]] = {}
        self.rows: dict[str, dict[int, object]] = {}
        if data is None:
            return
        lists = {"initiative": data.initiatives, "benefit": data.benefits, "objective": data.objectives,
                 "output": data.outputs, "outcome": data.outcomes, "pivot_rule": data.pivot_rules}
        self.codes = {entity: {r.id: r.code for r in rows} for entity, rows in lists.items()}
        self.rows = {"measurement": {r.id: r for r in data.measurements},
                     "trajectory_point": {r.id: r for r in data.trajectory},
                     "decision": {r.id: r for r in data.decisions}}

    def __call__(self, entry: AuditEntry) -> str:
        entity = entry.entity.replace("_", " ")
        if entry.entity == "portfolio":
            return "portfolio"
        if entry.entity_id is None:
            return entity
        if entry.entity in self.codes:
            code = self.codes[entry.entity].get(entry.entity_id)
            return f"{entity} {code}" if code else f"{entity} #{entry.entity_id}"
        row = self.rows.get(entry.entity, {}).get(entry.entity_id)
        if row is not None and entry.entity == "decision":
            initiative = self.codes["initiative"].get(row.initiative_id, "?")
            return f"decision on {initiative} raised {row.raised_on.isoformat()}"
        if row is not None:
            benefit = self.codes["benefit"].get(row.benefit_id, "?")
            return f"{entity} of {benefit} on {row.date.isoformat()}"
        return f"{entity} #{entry.entity_id}"


def record_name(entry: AuditEntry, data: PortfolioData | None) -> str:
    """The record one audit entry is about (see :class:`RecordNames` for many)."""
    return RecordNames(data)(entry)


def _when(at: datetime) -> str:
    return (at.astimezone() if at.tzinfo else at).strftime("%Y-%m-%d %H:%M")


class HistoryModel(QAbstractTableModel):
    """The audit trail as rows, newest first; ``users`` maps an entry id to the database user (may be empty)."""

    def __init__(self, entries: list[AuditEntry], users: dict[int, str], data: PortfolioData | None, parent=None):
        super().__init__(parent)
        unknown = "—" if users else ""  # on a server: an entry copied in, whose maker the server never saw
        name = RecordNames(data)
        self.rows = [(_when(e.at), users.get(e.id, unknown), ACTIONS.get(e.action, e.action), name(e),
                      (e.field or "").replace("_", " "), e.old_value or "", e.new_value or "")
                     for e in sorted(entries, key=lambda e: (e.at, e.id or 0), reverse=True)]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        text = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= LONGEST else text[:LONGEST - 1] + "…"
        if role == Qt.ItemDataRole.ToolTipRole and len(text) > LONGEST:
            return text
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_WHO and text == "—":
            return "Copied in when the portfolio was created: the server does not know who made this change."
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


class HistoryDialog(QDialog):
    def __init__(self, store, data: PortfolioData | None, parent=None, filter_text: str = ""):
        super().__init__(parent)
        self.setWindowTitle("History of changes")
        self.resize(980, 520)
        users_of = getattr(store, "audit_users", None)
        users = users_of() if users_of is not None else {}
        self.model = HistoryModel(store.audit_entries(), users, data, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        layout = QVBoxLayout(self)
        where = getattr(store, "location", None)
        note = QLabel(f"Every change to {where.label}, newest first, with the database user who made it."
                      if where is not None else
                      "Every change to this file, newest first (a file does not record who made a change; "
                      "a server portfolio does).")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by code, field, value or person")
        self.filter.setAccessibleName("Filter the history")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter.setText(filter_text)
        layout.addWidget(self.filter)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((COL_WHEN, 120), (COL_WHO, 110), (COL_ACTION, 70), (COL_WHAT, 170), (COL_FIELD, 100),
                              (COL_BEFORE, 190)):
            self.table.setColumnWidth(column, width)
        self.table.setColumnHidden(COL_WHO, not users)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
