"""Decisions required (every triggered rule, most severe first) and the portfolio's decision log
with its filters and each decided decision's follow-up (DESIGN.md sections 8 and 10)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTableView, QTextBrowser, QVBoxLayout,
    QWidget,
)

from pmodesk.domain.enums import DecisionOutcome
from pmodesk.domain.model import Decision, PortfolioData
from pmodesk.engine.cycle import decision_for_trigger, follow_up, quarter_label
from pmodesk.engine.portfolio import PortfolioResult
from pmodesk.engine.rules import RuleResult
from pmodesk.ui import formatting as fmt
from pmodesk.ui.models import Field, RowsModel, record_table

SEVERITY_COLOUR = {"terminate": QColor("#F6D5D5"), "pause": QColor("#FBE3CF"), "pivot": QColor("#FFF1C7"),
                   "escalate": QColor("#E7ECF7"), "review": None}
METRIC_WORDS = {
    "realisation_vs_plan_pct": ("realisation vs plan", "%"), "benefits_realised_pct": ("benefits realised", "%"),
    "forecast_attainment_pct": ("forecast attainment", "%"), "cost_variance_pct": ("cost variance", "%"),
    "go_live_slip_days": ("go-live slip", " days"), "months_without_measurement": ("months without a measurement", ""),
    "risk_score": ("risk score", ""),
}


def observed_text(metric: str, value) -> str:
    words, unit = METRIC_WORDS.get(metric, (metric.replace("_", " "), ""))
    if value is None:
        return "—"
    shown = f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
    return f"{shown}{unit}"


def rule_text(rule) -> str:
    """The rule as agreed, in words: "review if realisation vs plan < 70% from 3 months after go-live"."""
    words, unit = METRIC_WORDS.get(rule.metric.value, (rule.metric.value.replace("_", " "), ""))
    anchor = "go-live" if rule.applies_from.value == "go_live" else "approval"
    months = rule.applies_from_months
    start = f"from {anchor}" if not months else f"from {months} month{'s' if months != 1 else ''} after {anchor}"
    threshold = f"{rule.threshold.normalize():f}" if rule.threshold == rule.threshold.to_integral() else str(rule.threshold)
    agreed = f"; agreed {rule.agreed_on.isoformat()}" + (f" by {rule.agreed_by}" if rule.agreed_by else "")
    return f"{rule.action.value} if {words} {rule.comparator.value} {threshold}{unit}, {start}{agreed}"


def decision_state(decision: Decision | None) -> str:
    if decision is None:
        return "none yet"
    if decision.decided_on is None:
        return f"open since {decision.raised_on.isoformat()}"
    return f"{decision.outcome.value if decision.outcome else 'decided'} on {decision.decided_on.isoformat()}"


class DecisionsRequiredView(QWidget):
    """Every triggered rule across the portfolio; one click records a decision or shows the one recorded."""

    record_requested = Signal(object)  # a RuleResult to turn into a decision (the window opens the form)
    decision_chosen = Signal(int)  # a decision id to show in the log
    initiative_chosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self._data: PortfolioData | None = None
        self._result: PortfolioResult | None = None
        self._existing: dict[int, Decision | None] = {}
        columns = [
            Field("Action", lambda r: r.rule.action.value.upper(), lambda r: r.rule.action.severity_rank,
                  background=lambda r: SEVERITY_COLOUR[r.rule.action.value]),
            Field("Initiative", lambda r: f"{r.initiative.code} — {r.initiative.name}",
                  lambda r: r.initiative.code, tooltip=lambda r: r.initiative.description),
            Field("Rule", lambda r: r.rule.code),
            Field("Evidence", lambda r: f"{METRIC_WORDS.get(r.rule.metric.value, (r.rule.metric.value,))[0]} "
                                        f"{observed_text(r.rule.metric.value, r.observed)}",
                  lambda r: r.observed),
            Field("Decision", lambda r: decision_state(self._existing.get(id(r)))),
            Field("Rule as agreed", lambda r: rule_text(r.rule), tooltip=lambda r: rule_text(r.rule)),
        ]
        self.model = RowsModel(columns, self)
        # not sortable: the order is the point, most severe first
        self.table = record_table(QTableView(), self.model, rows=True, single=True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Decisions required")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda _: self._act())
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("The selected rule: evidence, rule as agreed, recommended action, what is at stake")
        splitter.addWidget(self.detail)
        splitter.setSizes([360, 200])
        layout.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        self.record = QPushButton("&Record decision…")
        self.record.setProperty("edits", True)
        self.record.clicked.connect(self._act)
        self.open_initiative = QPushButton("Open &initiative")
        self.open_initiative.clicked.connect(self._open_initiative)
        buttons.addWidget(self.record)
        buttons.addWidget(self.open_initiative)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.read_only = True

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, read_only: bool = True) -> None:
        self._data, self._result, self.read_only = data, result, read_only
        rows = list(result.decisions_required) if result else []
        self._existing = {id(r): decision_for_trigger(data, r) for r in rows} if data else {}
        self.model.set_rows(rows)
        open_count = sum(1 for r in rows if self._existing.get(id(r)) is None)
        if result is None:
            self.summary.setText("")
        elif not rows:
            self.summary.setText(f"No pivot rule is triggered at {result.as_of.isoformat()}.")
        else:
            self.summary.setText(
                f"{len(rows)} triggered rule{'s' if len(rows) != 1 else ''} at {result.as_of.isoformat()}, most severe "
                f"first; {open_count} without a decision yet. A decision raised for a rule on or after the day it "
                "applies from answers it.")
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount() - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 420))
        if rows:
            self.table.selectRow(0)
        self._selection_changed()

    def current(self) -> RuleResult | None:
        row = self.table.currentIndex().row()
        return self.model.row(row) if 0 <= row < self.model.rowCount() else None

    def existing(self, rule_result: RuleResult) -> Decision | None:
        return self._existing.get(id(rule_result))

    def _selection_changed(self) -> None:
        current = self.current()
        has = current is not None and self.existing(current) is not None
        self.record.setText("Show &decision" if has else "&Record decision…")
        self.record.setEnabled(current is not None and (has or not self.read_only))
        self.open_initiative.setEnabled(current is not None)
        self._show_detail(current)

    def _show_detail(self, current: RuleResult | None) -> None:
        if current is None or self._result is None:
            self.detail.setPlainText("")
            return
        from html import escape

        r = next(x for x in self._result.initiatives if x.initiative.id == current.initiative.id)
        currency = self._result.currency
        rule = current.rule
        words = METRIC_WORDS.get(rule.metric.value, (rule.metric.value,))[0]
        existing = self.existing(current)
        parts = [
            f"<b>{escape(current.initiative.code)} — {escape(current.initiative.name)}</b> · rule {escape(rule.code)}",
            f"<b>Evidence:</b> {escape(words)} is {escape(observed_text(rule.metric.value, current.observed))} at "
            f"{self._result.as_of.isoformat()}.",
            f"<b>The rule as agreed:</b> {escape(rule_text(rule))}.",
            f"<b>Recommended action:</b> {escape(rule.action.value)}"
            + (" (to be escalated to executives)" if rule.action.value in ("escalate", "pause", "terminate") else "")
            + ".",
            f"<b>At stake:</b> remaining cost {escape(fmt.money(r.remaining_cost, currency))}, expected remaining value "
            f"{escape(fmt.money(r.expected_remaining_value, currency))}; realised so far "
            f"{escape(fmt.money(r.realised_value, currency))} against {escape(fmt.money(r.planned_value, currency))} "
            f"planned ({escape(fmt.pct(r.realisation_vs_plan_pct))}).",
            f"<b>Decision:</b> {escape(decision_state(existing))}"
            + (f" — {escape(existing.summary)}" if existing is not None else ""),
        ]
        self.detail.setHtml("<p>" + "</p><p>".join(parts) + "</p>")

    def _act(self) -> None:
        current = self.current()
        if current is None:
            return
        existing = self.existing(current)
        if existing is not None:
            self.decision_chosen.emit(existing.id)
        elif not self.read_only:
            self.record_requested.emit(current)

    def _open_initiative(self) -> None:
        current = self.current()
        if current is not None:
            self.initiative_chosen.emit(current.initiative.id)


class DecisionLogView(QWidget):
    """Every decision of the portfolio, filtered by state, escalation, outcome and quarter, with the
    follow-up of each decided one: realisation vs plan and forecast at the decision date against now."""

    edit_requested = Signal(object)  # a Decision to edit in a form
    add_requested = Signal()
    initiative_chosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.state, self.escalated, self.outcome, self.quarter = QComboBox(), QComboBox(), QComboBox(), QComboBox()
        for label, combo, items in (
                ("State", self.state, [("All", None), ("Open", "open"), ("Decided", "decided")]),
                ("Escalated", self.escalated, [("All", None), ("Escalated", True), ("Not escalated", False)]),
                ("Outcome", self.outcome, [("All", None)] + [(o.value, o.value) for o in DecisionOutcome]),
                ("Quarter raised", self.quarter, [("All", None)])):
            filters.addWidget(QLabel(label + ":"))
            for text, value in items:
                combo.addItem(text, value)
            combo.setAccessibleName(f"Filter by {label.lower()}")
            combo.currentIndexChanged.connect(lambda _: self._apply())
            filters.addWidget(combo, 1)
        layout.addLayout(filters)
        self._data: PortfolioData | None = None
        self._result: PortfolioResult | None = None
        self._followups: dict[int, object] = {}
        self._codes: dict[int, str] = {}
        self._rules: dict[int, str] = {}
        columns = [
            Field("Raised", lambda d: d.raised_on.isoformat()),
            Field("Initiative", lambda d: self._codes.get(d.initiative_id, "")),
            Field("Kind", lambda d: d.kind.value),
            Field("Summary", lambda d: d.summary, tooltip=lambda d: d.summary),
            Field("Escalated", lambda d: "yes" if d.escalated else "no"),
            Field("Outcome", lambda d: d.outcome.value if d.outcome else "open"),
            Field("Decided", lambda d: d.decided_on.isoformat() if d.decided_on else "—"),
            Field("By", lambda d: d.decided_by or "—"),
            Field("Realisation vs plan, then → now", lambda d: self._change(d, "realisation_vs_plan_pct")),
            Field("Forecast then → now", lambda d: self._change(d, "forecast_attainment_pct")),
            Field("Since", lambda d: self._verdict(d), background=lambda d: self._verdict_colour(d)),
        ]
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.model = RowsModel(columns, self)
        self.table = record_table(QTableView(), self.model, sort_as_listed=True, rows=True, single=True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setAccessibleName("Decision log")
        self.table.doubleClicked.connect(lambda _: self._edit())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        splitter.addWidget(self.table)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Decision detail")
        splitter.addWidget(self.detail)
        splitter.setSizes([400, 140])
        layout.addWidget(splitter, 1)
        buttons = QHBoxLayout()
        self.add = QPushButton("&New decision…")
        self.edit = QPushButton("&Edit decision…")
        for button in (self.add, self.edit):
            button.setProperty("edits", True)
            buttons.addWidget(button)
        self.add.clicked.connect(self.add_requested)
        self.edit.clicked.connect(self._edit)
        self.count = QLabel()
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout.addLayout(buttons)
        self.read_only = True

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, read_only: bool = True) -> None:
        self._data, self._result, self.read_only = data, result, read_only
        self._codes = {i.id: i.code for i in data.initiatives} if data else {}
        self._followups = {}
        if data and result:
            for d in data.decisions:
                f = follow_up(result, d)
                if f is not None:
                    self._followups[d.id] = f
        quarters = sorted({quarter_label(d.raised_on, data.portfolio.fiscal_year_start_month) for d in data.decisions},
                          reverse=True) if data else []
        current = self.quarter.currentData()
        self.quarter.blockSignals(True)
        self.quarter.clear()
        self.quarter.addItem("All", None)
        for q in quarters:
            self.quarter.addItem(q, q)
        self.quarter.setCurrentIndex(max(0, self.quarter.findData(current)))
        self.quarter.blockSignals(False)
        self.add.setEnabled(data is not None and not read_only)
        self._apply()

    def _apply(self) -> None:
        data = self._data
        decisions = list(data.decisions) if data else []
        state, escalated = self.state.currentData(), self.escalated.currentData()
        outcome, quarter = self.outcome.currentData(), self.quarter.currentData()
        start = data.portfolio.fiscal_year_start_month if data else 1
        shown = [d for d in decisions
                 if (state is None or (state == "open") == (d.decided_on is None))
                 and (escalated is None or d.escalated == escalated)
                 and (outcome is None or (d.outcome is not None and d.outcome.value == outcome))
                 and (quarter is None or quarter_label(d.raised_on, start) == quarter)]
        shown.sort(key=lambda d: (d.raised_on, d.id or 0), reverse=True)
        self.model.set_rows(shown)
        self.count.setText(f"{len(shown)} of {len(decisions)} decisions")
        self.table.resizeColumnsToContents()
        for column, widest in ((3, 300), (7, 160), (8, 230), (9, 160)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        if shown and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.edit.setEnabled(bool(shown) and not self.read_only)
        self._show_detail()

    def show_decision(self, decision_id: int) -> bool:
        for combo in (self.state, self.escalated, self.outcome, self.quarter):
            combo.setCurrentIndex(0)
        row = self.model.find(lambda d: d.id == decision_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def current(self) -> Decision | None:
        row = self.table.currentIndex().row()
        return self.model.row(row) if 0 <= row < self.model.rowCount() else None

    def followup(self, decision: Decision):
        return self._followups.get(decision.id)

    def _change(self, decision: Decision, key: str) -> str:
        f = self._followups.get(decision.id)
        if f is None or (getattr(f.at_decision, key) is None and getattr(f.now, key) is None):
            return "—"
        return f"{fmt.pct(getattr(f.at_decision, key))} → {fmt.pct(getattr(f.now, key))}"

    def _verdict(self, decision: Decision) -> str:
        f = self._followups.get(decision.id)
        if f is None:
            return "open" if decision.decided_on is None else "—"
        return f.verdict

    def _verdict_colour(self, decision: Decision):
        return {"improving": QColor("#DCEFD9"), "worsening": QColor("#F6D5D5")}.get(self._verdict(decision))

    def _show_detail(self) -> None:
        d = self.current()
        if d is None or self._data is None:
            self.detail.setPlainText("")
            return
        lines = [f"{self._codes.get(d.initiative_id, '')} · {d.kind.value} · raised {d.raised_on.isoformat()}"
                 + (" · escalated to executives" if d.escalated else ""), d.summary, ""]
        if d.decided_on:
            lines.append(f"Decided {d.decided_on.isoformat()}: {d.outcome.value if d.outcome else '—'}"
                         + (f" by {d.decided_by}" if d.decided_by else ""))
            if d.rationale:
                lines.append(f"Why: {d.rationale}")
        else:
            lines.append("Not decided yet.")
        f = self._followups.get(d.id)
        if f is not None:
            currency = self._data.portfolio.currency
            lines += ["", f"Follow-up since {f.at_decision.on.isoformat()} ({f.verdict}):",
                      f"  realisation vs plan {fmt.pct(f.at_decision.realisation_vs_plan_pct)} → "
                      f"{fmt.pct(f.now.realisation_vs_plan_pct)}",
                      f"  forecast attainment {fmt.pct(f.at_decision.forecast_attainment_pct)} → "
                      f"{fmt.pct(f.now.forecast_attainment_pct)}",
                      f"  realised value {fmt.money(f.at_decision.realised_value, currency)} → "
                      f"{fmt.money(f.now.realised_value, currency)}",
                      f"  value RAG {(f.at_decision.value_rag or 'none')} → {(f.now.value_rag or 'none')}"]
        self.detail.setPlainText("\n".join(lines))

    def _edit(self) -> None:
        d = self.current()
        if d is not None and not self.read_only:
            self.edit_requested.emit(d)
