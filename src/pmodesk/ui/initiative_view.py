"""One initiative: its details, benefits (editable, undoable) with the realisation chart, triggered
rules with "record a decision" in one step, and its decision log."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTableView,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from pmodesk.domain.model import PortfolioData
from pmodesk.engine.benefits import FORECAST_METHOD
from pmodesk.engine.portfolio import PortfolioResult
from pmodesk.ui.models import BenefitTableModel


class InitiativeView(QWidget):
    decision_requested = Signal(object)  # a triggered RuleResult

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Initiative:"))
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Initiative")
        self.chooser.currentIndexChanged.connect(self._show_current)
        top.addWidget(self.chooser, 1)
        layout.addLayout(top)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.benefits = BenefitTableModel(self)
        self.benefit_table = QTableView()
        self.benefit_table.setModel(self.benefits)
        self.benefit_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.benefit_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.benefit_table.verticalHeader().hide()
        self.benefit_table.horizontalHeader().setStretchLastSection(True)
        self.benefit_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.benefit_table.selectionModel().currentRowChanged.connect(lambda *_: self._show_chart())
        splitter.addWidget(self.benefit_table)
        # The chart (pyqtgraph, numpy) is made when there is first something to draw, not at start-up.
        self.chart = None
        self._placeholder = QWidget()
        self._placeholder.setMinimumHeight(220)  # the chart's own minimum, so the layout does not jump
        splitter.addWidget(self._placeholder)
        self._splitter = splitter
        lower = QWidget()
        lower_layout = QHBoxLayout(lower)
        rules_box = QVBoxLayout()
        rules_box.addWidget(QLabel("Triggered rules and early warnings"))
        self.rules = QListWidget()
        self.rules.setAccessibleName("Triggered rules")
        rules_box.addWidget(self.rules)
        self.record = QPushButton("Record a decision for the selected rule")
        self.record.clicked.connect(self._record_decision)
        rules_box.addWidget(self.record)
        lower_layout.addLayout(rules_box, 1)
        decisions_box = QVBoxLayout()
        decisions_box.addWidget(QLabel("Decision log"))
        self.decisions = QTableWidget(0, 4)
        self.decisions.setHorizontalHeaderLabels(["Raised", "Summary", "Outcome", "Decided"])
        self.decisions.verticalHeader().hide()
        self.decisions.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.decisions.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        decisions_box.addWidget(self.decisions)
        lower_layout.addLayout(decisions_box, 2)
        splitter.addWidget(lower)
        splitter.setSizes([180, 260, 200])
        layout.addWidget(splitter, 1)
        self.method = QLabel(f"Forecast: {FORECAST_METHOD}.")
        self.method.setWordWrap(True)
        self.method.setStyleSheet("color: #5F6B7A;")
        layout.addWidget(self.method)
        self._data: PortfolioData | None = None
        self._result: PortfolioResult | None = None
        self._read_only = False
        self._triggered: list = []

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, read_only: bool) -> None:
        self._data, self._result, self._read_only = data, result, read_only
        current = self.chooser.currentData()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        if result is not None:
            for r in sorted(result.initiatives, key=lambda r: r.initiative.code):
                self.chooser.addItem(f"{r.initiative.code} — {r.initiative.name}", r.initiative.id)
        index = self.chooser.findData(current)
        self.chooser.setCurrentIndex(max(0, index))
        self.chooser.blockSignals(False)
        self._show_current()

    def show_initiative(self, initiative_id: int) -> None:
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(initiative_id)))

    def current_result(self):
        initiative_id = self.chooser.currentData()
        if self._result is None or initiative_id is None:
            return None
        return next(r for r in self._result.initiatives if r.initiative.id == initiative_id)

    def _show_current(self) -> None:
        r = self.current_result()
        if r is None:
            self.details.setText("")
            self.benefits.set_benefits([], True)
            if self.chart is not None:
                self.chart.show_benefit(None, None, date.today())
            self.rules.clear()
            self.decisions.setRowCount(0)
            return
        i = r.initiative
        cases = ", ".join(f"{c} {getattr(i, f'business_case_{c}').value}" for c in
                          ("strategic", "economic", "commercial", "financial", "management"))
        rvp = "—" if r.realisation_vs_plan_pct is None else f"{r.realisation_vs_plan_pct:.1f}%"
        self.details.setText(
            f"{i.name} · stage {i.stage.value} · sponsor {i.sponsor or '—'} · owner {i.owner or '—'} · "
            f"go-live {i.go_live.isoformat() if i.go_live else '—'} · value RAG {(r.value_rag or 'none')} "
            f"(realisation vs plan {rvp})\nBusiness case: {cases}")
        rows = sorted(self._result.benefits_of(i.id), key=lambda b: b.benefit.code)
        row = self.benefit_table.currentIndex().row()
        self.benefits.set_benefits(rows, self._read_only)
        self.benefit_table.resizeColumnsToContents()
        if rows:
            self.benefit_table.selectRow(min(max(row, 0), len(rows) - 1))
        self._show_chart()
        self.rules.clear()
        # Item data holds only an index: Python objects kept in Qt item data have upset PySide6's
        # reference counting (a crash at exit), and an index is all the button needs.
        self._triggered = list(r.triggered_rules)
        for n, rule in enumerate(self._triggered):
            item = QListWidgetItem(f"⚑ {rule.rule.action.value.upper()}: rule {rule.rule.code} — "
                                   f"{rule.rule.metric.value.replace('_', ' ')} {rule.observed:,.1f} "
                                   f"{rule.rule.comparator.value} {rule.rule.threshold}")
            item.setData(Qt.ItemDataRole.UserRole, n)
            self.rules.addItem(item)
        for b in rows:
            for flag in b.flags:
                self.rules.addItem(f"{b.benefit.code}: {flag.replace('_', ' ')}")
        for flag in r.flags:
            self.rules.addItem(f"{i.code}: {flag.replace('_', ' ')}")
        self.record.setEnabled(bool(r.triggered_rules) and not self._read_only)
        decisions = sorted((d for d in self._data.decisions if d.initiative_id == i.id), key=lambda d: d.raised_on,
                           reverse=True)
        self.decisions.setRowCount(len(decisions))
        for n, d in enumerate(decisions):
            for column, text in enumerate((d.raised_on.isoformat(), d.summary, d.outcome.value if d.outcome else "pending",
                                           d.decided_on.isoformat() if d.decided_on else "—")):
                self.decisions.setItem(n, column, QTableWidgetItem(text))

    def _chart(self):
        if self.chart is None:
            from pmodesk.ui.charts import BenefitChart

            sizes = self._splitter.sizes()
            self.chart = BenefitChart()
            self._splitter.replaceWidget(self._splitter.indexOf(self._placeholder), self.chart)
            self._placeholder.deleteLater()
            self._splitter.setSizes(sizes)
        return self.chart

    def _show_chart(self) -> None:
        r = self.current_result()
        row = self.benefit_table.currentIndex().row()
        if r is None or row < 0 or row >= self.benefits.rowCount():
            if self.chart is not None:
                self.chart.show_benefit(None, None, date.today())
            return
        self._chart().show_benefit(self.benefits.benefit_result(row), r.initiative.go_live, self._result.as_of)

    def _record_decision(self) -> None:
        item = self.rules.currentItem() or (self.rules.item(0) if self.rules.count() else None)
        index = item.data(Qt.ItemDataRole.UserRole) if item else None
        if index is not None:
            self.decision_requested.emit(self._triggered[index])
