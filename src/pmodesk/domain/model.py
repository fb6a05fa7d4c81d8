"""The entities of DESIGN.md section 4 as immutable records.

These are what the engine, the board pack and the UI models consume; the store maps them to and
from the file. Money is ``Decimal`` in major units of the portfolio currency; measure values,
percentages and weights are ``Decimal``; dates are ``datetime.date``. ``id`` is the row id in the
file (``None`` for a record not yet stored); records refer to each other by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from pmodesk.domain.enums import (
    Action,
    AppliesFrom,
    BenefitStatus,
    BusinessCaseStatus,
    Category,
    Comparator,
    DecisionKind,
    DecisionOutcome,
    DeliveryRag,
    Direction,
    Frequency,
    Indicator,
    Metric,
    Stage,
)


@dataclass(frozen=True, slots=True)
class Portfolio:
    name: str
    currency: str
    client: str | None = None
    fiscal_year_start_month: int = 1
    as_of_mode: str = "today"  # 'today' or 'fixed'
    as_of_date: date | None = None
    rag_green_pct: Decimal = Decimal("90")
    rag_amber_pct: Decimal = Decimal("70")
    confidentiality: str = "CONFIDENTIAL"
    risk_weight: Decimal = Decimal("0")
    id: int | None = 1

    def default_as_of(self, today: date) -> date:
        """The as-of date figures are computed for unless the user picks another."""
        if self.as_of_mode == "fixed" and self.as_of_date is not None:
            return self.as_of_date
        return today


@dataclass(frozen=True, slots=True)
class Kpi:
    """The recorded baseline and target of one portfolio metric (a key of DESIGN.md section 13)."""

    metric: str
    baseline: Decimal | None = None
    baseline_date: date | None = None
    target: Decimal | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    code: str
    title: str
    description: str | None = None
    owner: str | None = None
    weight: Decimal = Decimal("1")
    active: bool = True
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Initiative:
    code: str
    name: str
    stage: Stage
    description: str | None = None
    sponsor: str | None = None
    owner: str | None = None
    delivery_rag: DeliveryRag | None = None
    planned_investment: Decimal | None = None
    approval_date: date | None = None
    start_date: date | None = None
    planned_go_live: date | None = None
    forecast_go_live: date | None = None
    tracking_end: date | None = None
    risk_likelihood: int | None = None
    risk_impact: int | None = None
    business_case_strategic: BusinessCaseStatus = BusinessCaseStatus.NOT_STARTED
    business_case_economic: BusinessCaseStatus = BusinessCaseStatus.NOT_STARTED
    business_case_commercial: BusinessCaseStatus = BusinessCaseStatus.NOT_STARTED
    business_case_financial: BusinessCaseStatus = BusinessCaseStatus.NOT_STARTED
    business_case_management: BusinessCaseStatus = BusinessCaseStatus.NOT_STARTED
    id: int | None = None

    @property
    def risk_score(self) -> int | None:
        """Likelihood × impact (1–25); none until both are recorded."""
        if self.risk_likelihood is None or self.risk_impact is None:
            return None
        return self.risk_likelihood * self.risk_impact

    @property
    def go_live(self) -> date | None:
        """The forecast go-live, else the planned one (DESIGN.md sections 8 and 15)."""
        return self.forecast_go_live or self.planned_go_live


@dataclass(frozen=True, slots=True)
class ObjectiveLink:
    initiative_id: int
    objective_id: int
    weight: Decimal | None = None  # a link without a weight has weight 1


@dataclass(frozen=True, slots=True)
class PlannedSpend:
    initiative_id: int
    period_end: date
    amount: Decimal
    id: int | None = None


@dataclass(frozen=True, slots=True)
class CostActual:
    initiative_id: int
    period_end: date
    amount: Decimal
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Output:
    code: str
    initiative_id: int
    title: str
    due: date | None = None
    delivered: date | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    code: str
    initiative_id: int
    title: str
    due: date | None = None
    delivered: date | None = None
    output_ids: tuple[int, ...] = ()
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Benefit:
    code: str
    initiative_id: int
    title: str
    measure: str
    direction: Direction
    target_value: Decimal
    target_date: date
    outcome_id: int | None = None
    category: Category | None = None
    dis_benefit: bool = False
    owner: str | None = None
    unit: str | None = None
    baseline_value: Decimal | None = None
    baseline_date: date | None = None
    annual_value: Decimal | None = None
    attribution_pct: Decimal = Decimal("100")
    confidence_pct: Decimal = Decimal("100")
    frequency: Frequency = Frequency.MONTHLY
    data_source: str | None = None
    indicator: Indicator | None = None
    status: BenefitStatus | None = None
    output_ids: tuple[int, ...] = ()
    id: int | None = None

    @property
    def has_baseline(self) -> bool:
        return self.baseline_value is not None and self.baseline_date is not None


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    benefit_id: int
    date: date
    value: Decimal
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Measurement:
    benefit_id: int
    date: date
    value: Decimal
    source: str | None = None
    note: str | None = None
    entered_at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class PivotRule:
    code: str
    initiative_id: int
    metric: Metric
    comparator: Comparator
    threshold: Decimal
    action: Action
    agreed_on: date
    applies_from: AppliesFrom = AppliesFrom.GO_LIVE
    applies_from_months: int = 0
    agreed_by: str | None = None
    active: bool = True
    id: int | None = None


@dataclass(frozen=True, slots=True)
class PivotRuleChange:
    """One change to a pivot rule made after its initiative's approval, with the reason."""

    rule_id: int
    changed_at: datetime
    field: str
    old_value: str | None
    new_value: str | None
    reason: str
    changed_by: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    initiative_id: int
    kind: DecisionKind
    raised_on: date
    summary: str
    escalated: bool = False
    decided_on: date | None = None
    outcome: DecisionOutcome | None = None
    decided_by: str | None = None
    rationale: str | None = None
    rule_id: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class ScenarioOverride:
    scenario_id: int
    initiative_id: int
    stop_from: date | None = None
    pause_from: date | None = None
    pause_to: date | None = None
    budget_change: Decimal | None = None
    fund_from: date | None = None  # a proposed initiative counts as funded (approved) from this date
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Commentary:
    """The PMO's own words for a meeting: on one initiative, or on the whole portfolio (None)."""

    meeting_date: date
    text: str
    initiative_id: int | None = None
    author: str | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    action: str  # insert, update, delete
    entity: str
    entity_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class PortfolioData:
    """A whole portfolio, loaded once; what the value engine computes from."""

    portfolio: Portfolio
    kpis: tuple[Kpi, ...] = ()
    objectives: tuple[Objective, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    objective_links: tuple[ObjectiveLink, ...] = ()
    planned_spend: tuple[PlannedSpend, ...] = ()
    cost_actuals: tuple[CostActual, ...] = ()
    outputs: tuple[Output, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    benefits: tuple[Benefit, ...] = ()
    trajectory: tuple[TrajectoryPoint, ...] = ()
    measurements: tuple[Measurement, ...] = ()
    pivot_rules: tuple[PivotRule, ...] = ()
    rule_changes: tuple[PivotRuleChange, ...] = ()
    decisions: tuple[Decision, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    scenario_overrides: tuple[ScenarioOverride, ...] = ()
    commentary: tuple[Commentary, ...] = ()
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def initiative(self, initiative_id: int) -> Initiative:
        by_id = self._index.get("initiative")
        if by_id is None:
            by_id = self._index["initiative"] = {i.id: i for i in self.initiatives}
        return by_id[initiative_id]
