"""Record actuals: the month's measurements in one sitting (DESIGN.md sections 5 and 7).

Every benefit due a measurement at the as-of date is listed with its last value and its planned
value; the new values are typed, or pasted as a column from a spreadsheet, each cell checked as it
arrives, and one command stores the whole batch as one undoable edit.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDateEdit, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget,
)

from pmodesk.domain.model import Measurement, PortfolioData
from pmodesk.engine.cycle import DueMeasurement, due_measurements
from pmodesk.engine.portfolio import PortfolioResult
from pmodesk.ui import formatting as fmt
from pmodesk.ui.models import fit_columns, record_table
from pmodesk.ui.turns import Steps

(ACOL_INITIATIVE, ACOL_BENEFIT, ACOL_MEASURE, ACOL_FREQUENCY, ACOL_LAST, ACOL_LAST_DATE, ACOL_PLANNED, ACOL_NEW,
 ACOL_CHECK) = range(9)
TITLES = ("Initiative", "Benefit", "Measure", "Frequency", "Last value", "Last measured", "Planned at as-of date",
          "New value", "Check")
PROBLEM = QColor("#F6D5D5")
WARNING = QColor("#FFF1C7")
ENTERED = QColor("#E3F1E0")


class ActualsModel(QAbstractTableModel):
    """The due benefits with a cell for each new value; the cells hold text until recorded."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[DueMeasurement] = []
        self.texts: dict[int, str] = {}
        self.values: dict[int, Decimal] = {}
        self.problems: dict[int, str] = {}
        self.notes: dict[int, str] = {}  # not errors: e.g. the same value already recorded
        self.day: date = date.today()
        self.existing: dict[tuple[int, date], Decimal] = {}
        self.read_only = True

    def set_rows(self, rows: list[DueMeasurement], existing: dict, day: date, read_only: bool) -> None:
        self.beginResetModel()
        self.rows, self.existing, self.day, self.read_only = rows, existing, day, read_only
        self.texts, self.values, self.problems, self.notes = {}, {}, {}, {}
        self.endResetModel()
        self.changed.emit()

    def set_day(self, day: date) -> None:
        """A new measurement date re-checks every cell (a value may already exist on that date)."""
        self.day = day
        for row, text in list(self.texts.items()):
            self._check(row, text)
        if self.rows:
            self.dataChanged.emit(self.index(0, ACOL_NEW), self.index(len(self.rows) - 1, ACOL_CHECK))
        self.changed.emit()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(TITLES)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return TITLES[section]
        return None

    def flags(self, index):
        base = super().flags(index)
        if index.column() == ACOL_NEW and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        due = self.rows[row]
        b = due.benefit
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == ACOL_INITIATIVE:
                return due.initiative.code
            if column == ACOL_BENEFIT:
                return f"{b.code} — {b.title}"
            if column == ACOL_MEASURE:
                return b.measure + (f" ({b.unit})" if b.unit else "") + (" ↓ better" if b.direction.value == "lower"
                                                                         else " ↑ better")
            if column == ACOL_FREQUENCY:
                return b.frequency.value + (" · overdue" if due.stale else "")
            if column == ACOL_LAST:
                return fmt.measure(due.last_value)
            if column == ACOL_LAST_DATE:
                return due.last_date.isoformat() if due.last_date else "never (baseline " + \
                    (b.baseline_date.isoformat() if b.baseline_date else "—") + ")"
            if column == ACOL_PLANNED:
                return fmt.measure(due.planned_value)
            if column == ACOL_NEW:
                return self.texts.get(row, "")
            if column == ACOL_CHECK:
                return self.problems.get(row) or self.notes.get(row) or ("ready" if row in self.values else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ACOL_LAST, ACOL_PLANNED, ACOL_NEW):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column in (ACOL_NEW, ACOL_CHECK):
            if row in self.problems:
                return QBrush(PROBLEM)
            if row in self.notes:
                return QBrush(WARNING)
            if row in self.values:
                return QBrush(ENTERED)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column in (ACOL_NEW, ACOL_CHECK) and (row in self.problems or row in self.notes):
                return self.problems.get(row) or self.notes.get(row)
            if column == ACOL_BENEFIT:
                return f"{b.code} — {b.title}\nOwner: {b.owner or '—'} · data source: {b.data_source or '—'}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and column == ACOL_NEW and row in self.problems:
            return self.problems[row]
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or index.column() != ACOL_NEW or self.read_only:
            return False
        self._check(index.row(), str(value))
        self.dataChanged.emit(self.index(index.row(), ACOL_NEW), self.index(index.row(), ACOL_CHECK))
        self.changed.emit()
        return True

    def _check(self, row: int, text: str) -> None:
        """Validate one cell; the reason goes beside it, in a sentence."""
        text = text.strip()
        for store in (self.texts, self.values, self.problems, self.notes):
            store.pop(row, None)
        if not text:
            return
        self.texts[row] = text
        benefit = self.rows[row].benefit
        try:
            value = fmt.parse_number(text)
        except ValueError as error:
            self.problems[row] = f"{str(error).capitalize()}: type a number such as 1234.5."
            return
        if benefit.baseline_date is not None and self.day < benefit.baseline_date:
            self.problems[row] = (f"The measurement date {self.day.isoformat()} is before the baseline date "
                                  f"{benefit.baseline_date.isoformat()}.")
            return
        earlier = self.existing.get((benefit.id, self.day))
        if earlier is not None:
            if earlier == value:
                self.notes[row] = f"Already recorded on {self.day.isoformat()}: it will be skipped."
            else:
                self.problems[row] = (f"{benefit.code} already has {fmt.measure(earlier)} on {self.day.isoformat()}; "
                                      "change that measurement in the register instead.")
            return
        if benefit.unit and benefit.unit.strip() == "%" and not Decimal(-1000) <= value <= Decimal(1000):
            self.notes[row] = "An unusually large percentage; check it before recording."
        self.values[row] = value

    def paste(self, start_row: int, text: str) -> int:
        """Fill the new-value column downwards from ``start_row`` with the first cell of each pasted line."""
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        count = 0
        for offset, line in enumerate(lines):
            row = start_row + offset
            if row >= len(self.rows):
                break
            self._check(row, line.split("\t")[0])
            count += 1
        if count:
            self.dataChanged.emit(self.index(start_row, ACOL_NEW), self.index(start_row + count - 1, ACOL_CHECK))
            self.changed.emit()
        return count

    def clear(self, rows) -> None:
        for row in rows:
            self._check(row, "")
        if self.rows:
            self.dataChanged.emit(self.index(0, ACOL_NEW), self.index(len(self.rows) - 1, ACOL_CHECK))
        self.changed.emit()

    def measurements(self, source: str | None) -> list[Measurement]:
        return [Measurement(self.rows[row].benefit.id, self.day, value, source or None)
                for row, value in sorted(self.values.items())]


