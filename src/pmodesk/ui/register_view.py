"""Registers: every entity of DESIGN.md section 4 listed, added, edited and deleted through forms.

One generic form built from the store's field kinds; every change is one undoable command and one
committed transaction. Validation is the domain's (the same rules as import), shown in words.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMessageBox, QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget,
)

from pmodesk.domain import model, validation
from pmodesk.domain.money import MoneyError, minor_unit
from pmodesk.store.specs import BOOL, DATE, DATETIME, DECIMAL, INT, MONEY, SPECS
from pmodesk.ui.models import Field, RowsModel, fit_columns, record_table
from pmodesk.ui.widgets import finish_form, optional_date, optional_date_value

# (title, table): every register, its records where PortfolioData holds them (the spec's attribute)
REGISTERS = [
    ("Portfolio settings", "portfolio"), ("Strategic objectives", "objective"), ("Initiatives", "initiative"),
    ("Objective links", "initiative_objective"), ("Benefits", "benefit"), ("Trajectory", "trajectory_point"),
    ("Measurements", "measurement"), ("Planned spend", "planned_spend"), ("Cost actuals", "cost_actual"),
    ("Outputs", "output"), ("Outcomes", "outcome"), ("Pivot rules", "pivot_rule"),
    ("Pivot rule history", "pivot_rule_change"), ("Decisions", "decision"), ("KPI baselines and targets", "kpi"),
    ("PMO commentary", "commentary"),
]


def records_of(data: model.PortfolioData, entity: str) -> list:
    """The records of one register, as PortfolioData holds them (the portfolio row alone)."""
    found = getattr(data, SPECS[entity].attribute)
    return [found] if entity == "portfolio" else list(found)


REFERENCES = {"initiative_id": ("initiatives", "code"), "benefit_id": ("benefits", "code"),
              "objective_id": ("objectives", "code"), "outcome_id": ("outcomes", "code"),
              "rule_id": ("pivot_rules", "code"), "scenario_id": ("scenarios", "name")}
READ_ONLY_REGISTERS = {"pivot_rule_change"}  # history is written by the store, never edited
HIDDEN = {"id", "entered_at"}
DEPENDENTS = {  # what must be removed first, so that undoing a delete restores everything
    "initiative": ("benefits", "initiative_id"), "objective": ("objective_links", "objective_id"),
    "benefit": ("measurements", "benefit_id"), "outcome": ("benefits", "outcome_id"),
    "output": ("outcomes", None), "pivot_rule": ("decisions", "rule_id"),
}


# Fields in DESIGN.md's words, with their units; the column name is used only where it already reads well.
LABELS = {
    "initiative_id": "Initiative", "benefit_id": "Benefit", "objective_id": "Strategic objective",
    "outcome_id": "Outcome it measures", "rule_id": "Linked pivot rule", "scenario_id": "Scenario",
    "planned_investment": "Planned investment (whole-life cost, {currency})", "amount": "Amount ({currency})",
    "budget_change": "Budget change (± {currency})", "annual_value": "Annual value at target ({currency} a year)",
    "approval_date": "Approval date", "planned_go_live": "Planned go-live", "forecast_go_live": "Forecast go-live",
    "tracking_end": "Benefits-tracking end (default go-live + 12 months)", "risk_likelihood": "Risk likelihood (1–5)",
    "risk_impact": "Risk impact (1–5)", "delivery_rag": "Delivery RAG", "dis_benefit": "Dis-benefit (a harm tracked)",
    "owner": "Named owner", "measure": "Measure (what is counted)", "unit": "Unit (e.g. days, %, £)",
    "direction": "Better when the measure is", "baseline_value": "Baseline (measure before change)",
    "baseline_date": "Baseline measured on", "target_value": "Target (measure)", "target_date": "Target date",
    "attribution_pct": "Attribution (% of the change credited here)", "confidence_pct": "Confidence (%)",
    "frequency": "Measurement frequency", "data_source": "Data source", "indicator": "Leading or lagging",
    "metric": "When this figure", "comparator": "is", "threshold": "this threshold (%, days, months or score)",
    "applies_from": "Counting from", "applies_from_months": "Applies from (months after that date)",
    "action": "Recommended action", "agreed_on": "Agreed on (by approval at the latest)", "agreed_by": "Agreed by",
    "active": "Active", "kind": "Kind", "raised_on": "Raised on", "summary": "What was raised",
    "escalated": "Escalated to executives", "decided_on": "Decided on", "outcome": "Outcome",
    "decided_by": "Decided by", "rationale": "Why (rationale)", "period_end": "Period end date",
    "value": "Value (measure)", "date": "Date", "source": "Source", "note": "Note", "weight": "Weight",
    "fiscal_year_start_month": "Fiscal year starts in month (1–12)", "as_of_mode": "As-of date (today or fixed)",
    "as_of_date": "Fixed as-of date", "rag_green_pct": "Value RAG green from (% of plan)",
    "rag_amber_pct": "Value RAG amber from (% of plan)", "risk_weight": "Risk weight λ of the optimiser (0 = none)",
    "confidentiality": "Confidentiality marking", "currency": "Currency (ISO 4217 code)", "client": "Client or organisation",
    "stop_from": "Stop from", "pause_from": "Pause from", "pause_to": "Pause to", "fund_from": "Fund from",
    "meeting_date": "Meeting date", "text": "Commentary", "author": "Author",
    "business_case_strategic": "Business case: strategic", "business_case_economic": "Business case: economic",
    "business_case_commercial": "Business case: commercial", "business_case_financial": "Business case: financial",
    "business_case_management": "Business case: management",
    "changed_at": "Changed at", "field": "Field", "old_value": "Old value", "new_value": "New value",
    "reason": "Reason for the change", "changed_by": "Changed by", "due": "Due", "delivered": "Delivered",
}
# The safe choice where a new record needs an enumeration: a new pivot rule only asks for a review.
SAFE_DEFAULTS = {"action": "review", "comparator": "<", "kind": "gate review"}


def _label(name: str, currency: str = "") -> str:
    label = LABELS.get(name)
    if label is None:
        return name.removesuffix("_id").replace("_", " ").capitalize()
    return label.format(currency=currency or "portfolio currency")


def _show(value: Any, references: dict[str, dict[int, str]], name: str) -> str:
    if value is None:
        return "—"
    if name in references:
        return references[name].get(value, str(value))
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _sort_key(value: Any, references: dict[str, dict[int, str]], name: str):
    if value is None:
        return None
    if name in references:
        return references[name].get(value, "")
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, (int, Decimal, bool)):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).casefold()


def record_problems(record, data: model.PortfolioData) -> list:
    """The domain's checks of one record (the same rules as import), as (field, problem) pairs."""
    if isinstance(record, model.Benefit):
        return validation.benefit_problems(record)
    if isinstance(record, model.Initiative):
        return validation.initiative_problems(record)
    if isinstance(record, model.TrajectoryPoint):
        owner = next(b for b in data.benefits if b.id == record.benefit_id)
        return validation.trajectory_problems(owner, record.date, record.value)
    if isinstance(record, model.Decision) and record.decided_on and record.decided_on < record.raised_on:
        return [("decided_on", "is before the date it was raised")]
    return []


