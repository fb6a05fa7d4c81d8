"""Dialogs of the Scenarios tab: one initiative's override, and the optimiser."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox, QInputDialog, QDialog, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QMessageBox, QPushButton, QVBoxLayout,
)

from pmodesk.domain.model import ScenarioOverride
from pmodesk.ui import formatting as fmt
from pmodesk.ui.widgets import finish_form, optional_date, optional_date_value
from pmodesk.domain.money import MoneyError, from_minor, to_minor
from pmodesk.domain.validation import override_problems
from pmodesk.engine.optimiser import Choice, KeepsOverBudget, candidates, optimise, with_spend_by_year
from pmodesk.engine.portfolio import PortfolioResult


OVERRIDE_FIELDS = ("stop_from", "pause_from", "pause_to", "budget_change", "fund_from")


class OverrideDialog(QDialog):
    """Fund from (proposed initiatives), stop from, pause between, budget change — for one initiative in one
    scenario."""

    def __init__(self, initiatives, currency: str, existing: dict[int, ScenarioOverride], scenario_id: int,
                 parent=None):
        super().__init__(parent)
        self.setWindowTitle("Scenario override")
        self.currency, self.existing, self.scenario_id = currency, existing, scenario_id
        self.initiatives = {i.id: i for i in initiatives}
        self.initiative = QComboBox()
        for i in sorted(initiatives, key=lambda i: i.code):
            self.initiative.addItem(f"{i.code} — {i.name}", i.id)
        self.fund = optional_date("Fund from", None)
        self.fund[0].setToolTip("A proposed initiative counts as funded and active from this date: its planned spend "
                                "and benefits enter the scenario's totals.")
        self.stop = optional_date("Stop from", None)
        self.pause_from = optional_date("Pause from", None)
        self.pause_to = optional_date("Pause to", None)
        self.budget = QLineEdit()
        self.budget.setPlaceholderText(f"± amount in {currency}, e.g. -120000")
        form = QFormLayout()
        form.addRow("Initiative:", self.initiative)
        for check, edit in (self.fund, self.stop, self.pause_from, self.pause_to):
            form.addRow(check, edit)
        form.addRow(f"Budget change ({currency}):", self.budget)
        finish_form(self, form, self._accept)
        self.initiative.currentIndexChanged.connect(self._load)
        self._load()
        self.result_override: ScenarioOverride | None = None

    def _load(self) -> None:
        o = self.existing.get(self.initiative.currentData())
        initiative = self.initiatives.get(self.initiative.currentData())
        proposed = initiative is not None and initiative.stage.value == "proposed"
        self.fund[0].setEnabled(proposed)
        self.fund[0].setText("Fund from" if proposed else "Fund from (proposed initiatives only)")
        for (check, edit), value in ((self.fund, o and o.fund_from), (self.stop, o and o.stop_from), (self.pause_from, o and o.pause_from),
                                     (self.pause_to, o and o.pause_to)):
            check.setChecked(value is not None)
            if value is not None:
                edit.setDate(QDate(value.year, value.month, value.day))
        self.budget.setText("" if o is None or o.budget_change is None else str(o.budget_change))

    def build(self) -> ScenarioOverride:
        text = self.budget.text().strip()
        budget = None
        if text:
            try:
                budget = fmt.parse_money(text, self.currency)
            except MoneyError as error:
                raise ValueError(f"Budget change: {error}.") from None
            except ValueError:
                raise ValueError(f"Budget change: “{text}” is not an amount of {self.currency}.") from None
        old = self.existing.get(self.initiative.currentData())
        override = ScenarioOverride(self.scenario_id, self.initiative.currentData(), optional_date_value(*self.stop),
                                    optional_date_value(*self.pause_from), optional_date_value(*self.pause_to), budget,
                                    fund_from=optional_date_value(*self.fund), id=old.id if old else None)
        problems = override_problems(override, self.initiatives.get(override.initiative_id))
        if problems:
            raise ValueError(f"{problems[0][0].replace('_', ' ').capitalize()}: {problems[0][1]}.")
        return override

    def _accept(self) -> None:
        try:
            self.result_override = self.build()
        except ValueError as error:
            QMessageBox.warning(self, "pmodesk", str(error))
            return
        self.accept()


class OptimiseDialog(QDialog):
    """The exact optimiser: budget, risk weight, keeps and stops; the answer can become a scenario."""

    def __init__(self, result: PortfolioResult, risk_weight: Decimal, parent=None, read_only: bool = False):
        super().__init__(parent)
        self.setWindowTitle("Optimise the portfolio")
        self.read_only = read_only
        self.result = result
        self.budget = QLineEdit()
        self.budget.setPlaceholderText(f"Budget for remaining cost, {result.currency}")
        self.by_year = QLineEdit()  # DESIGN.md section 17: a cap per fiscal year, labelled by the year it ends in
        self.by_year.setPlaceholderText("Optional, per fiscal year (the year it ends in): 2027=1500000; 2028=900000")
        self.risk = QDoubleSpinBox()
        self.risk.setRange(0, 10)
        self.risk.setSingleStep(0.1)
        self.risk.setValue(float(risk_weight))
        self.items = QListWidget()
        self.items.setAccessibleName("Candidates: tick to keep; choose Stop to exclude")
        self.pool = candidates(list(result.initiatives), result.currency, Decimal(0))
        for c in self.pool:
            item = QListWidgetItem(c.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.PartiallyChecked)
            item.setToolTip("Checked: must keep · unchecked: must stop · half: free choice")
            self.items.addItem(item)
        form = QFormLayout()
        form.addRow("Budget:", self.budget)
        form.addRow("Budgets by year:", self.by_year)
        form.addRow("Risk weight λ:", self.risk)
        self.answer = QLabel("")
        self.answer.setWordWrap(True)
        self.answer.setTextFormat(Qt.TextFormat.PlainText)
        run = QPushButton("Optimise")
        run.clicked.connect(self.run)
        self.save = QPushButton("Save as scenario…")
        self.save.setEnabled(False)
        self.save.clicked.connect(self.accept)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        for button in (run, self.save, close):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("Initiatives (checked: must keep; unchecked: must stop; half: free):"))
        layout.addWidget(self.items, 1)
        layout.addWidget(self.answer)
        layout.addLayout(row)
        self.choice: Choice | None = None

    def run(self) -> None:
        currency = self.result.currency
        try:
            text = self.budget.text().strip()
            budget = to_minor(fmt.parse_money(text, currency), currency) if text else None
            by_year = budgets_by_year(self.by_year.text(), currency)
            if budget is None and not by_year:
                raise ValueError
        except (InvalidOperation, MoneyError, ValueError):
            QMessageBox.warning(self, "pmodesk", "Give a budget, budgets by fiscal year (2027=1500000; 2028=900000), "
                                                 "or both, as amounts of money.")
            return
        keep = {self.items.item(n).text() for n in range(self.items.count())
                if self.items.item(n).checkState() == Qt.CheckState.Checked}
        stop = {self.items.item(n).text() for n in range(self.items.count())
                if self.items.item(n).checkState() == Qt.CheckState.Unchecked}
        pool = candidates(list(self.result.initiatives), currency, Decimal(str(self.risk.value())))
        if by_year:
            pool = with_spend_by_year(pool, self.result)
        try:
            self.choice = optimise(pool, budget, keep, stop, by_year)
        except KeepsOverBudget as over:
            self.choice = None
            years = [str(year) for year, _, _ in over.breaks if year is not None]
            self.answer.setText("The initiatives you chose to keep cost more than the budget on their own"
                                + (f" (fiscal year {', '.join(years)})" if years else "") + ".")
            self.save.setEnabled(False)
            return
        money = lambda minor: fmt.money(from_minor(minor, currency), currency)  # noqa: E731
        proposed = {r.initiative.code for r in self.result.initiatives if not r.funded}
        funded = [c for c in self.choice.selected if c in proposed]
        self.answer.setText(
            f"Selected: {', '.join(self.choice.selected) or 'none'}\nLeft out: {', '.join(self.choice.excluded) or 'none'}\n"
            f"Expected remaining value {money(self.choice.value)} for remaining cost {money(self.choice.cost)}"
            + ("" if self.choice.budget is None else f" of {money(self.choice.budget)}")
            + "".join(f"; fiscal year {y}: {money(spent)} of {money(cap)}"
                      for (y, cap), (_, spent) in zip(self.choice.budget_by_year, self.choice.spend_by_year))
            + f" ({self.choice.method}).\nSaved as a scenario, it funds "
            f"{', '.join(funded) or 'no proposed initiative'} and stops the left-out initiatives that still have "
            "cost to spend or value to gain.")
        self.save.setEnabled(not self.read_only)


def budgets_by_year(text: str, currency: str) -> dict[int, int]:
    """``2027=1,500,000; 2028=900000`` as {fiscal year: minor units}; a bad or repeated pair is a ValueError."""
    caps: dict[int, int] = {}
    for pair in text.replace(";", " ").split():
        year, sep, amount = pair.partition("=")
        if not sep or not year.isdigit() or int(year) in caps:
            raise ValueError(pair)
        value = Decimal(amount.replace(",", ""))
        if not value.is_finite() or value < 0:
            raise ValueError(pair)
        caps[int(year)] = to_minor(value, currency)
    return caps


def scenario_action(window, action: str) -> None:
    """New, Copy, Rename, Delete, Override or Optimise, each one undoable edit."""
    from pmodesk.commands import (
        DeleteScenario, SaveScenario, SetOverride, UpdateField, copy_scenario, optimised_scenario,
    )

    if window.data is None:
        return
    scenarios = {s.id: s for s in window.data.scenarios}
    current = scenarios.get(window.scenario_view.current_id())
    names = {s.name for s in window.data.scenarios}

    def ask_name(title: str, start: str = "") -> str | None:
        name, ok = QInputDialog.getText(window, title, "Scenario name:", text=start)
        name = name.strip()
        if not ok or not name:
            return None
        if name in names:
            window.explain(f"There is already a scenario called {name!r}.")
            return None
        return name

    if action == "New":
        name = ask_name("New scenario")
        if name:
            window.scenario_view.select_when_made(name)
            window.push(SaveScenario(name))
    elif action == "Copy" and current:
        name = ask_name("Copy scenario", f"{current.name} (copy)")
        if name:
            window.scenario_view.select_when_made(name)
            window.push(copy_scenario(window.data, current.id, name))
    elif action == "Rename" and current:
        name = ask_name("Rename scenario", current.name)
        if name:
            window.push(UpdateField("scenario", current.id, "name", current.name, name, f"Rename scenario {name}"))
    elif action == "Delete" and current:
        overrides = tuple(o for o in window.data.scenario_overrides if o.scenario_id == current.id)
        window.push(DeleteScenario(current, overrides))
    elif action == "Override" and current:
        existing = {o.initiative_id: o for o in window.data.scenario_overrides if o.scenario_id == current.id}
        dialog = OverrideDialog(window.data.initiatives, window.data.portfolio.currency, existing, current.id, window)
        if dialog.exec() and dialog.result_override is not None:
            new = dialog.result_override
            empty = not any(getattr(new, f, None) for f in OVERRIDE_FIELDS)
            window.push(SetOverride(existing.get(new.initiative_id), None if empty else new))
    elif action == "Optimise":
        dialog = OptimiseDialog(window.result, window.data.portfolio.risk_weight, window,
                                read_only=window.store is None or window.store.read_only)
        if dialog.exec() and dialog.choice is not None:
            name = ask_name("Save the answer as a scenario", "Optimised")
            if name:
                window.scenario_view.select_when_made(name)
                window.push(optimised_scenario(window.result, dialog.choice, name))