class ActualsTable(QTableView):
    """A table that takes a pasted column (Ctrl+V) and clears cells with Delete."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        model = self.model()
        if event.matches(QKeySequence.StandardKey.Paste) and isinstance(model, ActualsModel):
            row = max(self.currentIndex().row(), 0)
            model.paste(row, QGuiApplication.clipboard().text())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and isinstance(model, ActualsModel) \
                and self.state() != QTableView.State.EditingState and not model.read_only:
            model.clear({index.row() for index in self.selectionModel().selectedIndexes()} or {self.currentIndex().row()})
            return
        super().keyPressEvent(event)


class EarlierMeasurements:
    """What is already recorded for a due benefit on a day, looked up when a value is typed.

    A mapping of (benefit id, date) to the recorded value, without indexing every measurement of the
    portfolio (250,000 on a large one) each time the tab is shown: the benefit's own series says
    whether that day has a measurement, and only then is its exact value looked up."""

    def __init__(self, data: PortfolioData, result: PortfolioResult, benefit_ids: set[int]):
        self._data = data
        self._series = {b.benefit.id: b.series for b in result.benefits if b.benefit.id in benefit_ids}

    def get(self, key: tuple[int, date], default=None):
        benefit_id, day = key
        series = self._series.get(benefit_id)
        if series is None or all(d != day for d, _ in series.all_measurements):
            return default
        return next((m.value for m in self._data.measurements if m.benefit_id == benefit_id and m.date == day),
                    default)


class ActualsView(QWidget):
    command_requested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        top = QHBoxLayout()
        top.addWidget(QLabel("Measured on:"))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setAccessibleName("Measurement date")
        self.day.dateChanged.connect(lambda d: self.model.set_day(date(d.year(), d.month(), d.day())))
        top.addWidget(self.day)
        top.addWidget(QLabel("Source:"))
        self.source = QLineEdit()
        self.source.setPlaceholderText("where the figures come from, e.g. Finance month-end pack")
        self.source.setAccessibleName("Source of the measurements")
        top.addWidget(self.source, 1)
        layout.addLayout(top)
        self.model = ActualsModel(self)
        self.model.changed.connect(self._update)
        self.table = record_table(ActualsTable(), self.model, name="Benefits due a measurement")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableView.EditTrigger.AnyKeyPressed | QTableView.EditTrigger.DoubleClicked
                                   | QTableView.EditTrigger.EditKeyPressed)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        bottom.addWidget(self.status, 1)
        self.clear_button = QPushButton("C&lear")
        self.clear_button.clicked.connect(lambda: self.model.clear(range(self.model.rowCount())))
        self.record = QPushButton("&Record measurements")
        self.record.setDefault(True)
        self.record.clicked.connect(self.record_all)
        for button in (self.clear_button, self.record):
            button.setProperty("edits", True)
            bottom.addWidget(button)
        layout.addLayout(bottom)
        self._data: PortfolioData | None = None
        self._steps = Steps(self)

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, read_only: bool = True) -> None:
        self._data = data
        if result is None or data is None:
            self._steps.cancel()
            self.model.set_rows([], {}, date.today(), True)
            self.intro.setText("")
            return
        as_of = result.as_of
        self.day.blockSignals(True)
        self.day.setDate(QDate(as_of.year, as_of.month, as_of.day))
        self.day.blockSignals(False)
        from pmodesk.ui.decision_views import BACKGROUND_FROM_BENEFITS

        if len(result.benefits) >= BACKGROUND_FROM_BENEFITS:  # finding the benefits due, then the table: a turn each
            found: list = []
            self._steps.start(lambda: found.append(due_measurements(result)),
                              lambda: self._show_due(data, result, read_only, found[0]))
            return
        self._steps.cancel()
        self._show_due(data, result, read_only, due_measurements(result))

    def _show_due(self, data: PortfolioData, result: PortfolioResult, read_only: bool, rows: list) -> None:
        as_of = result.as_of
        existing = EarlierMeasurements(data, result, {r.benefit.id for r in rows})
        self.model.set_rows(rows, existing, as_of, read_only)
        overdue = sum(1 for r in rows if r.stale)
        self.intro.setText(
            f"{len(rows)} benefit{'s' if len(rows) != 1 else ''} due a measurement at {as_of.isoformat()} "
            f"({overdue} overdue: past 1.5 measurement intervals). Type each new value, or copy a column from a "
            "spreadsheet, select the first cell and paste (Ctrl+V). Each cell is checked as it arrives; "
            "Record stores them all as one edit, undone in one step.")
        fit_columns(self.table, caps={ACOL_BENEFIT: 360}, minimum={ACOL_NEW: 110})
        self.source.setEnabled(not read_only)
        self.day.setEnabled(not read_only)
        self._update()

    def _update(self) -> None:
        model = self.model
        ready, problems = len(model.values), len(model.problems)
        parts = [f"{ready} ready to record"]
        if problems:
            parts.append(f"{problems} cell{'s' if problems != 1 else ''} need{'s' if problems == 1 else ''} attention "
                         "(see the Check column)")
        if model.notes:
            parts.append(f"{len(model.notes)} note{'s' if len(model.notes) != 1 else ''}")
        self.status.setText("; ".join(parts) + ".")
        self.record.setText(f"&Record {ready} measurement{'s' if ready != 1 else ''}")
        self.record.setEnabled(ready > 0 and problems == 0 and not model.read_only)
        self.clear_button.setEnabled(bool(model.texts) and not model.read_only)

    def record_all(self) -> None:
        from pmodesk.commands import record_measurements

        if self.model.problems or not self.model.values or self.model.read_only:
            return
        measurements = self.model.measurements(self.source.text().strip())
        count = len(measurements)
        self.command_requested.emit(record_measurements(
            tuple(measurements), label=f"Record {count} measurement{'s' if count != 1 else ''} for "
                                       f"{self.model.day.isoformat()}"))