def parse_cell(kind: Any, text: str, currency: str):
    """What a person typed into a register cell, as the field's value; ValueError says why not."""
    from pmodesk.ui import formatting as fmt

    text = text.strip()
    if not text or text in ("—", "-"):
        return None
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return kind(text.lower())
        except ValueError:
            raise ValueError(f"“{text}” is not one of: {', '.join(m.value for m in kind)}") from None
    if kind == BOOL:
        if text.lower() in ("yes", "y", "true", "1"):
            return True
        if text.lower() in ("no", "n", "false", "0"):
            return False
        raise ValueError(f"“{text}” is not yes or no")
    if kind == DATE:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"“{text}” is not a date (YYYY-MM-DD)") from None
    if kind == INT:
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"“{text}” is not a whole number") from None
    if kind == MONEY:
        return fmt.parse_money(text, currency)
    if kind == DECIMAL:
        return fmt.parse_number(text)
    return text


class RegisterModel(RowsModel):
    """A register's rows; simple fields are edited in place, each change one undoable command."""

    edit_requested = Signal(object)  # an UpdateRecord
    invalid_edit = Signal(str)

    def __init__(self, parent=None):
        super().__init__([], parent)
        self.entity: str | None = None
        self.names: list[str] = []
        self.data_: model.PortfolioData | None = None
        self.read_only = True

    def configure(self, entity: str, names: list[str], data, read_only: bool) -> None:
        self.entity, self.names, self.data_, self.read_only = entity, names, data, read_only

    def _editable(self, column: int) -> bool:
        if self.read_only or self.entity is None or self.entity in IN_PLACE_EXCLUDED:
            return False
        name = self.names[column]
        spec = SPECS[self.entity]
        return name not in REFERENCES and name not in spec.key and spec.fields[name] != DATETIME \
            and not (self.entity == "portfolio" and name == "currency")

    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and self._editable(index.column()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.EditRole and index.isValid():
            text = super().data(index, Qt.ItemDataRole.DisplayRole)
            return "" if text == "—" else text
        return super().data(index, role)

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt's name
        from pmodesk.commands import UpdateRecord

        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self._editable(index.column()):
            return False
        record = self.row(index.row())
        name = self.names[index.column()]
        spec = SPECS[self.entity]
        label = _label(name, self.data_.portfolio.currency)
        try:
            new = parse_cell(spec.fields[name], str(value), self.data_.portfolio.currency)
            if new is None and name in REQUIRED.get(self.entity, set()) | _required(spec):
                raise ValueError("is required")
            candidate = replace(record, **{name: new})
            problems = record_problems(candidate, self.data_)
            if problems:
                raise ValueError(problems[0][1])
        except (ValueError, MoneyError) as error:
            self.invalid_edit.emit(f"{label}: {error}.")
            return False
        if new == getattr(record, name):
            return False
        key = 1 if self.entity == "portfolio" else tuple(getattr(record, k) for k in spec.key)
        key = key[0] if isinstance(key, tuple) and len(key) == 1 else key
        self.edit_requested.emit(UpdateRecord(self.entity, key, {name: getattr(record, name)}, {name: new},
                                              label=f"Change {self.entity.replace('_', ' ')} {label.lower()}"))
        return True


# Pivot rules change only through their form (a change after approval needs its reason); history is
# the store's; the rest are edited in place as well as in their form.
IN_PLACE_EXCLUDED = {"pivot_rule", "pivot_rule_change"}
REQUIRED: dict[str, set[str]] = {}


def _required(spec) -> set[str]:
    return {f.name for f in fields(spec.record) if f.default is MISSING and f.default_factory is MISSING}


class RecordDialog(QDialog):
    """A form for one record: one widget per field kind, foreign keys as choices of codes."""

    def __init__(self, entity: str, record: Any, data: model.PortfolioData, parent=None):
        super().__init__(parent)
        self.spec = SPECS[entity]
        self.entity, self.original, self.data = entity, record, data
        self.setWindowTitle(("Edit " if getattr(record, "id", None) is not None or entity == "portfolio" else "New ")
                            + entity.replace("_", " "))
        self.widgets: dict[str, Any] = {}
        form = QFormLayout()
        for name, kind in self.spec.fields.items():
            if name in HIDDEN:
                continue
            widget = self._widget(name, kind, getattr(record, name, None))
            self.widgets[name] = widget
            form.addRow(_label(name, data.portfolio.currency) + ":",
                        widget if not isinstance(widget, tuple) else self._pair(widget))
        finish_form(self, form, self._accept)
        self.result_record = None

    @staticmethod
    def _pair(widgets) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            row.addWidget(widget)
        return holder

    def _widget(self, name: str, kind: Any, value: Any):
        if name in REFERENCES:
            attribute, label = REFERENCES[name]
            combo = QComboBox()
            combo.addItem("—", None)
            for item in sorted(getattr(self.data, attribute), key=lambda r: getattr(r, label)):
                combo.addItem(getattr(item, label), item.id)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        if isinstance(kind, type) and issubclass(kind, StrEnum):
            combo = QComboBox()
            combo.addItem("—", None)
            for member in kind:
                combo.addItem(member.value, member)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        if kind == BOOL:
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if kind == DATE:
            return optional_date("set", value)
        if kind == INT:
            spin = QSpinBox()
            spin.setRange(-1, 10_000)
            spin.setSpecialValueText("—")
            spin.setValue(-1 if value is None else value)
            return spin
        line = QLineEdit("" if value is None else str(value))
        if kind in (MONEY, DECIMAL):
            line.setAlignment(Qt.AlignmentFlag.AlignRight)
        return line

    def _value(self, name: str, kind: Any):
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, tuple):
            return optional_date_value(*widget)
        if isinstance(widget, QSpinBox):
            return None if widget.value() < 0 else widget.value()
        text = widget.text().strip()
        if kind in (MONEY, DECIMAL):
            if not text:
                return None
            try:
                number = Decimal(text.replace(",", ""))
            except InvalidOperation:
                raise ValueError(f"{_label(name)}: “{text}” is not a number.") from None
            if kind == MONEY:
                digits = minor_unit(self.data.portfolio.currency)
                if number != number.quantize(Decimal(1).scaleb(-digits)):
                    raise ValueError(f"{_label(name)}: more decimals than {self.data.portfolio.currency} allows.")
            return number
        return text or None

    def build(self) -> Any:
        values = {name: self._value(name, kind) for name, kind in self.spec.fields.items() if name not in HIDDEN}
        required = {f.name for f in fields(self.spec.record) if f.default is MISSING and f.default_factory is MISSING}
        missing = [name for name in required if values.get(name) is None and name in values]
        if missing:
            raise ValueError(f"{_label(missing[0])} is required.")
        record = replace(self.original, **values)
        problems = self._problems(record)
        if problems:
            raise ValueError(f"{_label(problems[0][0])}: {problems[0][1]}.")
        return record

    def _problems(self, record) -> list:
        return record_problems(record, self.data)

    def _accept(self) -> None:
        try:
            self.result_record = self.build()
        except (ValueError, MoneyError) as error:
            QMessageBox.warning(self, "pmodesk", str(error))
            return
        self.accept()


