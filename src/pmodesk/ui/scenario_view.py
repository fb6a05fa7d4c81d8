"""Scenarios: the section-6 metrics and forecast portfolio ROI of one or more scenarios side by side
with the current plan (DESIGN.md section 9)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTableView,
    QVBoxLayout, QWidget,
)

from pmodesk.domain.model import PortfolioData
from pmodesk.engine.portfolio import METRICS, PortfolioResult
from pmodesk.engine.scenarios import compare, comparison_json, describe_override
from pmodesk.ui import formatting as fmt
from pmodesk.ui.models import Field, RowsModel, record_table

EXTRA = (("remaining_cost", "Remaining cost"), ("expected_remaining_value", "Expected remaining value"),
         ("realised_value", "Realised value"), ("planned_value", "Planned value"), ("actual_cost", "Actual cost"))


class ScenarioView(QWidget):
    action_requested = Signal(str)  # New, Copy, Rename, Delete, Override, Optimise

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Scenario:"))
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Scenario")
        self.chooser.currentIndexChanged.connect(lambda _: self._chosen())
        top.addWidget(self.chooser, 1)
        self.buttons = {}
        for label in ("New…", "Copy…", "Rename…", "Delete", "Override…", "Optimise…"):
            button = QPushButton(label)
            button.setProperty("edits", label != "Optimise…")  # optimising only reads; saving its answer edits
            button.clicked.connect(lambda _=False, name=label: self.action_requested.emit(name.rstrip("…")))
            self.buttons[label.rstrip("…")] = button
            top.addWidget(button)
        layout.addLayout(top)
        self.overrides = QLabel()
        self.overrides.setWordWrap(True)
        self.overrides.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.overrides)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("Side by side with the current plan:"))
        self.compared = QListWidget()
        self.compared.setAccessibleName("Scenarios shown side by side")
        self.compared.itemChanged.connect(lambda _: self._show())
        side_layout.addWidget(self.compared, 1)
        splitter.addWidget(side)
        self.model = RowsModel([], self)
        self.table = record_table(QTableView(), self.model, name="Scenario comparison")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        splitter.addWidget(self.table)
        splitter.setSizes([220, 900])
        layout.addWidget(splitter, 1)
        note = QLabel("Overrides change what is computed, never the recorded measurements or costs.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #5F6B7A;")
        layout.addWidget(note)
        self._data: PortfolioData | None = None
        self._result: PortfolioResult | None = None
        self.comparison: dict | None = None
        self.comparisons: dict[int, dict] = {}
        self.read_only = True
        self._select_next: int | None = None

    def select_when_made(self, name: str) -> None:
        """The next refresh chooses the scenario called ``name`` (a new scenario is selected when made)."""
        self._select_next = name

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, read_only: bool = True) -> None:
        self._data, self._result, self.read_only = data, result, read_only
        scenarios = sorted(data.scenarios if data else (), key=lambda s: s.name.casefold())
        current = self.chooser.currentData()
        if self._select_next is not None:
            current = next((s.id for s in scenarios if s.name == self._select_next), current)
            self._select_next = None
        ticked = self.ticked() | ({current} if current is not None else set())
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for s in scenarios:
            self.chooser.addItem(s.name, s.id)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(current)))
        self.chooser.blockSignals(False)
        self.compared.blockSignals(True)
        self.compared.clear()
        chosen = self.chooser.currentData()
        for s in scenarios:
            item = QListWidgetItem(s.name)
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if s.id in ticked or s.id == chosen else Qt.CheckState.Unchecked)
            self.compared.addItem(item)
        self.compared.blockSignals(False)
        self._show()

    def ticked(self) -> set[int]:
        return {self.compared.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.compared.count())
                if self.compared.item(n).checkState() == Qt.CheckState.Checked}

    def set_ticked(self, scenario_id: int, on: bool) -> None:
        for n in range(self.compared.count()):
            item = self.compared.item(n)
            if item.data(Qt.ItemDataRole.UserRole) == scenario_id:
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def current_id(self) -> int | None:
        return self.chooser.currentData()

    def _chosen(self) -> None:
        chosen = self.chooser.currentData()
        if chosen is not None:
            self.compared.blockSignals(True)
            self.set_ticked(chosen, True)
            self.compared.blockSignals(False)
        self._show()

    def _show(self) -> None:
        scenario_id = self.chooser.currentData()
        self.buttons["New"].setEnabled(self._data is not None and not self.read_only)
        self.buttons["Optimise"].setEnabled(self._result is not None)
        for name in ("Copy", "Rename", "Delete", "Override"):
            self.buttons[name].setEnabled(scenario_id is not None and not self.read_only)
        if self._data is None or self._result is None or scenario_id is None:
            self.model.set_rows([], [])
            self.overrides.setText("No scenario in this portfolio yet.")
            self.comparison = None
            self.comparisons = {}
            return
        data, currency = self._data, self._data.portfolio.currency
        codes = {i.id: i.code for i in data.initiatives}
        money = lambda amount: fmt.money(amount, currency)  # noqa: E731
        parts = [f"{codes[o.initiative_id]}: {describe_override(o, money)}" for o in data.scenario_overrides
                 if o.scenario_id == scenario_id]
        self.overrides.setText(f"Overrides of “{self.chooser.currentText()}” — " + ("; ".join(sorted(parts)) or "none"))
        names = {s.id: s.name for s in data.scenarios}
        shown = [s for s in sorted(self.ticked(), key=lambda s: names.get(s, "").casefold()) if s in names]
        self.comparisons = {s: comparison_json(compare(data, s, self._result.as_of, self._result)) for s in shown}
        self.comparison = self.comparisons.get(scenario_id)
        units = {key: unit for key, _, unit, _ in METRICS}
        rows = [(label, key) for key, label, _, _ in METRICS] + [(label, key) for key, label in EXTRA]

        def text(key, value, change=False):
            """A figure (money arrives as decimal text), or with ``change`` its signed difference."""
            if value is None:
                return fmt.NONE
            if isinstance(value, str):
                return (fmt.money_change if change else fmt.money)(Decimal(value), currency)
            return (fmt.metric_change if change else fmt.metric)(value, units.get(key, ""))

        first = next(iter(self.comparisons.values()), None)
        columns = [Field("Measure", lambda row: row[0]),
                   Field("Current plan", lambda row: text(row[1], first["current"][row[1]]) if first else "",
                         align_right=True)]
        for s in shown:
            out = self.comparisons[s]
            columns.append(Field(names[s], lambda row, out=out: text(row[1], out["with_scenario"][row[1]]),
                                 align_right=True, tooltip=lambda row, n=names[s]: n))
            columns.append(Field("Difference", lambda row, out=out: text(row[1], out["difference"][row[1]], change=True),
                                 align_right=True))
        self.model.set_rows(rows, columns)
        self.table.resizeColumnsToContents()
        for column in range(2, self.model.columnCount(), 2):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))

    def cell(self, measure: str, column: int) -> str:
        row = next(n for n in range(self.model.rowCount()) if self.model.row(n)[0] == measure)
        return self.model.data(self.model.index(row, column))
