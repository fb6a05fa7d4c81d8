"""One initiative: its details, benefits (editable, undoable) with the realisation chart, triggered
rules with "record a decision" in one step, and its decision log."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTableView,
    QTabWidget, QVBoxLayout, QWidget,
)

from pmodesk.domain.model import PortfolioData
from pmodesk.engine.benefits import FORECAST_METHOD
from pmodesk.engine.portfolio import PortfolioResult
from pmodesk.engine.cycle import decision_for_trigger, follow_up
from pmodesk.ui import formatting as fmt
from pmodesk.ui.benefits_map import BenefitsMapView
from pmodesk.ui.commentary import CommentaryPanel
from pmodesk.ui.decisions_view import METRIC_WORDS, decision_state, observed_text, rule_text
from pmodesk.ui.models import FIT_ROWS, BenefitTableModel, Field, RowsModel, fit_columns, record_table
from pmodesk.ui.turns import Steps


class InitiativeView(QWidget):
    decision_requested = Signal(object)  # a triggered RuleResult
    decision_chosen = Signal(int)  # an existing decision to show in the log

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
        self.benefit_table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.benefit_table.setModel(self.benefits)
        self.benefit_table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.benefit_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.benefit_table.verticalHeader().hide()
        self.benefit_table.horizontalHeader().setStretchLastSection(True)
        self.benefit_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._filling = False  # the benefits are being set: the chart is drawn once, at the end
        self.benefit_table.selectionModel().currentRowChanged.connect(
            lambda *_: None if self._filling else self._show_chart())
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
        rules_box.addWidget(QLabel("Triggered rules (most severe first) and early warnings"))
        self.rules = QListWidget()
        self.rules.setAccessibleName("Triggered rules")
        self.rules.currentRowChanged.connect(lambda _: self._rule_selected())
        rules_box.addWidget(self.rules)
        self.record = QPushButton("Record a decision for the selected rule")
        self.record.setProperty("edits", True)
        self.record.clicked.connect(self._record_decision)
        rules_box.addWidget(self.record)
        lower_layout.addLayout(rules_box, 1)
        decisions_box = QVBoxLayout()
        decisions_box.addWidget(QLabel("Decision log, with what happened since each decision"))
        self.decision_model = RowsModel([
            Field("Raised", lambda d: d.raised_on.isoformat()),
            Field("Summary", lambda d: d.summary, tooltip=lambda d: d.summary),
            Field("Outcome", lambda d: d.outcome.value if d.outcome else "pending"),
            Field("Decided", lambda d: d.decided_on.isoformat() if d.decided_on else "—"),
            Field("Realisation vs plan then → now", lambda d: self._followup_text(d)),
        ], self)
        self.decisions = record_table(QTableView(), self.decision_model, name="Decision log of the initiative")
        self.decisions.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.decisions.horizontalHeader().setStretchLastSection(True)
        decisions_box.addWidget(self.decisions)
        lower_layout.addLayout(decisions_box, 2)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.addTab(lower, "Rules and decisions")
        self.map = BenefitsMapView()
        self.lower_tabs.addTab(self.map, "Benefits map")
        self.commentary = CommentaryPanel("initiative")
        self.lower_tabs.addTab(self.commentary, "PMO commentary")
        self._followups: dict = {}
        self._existing: list = []
        splitter.addWidget(self.lower_tabs)
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
        self._steps = Steps(self)

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, read_only: bool = True) -> None:
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
            self.decision_model.set_rows([])
            self.map.show_map(None, None)
            self.commentary.set_scope(None, None, date.today(), True)
            return
        i = r.initiative
        cases = ", ".join(f"{c} {getattr(i, f'business_case_{c}').value}" for c in
                          ("strategic", "economic", "commercial", "financial", "management"))
        rvp = fmt.pct(r.realisation_vs_plan_pct)
        self.details.setText(
            f"{i.name} · stage {i.stage.value} · sponsor {i.sponsor or '—'} · owner {i.owner or '—'} · "
            f"go-live {i.go_live.isoformat() if i.go_live else '—'} · value RAG {(r.value_rag or 'none')} "
            f"(realisation vs plan {rvp})\nBusiness case: {cases}")
        rows = sorted(self._result.benefits_of(i.id), key=lambda b: b.benefit.code)
        row = self.benefit_table.currentIndex().row()
        self._filling = True
        try:
            self.benefits.set_benefits(rows, self._read_only)
            fit_columns(self.benefit_table)
            if rows:
                self.benefit_table.selectRow(min(max(row, 0), len(rows) - 1))
        finally:
            self._filling = False
        self._chart_after_tables()
        self.rules.clear()
        # Item data holds only an index: Python objects kept in Qt item data have upset PySide6's
        # reference counting (a crash at exit), and an index is all the button needs.
        self._triggered = list(r.triggered_rules)
        self._existing = [decision_for_trigger(self._data, rule) for rule in self._triggered]
        for n, rule in enumerate(self._triggered):
            state = decision_state(self._existing[n])
            item = QListWidgetItem(f"⚑ {rule.rule.action.value.upper()}: rule {rule.rule.code} — "
                                   f"{METRIC_WORDS.get(rule.rule.metric.value, (rule.rule.metric.value,))[0]} "
                                   f"{observed_text(rule.rule.metric.value, rule.observed)} "
                                   f"{rule.rule.comparator.value} {rule.rule.threshold} · decision: {state}")
            item.setToolTip(rule_text(rule.rule))
            item.setData(Qt.ItemDataRole.UserRole, n)
            self.rules.addItem(item)
        for b in rows:
            for flag in b.flags:
                self.rules.addItem(f"{b.benefit.code}: {flag.replace('_', ' ')}")
        for flag in r.flags:
            self.rules.addItem(f"{i.code}: {flag.replace('_', ' ')}")
        if self._triggered:
            self.rules.setCurrentRow(0)
        self._rule_selected()
        decisions = sorted((d for d in self._data.decisions if d.initiative_id == i.id), key=lambda d: d.raised_on,
                           reverse=True)
        self._followups = {d.id: f for d in decisions if (f := follow_up(self._result, d)) is not None}
        self.decision_model.set_rows(decisions)
        fit_columns(self.decisions, caps={1: 360})
        self.map.show_map(self._data, i.id)
        self.commentary.set_scope(self._data, i.id, self._result.as_of, self._read_only)

    def _followup_text(self, decision) -> str:
        f = self._followups.get(decision.id)
        if f is None:
            return "—"
        return (f"{fmt.pct(f.at_decision.realisation_vs_plan_pct)} → {fmt.pct(f.now.realisation_vs_plan_pct)} "
                f"({f.verdict})")

    def _selected_rule(self) -> int | None:
        item = self.rules.currentItem()
        index = item.data(Qt.ItemDataRole.UserRole) if item else None
        return index if isinstance(index, int) else None

    def _rule_selected(self) -> None:
        index = self._selected_rule()
        existing = self._existing[index] if index is not None and index < len(self._existing) else None
        if existing is not None:
            self.record.setText("Show the decision already recorded for this rule")
            self.record.setEnabled(True)
        else:
            self.record.setText("Record a decision for the selected rule…")
            self.record.setEnabled(index is not None and not self._read_only)

    def _chart(self):
        if self.chart is None:
            from pmodesk.ui.charts import BenefitChart

            sizes = self._splitter.sizes()
            self.chart = BenefitChart()
            self._splitter.replaceWidget(self._splitter.indexOf(self._placeholder), self.chart)
            self._placeholder.deleteLater()
            self._splitter.setSizes(sizes)
        return self.chart

    def _chart_after_tables(self) -> None:
        """The selected benefit's chart: at once on a small portfolio; on a large one, once the tables
        are painted, the chart made (the first time) and then drawn, each in a turn of its own."""
        from pmodesk.ui import decision_views, workers

        if self._result is None or len(self._result.benefits) < decision_views.BACKGROUND_FROM_BENEFITS:
            self._steps.cancel()
            self._show_chart()
            return
        # Its frame and legend, its plot, its first lines, then the others: each step returns the chart, so
        # that the next waits until the chart has painted what changed (a step and a paint in one turn
        # would be too long).
        make = [] if self.chart is not None else [
            lambda: None if workers.loading("pmodesk.ui.charts") else self._chart(),
            *[lambda: self.chart and self.chart.make_next()] * 3]
        self._steps.start(*make, self._show_chart, after=self.benefit_table)

    def _show_chart(self) -> None:
        from pmodesk.ui import workers

        if self.chart is None and workers.loading("pmodesk.ui.charts"):
            from PySide6.QtCore import QTimer

            QTimer.singleShot(30, self._show_chart)  # the chart module is still loading in the background
            return
        r = self.current_result()
        row = self.benefit_table.currentIndex().row()
        if r is None or row < 0 or row >= self.benefits.rowCount():
            if self.chart is not None:
                self.chart.show_benefit(None, None, date.today())
            return
        self._chart().show_benefit(self.benefits.benefit_result(row), r.initiative.go_live, self._result.as_of)

    def _record_decision(self) -> None:
        index = self._selected_rule()
        if index is None:
            return
        existing = self._existing[index]
        if existing is not None:
            self.decision_chosen.emit(existing.id)
        elif not self._read_only:
            self.decision_requested.emit(self._triggered[index])
