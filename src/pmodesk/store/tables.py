"""How each entity of the domain maps to its table: SQLAlchemy Core tables plus one codec per field.

The tables are built from these specs (not reflected, not used to create the schema: the frozen
DDL does that); a test checks every spec against the frozen schema column by column. Queries
written against these tables are portable SQLAlchemy Core; only :mod:`pmodesk.store.opening`
knows it is talking to SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, Text

from pmodesk.domain import enums, model
from pmodesk.domain.money import from_minor, parse_decimal, to_minor

# Field kinds. Enumerations are given as their StrEnum class.
TEXT, INT, BOOL, DATE, DATETIME, DECIMAL, MONEY = "text", "int", "bool", "date", "datetime", "decimal", "money"


@dataclass(frozen=True)
class EntitySpec:
    name: str  # the table name, also the entity name in audit entries
    record: type | None  # the domain dataclass, None for link tables
    fields: dict[str, Any]  # column -> kind; the record's attribute has the same name
    key: tuple[str, ...] = ("id",)

    @property
    def table(self) -> Table:
        return TABLES[self.name]


def _spec(entity, record, /, key_columns=("id",), **fields) -> EntitySpec:
    return EntitySpec(entity, record, fields, key_columns)


SPECS: dict[str, EntitySpec] = {
    s.name: s
    for s in [
        _spec("portfolio", model.Portfolio, id=INT, name=TEXT, client=TEXT, currency=TEXT,
              fiscal_year_start_month=INT, as_of_mode=TEXT, as_of_date=DATE, rag_green_pct=DECIMAL,
              rag_amber_pct=DECIMAL, confidentiality=TEXT, risk_weight=DECIMAL),
        _spec("kpi", model.Kpi, id=INT, metric=TEXT, baseline=DECIMAL, baseline_date=DATE, target=DECIMAL),
        _spec("objective", model.Objective, id=INT, code=TEXT, title=TEXT, description=TEXT, owner=TEXT,
              weight=DECIMAL, active=BOOL),
        _spec("initiative", model.Initiative, id=INT, code=TEXT, name=TEXT, description=TEXT, sponsor=TEXT,
              owner=TEXT, stage=enums.Stage, delivery_rag=enums.DeliveryRag, planned_investment=MONEY,
              approval_date=DATE, start_date=DATE, planned_go_live=DATE, forecast_go_live=DATE,
              tracking_end=DATE, risk_likelihood=INT, risk_impact=INT,
              business_case_strategic=enums.BusinessCaseStatus, business_case_economic=enums.BusinessCaseStatus,
              business_case_commercial=enums.BusinessCaseStatus, business_case_financial=enums.BusinessCaseStatus,
              business_case_management=enums.BusinessCaseStatus),
        _spec("initiative_objective", model.ObjectiveLink, key_columns=("initiative_id", "objective_id"),
              initiative_id=INT, objective_id=INT, weight=DECIMAL),
        _spec("planned_spend", model.PlannedSpend, id=INT, initiative_id=INT, period_end=DATE, amount=MONEY),
        _spec("cost_actual", model.CostActual, id=INT, initiative_id=INT, period_end=DATE, amount=MONEY),
        _spec("output", model.Output, id=INT, code=TEXT, initiative_id=INT, title=TEXT, due=DATE, delivered=DATE),
        _spec("outcome", model.Outcome, id=INT, code=TEXT, initiative_id=INT, title=TEXT, due=DATE, delivered=DATE),
        _spec("outcome_output", None, key_columns=("outcome_id", "output_id"), outcome_id=INT, output_id=INT),
        _spec("benefit", model.Benefit, id=INT, code=TEXT, initiative_id=INT, outcome_id=INT, title=TEXT,
              category=enums.Category, dis_benefit=BOOL, owner=TEXT, measure=TEXT, unit=TEXT,
              direction=enums.Direction, baseline_value=DECIMAL, baseline_date=DATE, target_value=DECIMAL,
              target_date=DATE, annual_value=MONEY, attribution_pct=DECIMAL, confidence_pct=DECIMAL,
              frequency=enums.Frequency, data_source=TEXT, indicator=enums.Indicator, status=enums.BenefitStatus),
        _spec("benefit_output", None, key_columns=("benefit_id", "output_id"), benefit_id=INT, output_id=INT),
        _spec("trajectory_point", model.TrajectoryPoint, id=INT, benefit_id=INT, date=DATE, value=DECIMAL),
        _spec("measurement", model.Measurement, id=INT, benefit_id=INT, date=DATE, value=DECIMAL, source=TEXT,
              note=TEXT, entered_at=DATETIME),
        _spec("pivot_rule", model.PivotRule, id=INT, code=TEXT, initiative_id=INT, metric=enums.Metric,
              comparator=enums.Comparator, threshold=DECIMAL, applies_from=enums.AppliesFrom,
              applies_from_months=INT, action=enums.Action, agreed_on=DATE, agreed_by=TEXT, active=BOOL),
        _spec("pivot_rule_change", model.PivotRuleChange, id=INT, rule_id=INT, changed_at=DATETIME, field=TEXT,
              old_value=TEXT, new_value=TEXT, reason=TEXT, changed_by=TEXT),
        _spec("decision", model.Decision, id=INT, initiative_id=INT, kind=enums.DecisionKind, raised_on=DATE,
              summary=TEXT, escalated=BOOL, decided_on=DATE, outcome=enums.DecisionOutcome, decided_by=TEXT,
              rationale=TEXT, rule_id=INT),
        _spec("scenario", model.Scenario, id=INT, name=TEXT),
        _spec("scenario_override", model.ScenarioOverride, id=INT, scenario_id=INT, initiative_id=INT,
              stop_from=DATE, pause_from=DATE, pause_to=DATE, budget_change=MONEY, fund_from=DATE),
        _spec("commentary", model.Commentary, id=INT, meeting_date=DATE, initiative_id=INT, text=TEXT,
              author=TEXT),
        _spec("audit_entry", model.AuditEntry, id=INT, at=DATETIME, action=TEXT, entity=TEXT, entity_id=INT,
              field=TEXT, old_value=TEXT, new_value=TEXT),
    ]
}

METADATA = MetaData()
TABLES: dict[str, Table] = {
    spec.name: Table(
        spec.name,
        METADATA,
        *[
            # Money is BigInteger: minor units outgrow 32 bits, and a PostgreSQL server casts binds to the type.
            Column(col, BigInteger if kind == MONEY else Integer if kind in (INT, BOOL) else Text,
                   primary_key=col in spec.key)
            for col, kind in spec.fields.items()
        ],
    )
    for spec in SPECS.values()
}


class FieldError(ValueError):
    """A value of the wrong kind for a field."""


def to_db(kind: Any, value: Any, currency: str) -> Any:
    """A domain value as the value stored in the column."""
    if value is None:
        return None
    if kind == MONEY:
        return to_minor(parse_decimal(value), currency)
    if kind == DECIMAL:
        return str(parse_decimal(value))
    if kind == DATE:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise FieldError(f"{value!r} is not a date")
        return value.isoformat()
    if kind == DATETIME:
        if not isinstance(value, datetime):
            raise FieldError(f"{value!r} is not a date and time")
        return value.isoformat(timespec="seconds")
    if kind == BOOL:
        if not isinstance(value, bool):
            raise FieldError(f"{value!r} is not true or false")
        return int(value)
    if kind == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"{value!r} is not a whole number")
        return value
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return kind(value).value
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            raise FieldError(f"{value!r} is not one of: {allowed}") from None
    if not isinstance(value, str):
        raise FieldError(f"{value!r} is not text")
    return value


def from_db(kind: Any, value: Any, currency: str) -> Any:
    """A stored column value as the domain value."""
    if value is None:
        return None
    if kind == MONEY:
        return from_minor(int(value), currency)
    if kind == DECIMAL:
        return Decimal(value)
    if kind == DATE:
        return date.fromisoformat(value)
    if kind == DATETIME:
        return datetime.fromisoformat(value)
    if kind == BOOL:
        return bool(value)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind(value)
    return value


def display(kind: Any, value: Any, currency: str) -> str | None:
    """The text an audit entry records for a domain value."""
    if value is None:
        return None
    stored = to_db(kind, value, currency)
    if kind == MONEY:
        return str(from_minor(stored, currency))
    return str(stored)
