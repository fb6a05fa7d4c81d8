"""Pivot-rule templates: a named set of the usual rules copied onto initiatives in two clicks.

Templates are a convenience of the window (DESIGN.md section 15): the file holds only each
initiative's own rules, so a copied rule is an ordinary rule, agreed on a date by someone, and
changing it later keeps its history like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QMessageBox, QVBoxLayout,
)

from pmodesk.domain.enums import Action, AppliesFrom, Comparator, Metric
from pmodesk.domain.model import PivotRule, PortfolioData
from pmodesk.ui.decisions_view import rule_text


@dataclass(frozen=True)
class RuleTemplate:
    code: str
    metric: Metric
    comparator: Comparator
    threshold: Decimal
    action: Action
    applies_from: AppliesFrom = AppliesFrom.GO_LIVE
    applies_from_months: int = 0


TEMPLATES: dict[str, tuple[RuleTemplate, ...]] = {
    "Value assurance (the usual set)": (
        RuleTemplate("VA-1", Metric.REALISATION_VS_PLAN_PCT, Comparator.LT, Decimal(70), Action.REVIEW,
                     AppliesFrom.GO_LIVE, 3),
        RuleTemplate("VA-2", Metric.REALISATION_VS_PLAN_PCT, Comparator.LT, Decimal(50), Action.PIVOT,
                     AppliesFrom.GO_LIVE, 6),
        RuleTemplate("VA-3", Metric.FORECAST_ATTAINMENT_PCT, Comparator.LT, Decimal(60), Action.ESCALATE,
                     AppliesFrom.GO_LIVE, 6),
        RuleTemplate("VA-4", Metric.MONTHS_WITHOUT_MEASUREMENT, Comparator.GT, Decimal(3), Action.REVIEW,
                     AppliesFrom.GO_LIVE, 0),
    ),
    "Delivery control": (
        RuleTemplate("DC-1", Metric.COST_VARIANCE_PCT, Comparator.GT, Decimal(10), Action.REVIEW,
                     AppliesFrom.APPROVAL, 0),
        RuleTemplate("DC-2", Metric.COST_VARIANCE_PCT, Comparator.GT, Decimal(25), Action.ESCALATE,
                     AppliesFrom.APPROVAL, 0),
        RuleTemplate("DC-3", Metric.GO_LIVE_SLIP_DAYS, Comparator.GT, Decimal(90), Action.ESCALATE,
                     AppliesFrom.APPROVAL, 0),
    ),
    "Kill switch (last resort, agreed up front)": (
        RuleTemplate("KS-1", Metric.REALISATION_VS_PLAN_PCT, Comparator.LT, Decimal(30), Action.PAUSE,
                     AppliesFrom.GO_LIVE, 9),
        RuleTemplate("KS-2", Metric.FORECAST_ATTAINMENT_PCT, Comparator.LT, Decimal(25), Action.TERMINATE,
                     AppliesFrom.GO_LIVE, 12),
    ),
}


def rules_from_template(name: str, data: PortfolioData, initiative_ids: list[int], agreed_on: date,
                        agreed_by: str | None) -> tuple[list[PivotRule], list[str]]:
    """The template's rules for each initiative, and a note per rule skipped because the initiative
    already has a rule with that code (a copy never overwrites an agreed rule)."""
    existing = {(r.initiative_id, r.code) for r in data.pivot_rules}
    codes = {i.id: i.code for i in data.initiatives}
    rules, skipped = [], []
    for initiative_id in initiative_ids:
        for t in TEMPLATES[name]:
            if (initiative_id, t.code) in existing:
                skipped.append(f"{codes[initiative_id]} already has a rule {t.code}")
                continue
            rules.append(PivotRule(t.code, initiative_id, t.metric, t.comparator, t.threshold, t.action, agreed_on,
                                   t.applies_from, t.applies_from_months, agreed_by or None))
    return rules, skipped


class TemplateDialog(QDialog):
    def __init__(self, data: PortfolioData, as_of: date, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Apply a pivot-rule template")
        self.resize(640, 560)
        self.data = data
        self.command = None
        self.template = QComboBox()
        self.template.setAccessibleName("Template")
        for name in TEMPLATES:
            self.template.addItem(name, name)
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.rules.setTextFormat(Qt.TextFormat.PlainText)
        self.template.currentIndexChanged.connect(lambda _: self._describe())
        self.initiatives = QListWidget()
        self.initiatives.setAccessibleName("Initiatives to receive the rules")
        for i in sorted(data.initiatives, key=lambda i: i.code):
            if i.stage.value in ("closed", "terminated"):
                continue
            item = QListWidgetItem(f"{i.code} — {i.name} ({i.stage.value})")
            item.setData(Qt.ItemDataRole.UserRole, i.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            has_rules = any(r.initiative_id == i.id and r.active for r in data.pivot_rules)
            item.setCheckState(Qt.CheckState.Unchecked if has_rules else Qt.CheckState.Checked)
            self.initiatives.addItem(item)
        self.agreed_on = QDateEdit(QDate(as_of.year, as_of.month, as_of.day))
        self.agreed_on.setCalendarPopup(True)
        self.agreed_on.setDisplayFormat("yyyy-MM-dd")
        self.agreed_by = QLineEdit()
        self.agreed_by.setPlaceholderText("who agreed the rules, e.g. Investment Committee")
        form = QFormLayout()
        form.addRow("Template:", self.template)
        form.addRow("Rules:", self.rules)
        form.addRow("Copy onto (initiatives without active rules are ticked):", self.initiatives)
        form.addRow("Agreed on:", self.agreed_on)
        form.addRow("Agreed by:", self.agreed_by)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Copy the rules")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._describe()

    def _describe(self) -> None:
        name = self.template.currentData()
        lines = []
        for t in TEMPLATES[name]:
            rule = PivotRule(t.code, 0, t.metric, t.comparator, t.threshold, t.action, date.today(), t.applies_from,
                             t.applies_from_months)
            lines.append(f"{t.code}: " + rule_text(rule).split("; agreed")[0])
        self.rules.setText("\n".join(lines))

    def chosen(self) -> list[int]:
        return [self.initiatives.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.initiatives.count())
                if self.initiatives.item(n).checkState() == Qt.CheckState.Checked]

    def build(self):
        from pmodesk.commands import copy_rule_template

        chosen = self.chosen()
        if not chosen:
            raise ValueError("Tick at least one initiative to copy the rules onto.")
        d = self.agreed_on.date()
        name = self.template.currentData()
        rules, skipped = rules_from_template(name, self.data, chosen, date(d.year(), d.month(), d.day()),
                                             self.agreed_by.text().strip())
        if not rules:
            raise ValueError("Every ticked initiative already has these rules: " + "; ".join(skipped[:5]) + ".")
        self.skipped = skipped
        return copy_rule_template(tuple(rules), f"Copy “{name}” rules onto {len(chosen)} initiative"
                                                f"{'s' if len(chosen) != 1 else ''}")

    def _accept(self) -> None:
        try:
            self.command = self.build()
        except ValueError as error:
            QMessageBox.warning(self, "pmodesk", str(error))
            return
        self.accept()
