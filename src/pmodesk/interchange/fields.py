"""Each interchange list's fields, declared once (DESIGN.md section 12).

The columns, their kinds and enumerations are derived from the store's field specs
(:data:`pmodesk.store.tables.SPECS`), which are themselves checked column by column against the
frozen schema; what only the interchange format knows is declared here: which list an entity is,
how a reference is named (``initiative_id`` is the column ``initiative``, holding a code), which
fields are required (section 15), and for the template's README a unit, a sentence and an example.
The workbook's sheets, the template, header matching, the import wizard and the field-walk test
all read this one declaration.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pmodesk.store.tables import BOOL, DATE, DATETIME, DECIMAL, INT, MONEY, SPECS, TEXT

REF = "ref"  # a reference to another list's row, by its code (or a scenario by its name)

# list -> store entity, in the order sheets are written
LIST_ENTITIES = {
    "kpis": "kpi", "objectives": "objective", "initiatives": "initiative",
    "initiative_objectives": "initiative_objective", "planned_spend": "planned_spend",
    "cost_actuals": "cost_actual", "outputs": "output", "outcomes": "outcome", "outcome_outputs": "outcome_output",
    "benefits": "benefit", "benefit_outputs": "benefit_output", "trajectory": "trajectory_point",
    "measurements": "measurement", "pivot_rules": "pivot_rule", "decisions": "decision", "scenarios": "scenario",
    "scenario_overrides": "scenario_override", "commentary": "commentary",
}
# Store columns that are not part of the interchange format (section 15: an imported portfolio starts
# a new history; the as-of mode is implied by whether an as-of date is given).
NOT_INTERCHANGED = {"id", "portfolio.as_of_mode", "measurement.entered_at"}
# Entities kept in the file only: audit entries and rule-change history start afresh on import.
FILE_ONLY_ENTITIES = {"audit_entry", "pivot_rule_change"}
# A reference column's list (the column name is the store column without ``_id``).
REFERENCE_LISTS = {"initiative": "initiatives", "objective": "objectives", "output": "outputs",
                   "outcome": "outcomes", "benefit": "benefits", "scenario": "scenarios", "rule": "pivot_rules"}

REQUIRED = {
    "portfolio": ("name", "currency"),
    "kpis": ("metric",),
    "objectives": ("code", "title"),
    "initiatives": ("code", "name", "stage"),
    "initiative_objectives": ("initiative", "objective"),
    "planned_spend": ("initiative", "period_end", "amount"),
    "cost_actuals": ("initiative", "period_end", "amount"),
    "outputs": ("code", "initiative", "title"),
    "outcomes": ("code", "initiative", "title"),
    "outcome_outputs": ("outcome", "output"),
    "benefits": ("code", "initiative", "title", "measure", "direction", "target_value", "target_date"),
    "benefit_outputs": ("benefit", "output"),
    "trajectory": ("benefit", "date", "value"),
    "measurements": ("benefit", "date", "value"),
    "pivot_rules": ("code", "initiative", "metric", "comparator", "threshold", "action", "agreed_on"),
    "decisions": ("initiative", "kind", "raised_on", "summary"),
    "scenarios": ("name",),
    "scenario_overrides": ("scenario", "initiative"),
    "commentary": ("meeting_date", "text"),
}
# What identifies a row when ``--update`` matches the source against the portfolio.
KEYS = {
    "kpis": ("metric",), "objectives": ("code",), "initiatives": ("code",),
    "initiative_objectives": ("initiative", "objective"), "planned_spend": ("initiative", "period_end"),
    "cost_actuals": ("initiative", "period_end"), "outputs": ("code",), "outcomes": ("code",),
    "outcome_outputs": ("outcome", "output"), "benefits": ("code",), "benefit_outputs": ("benefit", "output"),
    "trajectory": ("benefit", "date"), "measurements": ("benefit", "date"), "pivot_rules": ("initiative", "code"),
    "decisions": ("initiative", "kind", "raised_on"), "scenarios": ("name",),
    "scenario_overrides": ("scenario", "initiative"), "commentary": ("meeting_date", "initiative", "author"),
}

KPI_METRICS = ("benefits_realised_pct", "realisation_vs_plan_pct", "strategic_alignment_pct",
               "strategic_alignment_by_investment_pct", "decision_cycle_time_median_days",
               "decision_cycle_time_mean_days", "escalation_rate_pct", "portfolio_roi_pct",
               "forecast_portfolio_roi_pct", "realised_value", "planned_value", "planned_investment", "actual_cost")

# Unit and meaning of a field for the template's README; fields not named here get a sentence from
# their kind. Keys are "list.field" or a bare field name shared by several lists.
HELP: dict[str, tuple[str, str, Any]] = {
    "code": ("", "a short unique code, used by other sheets to refer to this row", "PAY-01"),
    "name": ("", "the name shown in registers and the board pack", "Payments modernisation"),
    "title": ("", "a short title", "Faster claims processing"),
    "portfolio.name": ("", "the portfolio's name", "Acme transformation"),
    "portfolio.currency": ("ISO 4217 code", "the one currency of every amount", "GBP"),
    "portfolio.fiscal_year_start_month": ("month 1-12", "the month the fiscal year starts", 4),
    "portfolio.as_of_date": ("date", "a fixed as-of date for every figure (empty: today)", "2027-03-31"),
    "portfolio.rag_green_pct": ("percent", "value RAG green from this realisation vs plan", 90),
    "portfolio.rag_amber_pct": ("percent", "value RAG amber from this realisation vs plan", 70),
    "portfolio.risk_weight": ("λ, a number ≥ 0", "the optimiser's risk weight", 0),
    "kpis.metric": ("", "a portfolio metric", "portfolio_roi_pct"),
    "weight": ("number ≥ 0", "relative weight (default 1)", 1),
    "planned_investment": ("money", "whole-life cost", 1200000),
    "risk_likelihood": ("1-5", "risk likelihood (risk score = likelihood × impact)", 3),
    "risk_impact": ("1-5", "risk impact", 4),
    "tracking_end": ("date", "benefits-tracking end (default go-live + 12 months)", "2028-03-31"),
    "amount": ("money", "an amount in the portfolio currency", 250000),
    "period_end": ("date", "the last day of the period", "2026-06-30"),
    "measure": ("", "what is measured", "average days to settle a claim"),
    "unit": ("", "the measure's unit", "days"),
    "direction": ("", "whether a higher or lower measure is better", "lower"),
    "baseline_value": ("measure", "the measure before the change", 12),
    "target_value": ("measure", "the measure the benefit aims for", 5),
    "annual_value": ("money per year", "the money value per year at target", 240000),
    "attribution_pct": ("percent 0-100", "share of the change credited to this initiative (default 100)", 80),
    "confidence_pct": ("percent 0-100", "confidence in the benefit (default 100)", 75),
    "value": ("measure", "the measure's value", 7.5),
    "threshold": ("number", "the value the metric is compared with", 70),
    "applies_from_months": ("months", "months after the anchor from which the rule applies", 6),
    "budget_change": ("money", "a change to the remaining budget (negative: a cut)", -50000),
    "text": ("", "the PMO's own words for the meeting", "Payments is back on plan after the re-plan."),
}
EXAMPLE_BY_KIND = {TEXT: "text", INT: 1, BOOL: "true", DATE: "2026-03-31", DECIMAL: 1.5, MONEY: 100000}


@dataclass(frozen=True)
class Field:
    list: str  # the interchange list (sheet) it belongs to
    name: str  # the interchange name: a JSON key and a workbook column
    kind: Any  # a store kind (TEXT, MONEY, …), a StrEnum class, or REF
    required: bool
    attribute: str | None  # the domain record's attribute (None for the portfolio's derived fields)
    column: str  # the store column
    refers_to: str | None = None  # REF: the list whose code it holds

    @property
    def choices(self) -> tuple[str, ...]:
        if isinstance(self.kind, type) and issubclass(self.kind, StrEnum):
            return tuple(m.value for m in self.kind)
        if (self.list, self.name) == ("kpis", "metric"):
            return KPI_METRICS
        if self.kind == BOOL:
            return ("true", "false")
        return ()

    def help(self) -> tuple[str, str, Any]:
        """(unit, meaning, example) for the template's README sheet."""
        found = HELP.get(f"{self.list}.{self.name}") or HELP.get(self.name)
        if found:
            return found
        if self.kind == REF:
            what = "name" if self.refers_to == "scenarios" else "code"
            return "", f"the {what} of a row of the {self.refers_to} sheet", "PAY-01" if what == "code" else "Plan B"
        if self.choices:
            return "", "one of the listed values", self.choices[0]
        kind_name = {TEXT: "", INT: "whole number", BOOL: "true or false", DATE: "date", DATETIME: "date and time",
                     DECIMAL: "number", MONEY: "money"}.get(self.kind, "")
        return kind_name, self.name.replace("_", " "), EXAMPLE_BY_KIND.get(self.kind, "")


