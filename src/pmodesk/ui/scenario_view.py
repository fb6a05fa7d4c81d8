"""Scenarios: the section-6 metrics and forecast portfolio ROI of a scenario beside the current plan."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from pmodesk.domain.model import PortfolioData
from pmodesk.engine.portfolio import METRICS, PortfolioResult
from pmodesk.domain.money import format_money
from pmodesk.engine.scenarios import compare, comparison_json, describe_override

EXTRA = (("remaining_cost", "Remaining cost"), ("expected_remaining_value", "Expected remaining value"),
         ("realised_value", "Realised value"))


class ScenarioView(QWidget):
    action_requested = Signal(str)  # New, Copy, Rename, Delete, Override, Optimise

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Scenario:"))
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Scenario")
        self.chooser.currentIndexChanged.connect(self._show)
        top.addWidget(self.chooser, 1)
        self.buttons = {}
        for label in ("New…", "Copy…", "Rename…", "Delete", "Override…", "Optimise…"):
            button = QPushButton(label)
            button.clicked.connect(lambda _=False, name=label: self.action_requested.emit(name.rstrip("…")))
            self.buttons[label.rstrip("…")] = button
            top.addWidget(button)
        layout.addLayout(top)
        self.overrides = QLabel()
        self.overrides.setWordWrap(True)
        layout.addWidget(self.overrides)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Measure", "Current plan", "With scenario", "Difference"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        layout.addWidget(self.table, 1)
        note = QLabel("Overrides change what is computed, never the recorded measurements or costs.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #5F6B7A;")
        layout.addWidget(note)
        self._data: PortfolioData | None = None
        self._result: PortfolioResult | None = None
        self.comparison: dict | None = None

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None) -> None:
        self._data, self._result = data, result
        current = self.chooser.currentData()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for s in sorted(data.scenarios if data else (), key=lambda s: s.name):
            self.chooser.addItem(s.name, s.id)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(current)))
        self.chooser.blockSignals(False)
        self._show()

    def current_id(self) -> int | None:
        return self.chooser.currentData()

    def _show(self) -> None:
        scenario_id = self.chooser.currentData()
        for name in ("Copy", "Rename", "Delete", "Override"):
            self.buttons[name].setEnabled(scenario_id is not None)
        if self._data is None or self._result is None or scenario_id is None:
            self.table.setRowCount(0)
            self.overrides.setText("No scenario in this portfolio yet.")
            self.comparison = None
            return
        codes = {i.id: i.code for i in self._data.initiatives}
        currency = self._data.portfolio.currency
        money = lambda amount: format_money(amount, currency)  # noqa: E731
        parts = []
        for o in self._data.scenario_overrides:
            if o.scenario_id != scenario_id:
                continue
            parts.append(f"{codes[o.initiative_id]}: {describe_override(o, money)}")
        self.overrides.setText("Overrides — " + ("; ".join(sorted(parts)) or "none"))
        self.comparison = out = comparison_json(compare(self._data, scenario_id, self._result.as_of, self._result))
        rows = [(label, key, unit) for key, label, unit, _ in METRICS] + [(label, key, "") for key, label in EXTRA]
        self.table.setRowCount(len(rows))
        for n, (label, key, unit) in enumerate(rows):
            cells = [label]
            for side in ("current", "with_scenario"):
                value = out[side][key]
                cells.append("—" if value is None else value if isinstance(value, str) else f"{value:,.1f}{unit}")
            diff = out["difference"][key]
            cells.append("—" if diff is None else diff if isinstance(diff, str) else f"{diff:+,.1f}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(n, column, item)
        self.table.resizeColumnsToContents()
