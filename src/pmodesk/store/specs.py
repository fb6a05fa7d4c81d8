"""Each entity of the domain as the store keeps it: its table, its record, its fields and their kinds.

The one declaration of every field: :mod:`pmodesk.store.tables` builds SQLAlchemy tables and codecs
from it, the column-wise read (:mod:`pmodesk.store.columns`), the loader, the interchange formats and
the window's registers read it. It imports no SQLAlchemy, so that the quick paths (``pmodesk metrics``,
the window's first figures) need not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pmodesk.domain import enums, model

# Field kinds. Enumerations are given as their StrEnum class.
TEXT, INT, BOOL, DATE, DATETIME, DECIMAL, MONEY = "text", "int", "bool", "date", "datetime", "decimal", "money"


@dataclass(frozen=True)
class EntitySpec:
    name: str  # the table name, also the entity name in audit entries
    record: type | None  # the domain dataclass, None for link tables
    fields: dict[str, Any]  # column -> kind; the record's attribute has the same name
    key: tuple[str, ...] = ("id",)
    attribute: str | None = None  # where PortfolioData holds its records (None: link tables, the audit trail)

    @property
    def table(self):
        """The SQLAlchemy table (imports SQLAlchemy on first use)."""
        from pmodesk.store.tables import TABLES

        return TABLES[self.name]


def _spec(entity, record, /, key_columns=("id",), attribute=None, **fields) -> EntitySpec:
    return EntitySpec(entity, record, fields, key_columns, attribute)


SPECS: dict[str, EntitySpec] = {
    s.name: s
    for s in [
        _spec("portfolio", model.Portfolio, attribute="portfolio", id=INT, name=TEXT, client=TEXT, currency=TEXT,
              fiscal_year_start_month=INT, as_of_mode=TEXT, as_of_date=DATE, rag_green_pct=DECIMAL,
              rag_amber_pct=DECIMAL, confidentiality=TEXT, risk_weight=DECIMAL),
        _spec("kpi", model.Kpi, attribute="kpis", id=INT, metric=TEXT, baseline=DECIMAL, baseline_date=DATE, target=DECIMAL),
        _spec("objective", model.Objective, attribute="objectives", id=INT, code=TEXT, title=TEXT, description=TEXT, owner=TEXT,
              weight=DECIMAL, active=BOOL),
        _spec("initiative", model.Initiative, attribute="initiatives", id=INT, code=TEXT, name=TEXT, description=TEXT, sponsor=TEXT,
              owner=TEXT, stage=enums.Stage, delivery_rag=enums.DeliveryRag, planned_investment=MONEY,
              approval_date=DATE, start_date=DATE, planned_go_live=DATE, forecast_go_live=DATE,
              tracking_end=DATE, risk_likelihood=INT, risk_impact=INT,
              business_case_strategic=enums.BusinessCaseStatus, business_case_economic=enums.BusinessCaseStatus,
              business_case_commercial=enums.BusinessCaseStatus, business_case_financial=enums.BusinessCaseStatus,
              business_case_management=enums.BusinessCaseStatus),
        _spec("initiative_objective", model.ObjectiveLink, attribute="objective_links", key_columns=("initiative_id", "objective_id"),
              initiative_id=INT, objective_id=INT, weight=DECIMAL),
        _spec("planned_spend", model.PlannedSpend, attribute="planned_spend", id=INT, initiative_id=INT, period_end=DATE, amount=MONEY),
        _spec("cost_actual", model.CostActual, attribute="cost_actuals", id=INT, initiative_id=INT, period_end=DATE, amount=MONEY),
        _spec("output", model.Output, attribute="outputs", id=INT, code=TEXT, initiative_id=INT, title=TEXT, due=DATE, delivered=DATE),
        _spec("outcome", model.Outcome, attribute="outcomes", id=INT, code=TEXT, initiative_id=INT, title=TEXT, due=DATE, delivered=DATE),
        _spec("outcome_output", None, key_columns=("outcome_id", "output_id"), outcome_id=INT, output_id=INT),
        _spec("benefit", model.Benefit, attribute="benefits", id=INT, code=TEXT, initiative_id=INT, outcome_id=INT, title=TEXT,
              category=enums.Category, dis_benefit=BOOL, owner=TEXT, measure=TEXT, unit=TEXT,
              direction=enums.Direction, baseline_value=DECIMAL, baseline_date=DATE, target_value=DECIMAL,
              target_date=DATE, annual_value=MONEY, attribution_pct=DECIMAL, confidence_pct=DECIMAL,
              frequency=enums.Frequency, data_source=TEXT, indicator=enums.Indicator, status=enums.BenefitStatus),
        _spec("benefit_output", None, key_columns=("benefit_id", "output_id"), benefit_id=INT, output_id=INT),
        _spec("trajectory_point", model.TrajectoryPoint, attribute="trajectory", id=INT, benefit_id=INT, date=DATE, value=DECIMAL),
        _spec("measurement", model.Measurement, attribute="measurements", id=INT, benefit_id=INT, date=DATE, value=DECIMAL, source=TEXT,
              note=TEXT, entered_at=DATETIME),
        _spec("pivot_rule", model.PivotRule, attribute="pivot_rules", id=INT, code=TEXT, initiative_id=INT, metric=enums.Metric,
              comparator=enums.Comparator, threshold=DECIMAL, applies_from=enums.AppliesFrom,
              applies_from_months=INT, action=enums.Action, agreed_on=DATE, agreed_by=TEXT, active=BOOL),
        _spec("pivot_rule_change", model.PivotRuleChange, attribute="rule_changes", id=INT, rule_id=INT, changed_at=DATETIME, field=TEXT,
              old_value=TEXT, new_value=TEXT, reason=TEXT, changed_by=TEXT),
        _spec("decision", model.Decision, attribute="decisions", id=INT, initiative_id=INT, kind=enums.DecisionKind, raised_on=DATE,
              summary=TEXT, escalated=BOOL, decided_on=DATE, outcome=enums.DecisionOutcome, decided_by=TEXT,
              rationale=TEXT, rule_id=INT),
        _spec("scenario", model.Scenario, attribute="scenarios", id=INT, name=TEXT),
        _spec("scenario_override", model.ScenarioOverride, attribute="scenario_overrides", id=INT, scenario_id=INT, initiative_id=INT,
              stop_from=DATE, pause_from=DATE, pause_to=DATE, budget_change=MONEY, fund_from=DATE),
        _spec("commentary", model.Commentary, attribute="commentary", id=INT, meeting_date=DATE, initiative_id=INT, text=TEXT,
              author=TEXT),
        _spec("audit_entry", model.AuditEntry, id=INT, at=DATETIME, action=TEXT, entity=TEXT, entity_id=INT,
              field=TEXT, old_value=TEXT, new_value=TEXT),
    ]
}


# PortfolioData attribute -> its entity's spec, in PortfolioData's order.
BY_ATTRIBUTE: dict[str, EntitySpec] = {s.attribute: s for s in SPECS.values() if s.attribute is not None}
# The link tables of outputs: (entity, owner column), attached to the owner's record as ``output_ids``.
OUTPUT_LINKS = {"outcomes": ("outcome_output", "outcome_id"), "benefits": ("benefit_output", "benefit_id")}