def _fields(list_name: str, entity: str) -> tuple[Field, ...]:
    spec = SPECS[entity]
    out = []
    for column, kind in spec.fields.items():
        if column in NOT_INTERCHANGED or f"{entity}.{column}" in NOT_INTERCHANGED:
            continue
        name, refers_to = column, None
        if column.endswith("_id"):
            name = column[:-3]
            refers_to = REFERENCE_LISTS[name]
            kind = REF
        attribute = column if spec.record is not None else None
        out.append(Field(list_name, name, kind, name in REQUIRED.get(list_name, ()), attribute, column, refers_to))
    if list_name == "portfolio":  # the sheet's order: what a user fills in first
        order = ("name", "client", "currency", "fiscal_year_start_month", "rag_green_pct", "rag_amber_pct",
                 "confidentiality", "risk_weight", "as_of_date")
        out.sort(key=lambda f: order.index(f.name) if f.name in order else len(order))
    return tuple(out)


PORTFOLIO: tuple[Field, ...] = _fields("portfolio", "portfolio")
LISTS: dict[str, tuple[Field, ...]] = {name: _fields(name, entity) for name, entity in LIST_ENTITIES.items()
                                       if entity in SPECS}
SHEETS: dict[str, tuple[str, ...]] = {name: tuple(f.name for f in fields) for name, fields in LISTS.items()}
PORTFOLIO_FIELDS: tuple[str, ...] = tuple(f.name for f in PORTFOLIO)


def field(list_name: str, name: str) -> Field | None:
    for f in PORTFOLIO if list_name == "portfolio" else LISTS.get(list_name, ()):
        if f.name == name:
            return f
    return None


def required(list_name: str) -> tuple[str, ...]:
    return REQUIRED.get(list_name, ())


def normal(text: Any) -> str:
    """A sheet or column name as matched: case, surrounding spaces and ``_`` versus space ignored."""
    return " ".join(str(text).replace("_", " ").split()).lower()