class RegisterView(QWidget):
    """A chooser of registers, the chosen register as a table, and Add / Edit / Delete."""

    command_requested = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Register:"))
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Register")
        for title, entity in REGISTERS:
            self.chooser.addItem(title, entity)
        self.chooser.currentIndexChanged.connect(self._fill)
        top.addWidget(self.chooser, 1)
        top.addWidget(QLabel("Find:"))
        self.find = QLineEdit()
        self.find.setPlaceholderText("text in any column")
        self.find.setAccessibleName("Find in the register")
        self.find.setClearButtonEnabled(True)
        self.find.textChanged.connect(self.model_filter)
        top.addWidget(self.find, 1)
        self.buttons = {}
        for label in ("Add…", "Edit…", "Delete"):
            button = QPushButton(label)
            button.setProperty("edits", True)
            button.clicked.connect(lambda _=False, name=label.rstrip("…"): self._act(name))
            self.buttons[label.rstrip("…")] = button
            top.addWidget(button)
        layout.addLayout(top)
        self.model = RegisterModel(self)
        self.model.edit_requested.connect(self.command_requested)
        self.model.invalid_edit.connect(lambda message: QMessageBox.warning(self, "pmodesk", message))
        self.table = record_table(QTableView(), self.model, sort_as_listed=True, rows=True, single=True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setAccessibleName("Register")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableView.EditTrigger.EditKeyPressed | QTableView.EditTrigger.AnyKeyPressed)
        self.table.doubleClicked.connect(lambda _: self._act("Edit"))
        layout.addWidget(self.table, 1)
        hint = QLabel("Type over a cell to change it in place (F2 edits it), or use Edit… for the whole record; "
                      "every change is one edit that Edit ▸ Undo takes back.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5F6B7A;")
        layout.addWidget(hint)
        self.data: model.PortfolioData | None = None
        self.read_only = True
        self.records: list = []

    def set_result(self, data, result=None, read_only: bool = True) -> None:
        self.set_data(data, read_only)

    def set_data(self, data: model.PortfolioData | None, read_only: bool) -> None:
        self.data, self.read_only = data, read_only
        self._fill()

    def entity(self) -> str:
        return self.chooser.currentData()

    def model_filter(self, text: str) -> None:
        """Only the rows holding ``text`` (a long register is filtered in a background worker)."""
        self.model.set_filter(text)

    def _references(self) -> dict[str, dict[int, str]]:
        """Each reference column's labels by id, made once for each read of the portfolio (5,000 benefits
        took a few milliseconds each time another register was chosen)."""
        if self._labels is None or self._labels[0] is not self.data:
            self._labels = (self.data, {name: {r.id: getattr(r, label) for r in getattr(self.data, attribute)}
                                        for name, (attribute, label) in REFERENCES.items()})
        return self._labels[1]

    _labels: tuple | None = None  # (the data they were made from, the labels)

    def _fill(self) -> None:
        entity = self.entity()
        if entity != self.model.entity and self.find.text():  # another register: its own search
            self.find.blockSignals(True)
            self.find.clear()
            self.find.blockSignals(False)
            self.model.set_filter("")
        spec = SPECS[entity]
        self.records = [] if self.data is None else records_of(self.data, entity)
        columns = [name for name in spec.fields if name not in HIDDEN]
        references = self._references() if self.data else {}
        currency = self.data.portfolio.currency if self.data else ""
        fields_ = [Field(_label(name, currency), lambda r, n=name: _show(getattr(r, n), references, n),
                         lambda r, n=name: _sort_key(getattr(r, n), references, n),
                         align_right=spec.fields[name] in (MONEY, DECIMAL, INT) and name not in REFERENCES)
                   for name in columns]
        self.model.configure(entity, columns, self.data, self.read_only or self.data is None)
        self.model.set_rows(self.records, fields_)
        fit_columns(self.table, caps=dict.fromkeys(range(self.model.columnCount()), 320))
        editable = self.data is not None and not self.read_only and entity not in READ_ONLY_REGISTERS
        self.buttons["Add"].setEnabled(editable and entity != "portfolio")
        self.buttons["Edit"].setEnabled(editable and bool(self.records))
        self.buttons["Delete"].setEnabled(editable and entity != "portfolio" and bool(self.records))

    def selected(self):
        row = self.table.currentIndex().row()
        return self.model.row(row) if 0 <= row < self.model.rowCount() else None

    def _blank(self, entity: str):
        record_type = SPECS[entity].record
        defaults = {}
        for f in fields(record_type):
            if f.default is MISSING and f.default_factory is MISSING:
                kind = SPECS[entity].fields.get(f.name)
                defaults[f.name] = (0 if kind in (INT,) or f.name.endswith("_id") else date.today() if kind == DATE
                                    else Decimal(0) if kind in (DECIMAL, MONEY) else
                                    kind(SAFE_DEFAULTS[f.name]) if f.name in SAFE_DEFAULTS else
                                    next(iter(kind)) if isinstance(kind, type) and issubclass(kind, StrEnum) else "")
        return record_type(**defaults)

    def _act(self, action: str) -> None:
        from pmodesk.commands import DeleteRecord, InsertRecord, UpdateRecord

        if self.data is None or self.read_only:
            return
        entity = self.entity()
        record = self.selected() if action != "Add" else self._blank(entity)
        if record is None:
            record = self.records[0] if entity == "portfolio" and self.records else None
        if record is None:
            return
        if action == "Delete":
            blocker = self._dependents(entity, record)
            if blocker:
                QMessageBox.warning(self, "pmodesk", blocker)
                return
            self.command_requested.emit(DeleteRecord(record))
            return
        dialog = RecordDialog(entity, record, self.data, self)
        if not dialog.exec() or dialog.result_record is None:
            return
        new = dialog.result_record
        if action == "Add":
            self.command_requested.emit(InsertRecord(new, label=f"Add {entity.replace('_', ' ')}"))
            return
        changed = {name: getattr(new, name) for name in SPECS[entity].fields
                   if name not in HIDDEN and getattr(new, name) != getattr(record, name)}
        if not changed:
            return
        reason = None
        if entity == "pivot_rule":
            initiative = next(i for i in self.data.initiatives if i.id == record.initiative_id)
            if initiative.approval_date and date.today() > initiative.approval_date:
                from PySide6.QtWidgets import QInputDialog

                reason, ok = QInputDialog.getText(self, "Change a rule agreed at approval",
                                                  "This rule was agreed at approval. Why is it changing?")
                if not ok or not reason.strip():
                    QMessageBox.information(self, "pmodesk", "Not changed: a reason is needed to change an agreed rule.")
                    return
        key = 1 if entity == "portfolio" else tuple(getattr(record, k) for k in SPECS[entity].key)
        key = key[0] if isinstance(key, tuple) and len(key) == 1 else key
        self.command_requested.emit(UpdateRecord(entity, key, {n: getattr(record, n) for n in changed}, changed,
                                                 label=f"Edit {entity.replace('_', ' ')}", reason=reason))

    def _dependents(self, entity: str, record) -> str | None:
        rule = DEPENDENTS.get(entity)
        if rule is None:
            return None
        attribute, link = rule
        if link is None:  # outputs are referenced by outcomes and benefits through link lists
            used = any(record.id in o.output_ids for o in self.data.outcomes) or \
                any(record.id in b.output_ids for b in self.data.benefits)
        else:
            used = any(getattr(r, link) == record.id for r in getattr(self.data, attribute))
        if entity == "initiative":
            used = used or any(getattr(r, "initiative_id", None) == record.id for r in
                               (*self.data.planned_spend, *self.data.cost_actuals, *self.data.pivot_rules,
                                *self.data.decisions, *self.data.outputs, *self.data.outcomes))
        if entity == "benefit":
            used = used or any(t.benefit_id == record.id for t in self.data.trajectory)
        if used:
            return (f"This {entity.replace('_', ' ')} is still referred to by other records; remove those first so "
                    "that nothing is deleted silently.")
        return None



