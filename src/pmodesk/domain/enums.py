"""Enumerations of DESIGN.md sections 4, 8 and 15. Values are the words stored in the file."""

from enum import StrEnum


class Stage(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    DELIVERY = "delivery"
    TRANSITION = "transition"
    SUSTAINMENT = "sustainment"
    CLOSED = "closed"
    PAUSED = "paused"
    TERMINATED = "terminated"

    @property
    def funded(self) -> bool:
        return self is not Stage.PROPOSED

    @property
    def active(self) -> bool:
        return self.funded and self not in (Stage.CLOSED, Stage.TERMINATED)


class DeliveryRag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class BusinessCaseStatus(StrEnum):
    NOT_STARTED = "not started"
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class Category(StrEnum):
    CASH_RELEASING = "cash-releasing"
    NON_CASH_RELEASING = "non-cash-releasing"
    QUANTIFIABLE = "quantifiable"
    QUALITATIVE = "qualitative"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"

    @property
    def sign(self) -> int:
        return 1 if self is Direction.HIGHER else -1


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half-yearly"
    YEARLY = "yearly"
    AD_HOC = "ad hoc"

    @property
    def interval_days(self) -> int | None:
        """The measurement interval of DESIGN.md section 7 (None: never stale)."""
        return _INTERVAL_DAYS[self]


_INTERVAL_DAYS = {
    Frequency.WEEKLY: 7,
    Frequency.MONTHLY: 30,
    Frequency.QUARTERLY: 91,
    Frequency.HALF_YEARLY: 182,
    Frequency.YEARLY: 365,
    Frequency.AD_HOC: None,
}


class Indicator(StrEnum):
    LEADING = "leading"
    LAGGING = "lagging"


class BenefitStatus(StrEnum):
    IDENTIFIED = "identified"
    VALIDATED = "validated"
    REALISING = "realising"
    REALISED = "realised"
    AT_RISK = "at-risk"
    LOST = "lost"


class Metric(StrEnum):
    """Metrics a pivot rule can use (DESIGN.md section 8)."""

    REALISATION_VS_PLAN_PCT = "realisation_vs_plan_pct"
    BENEFITS_REALISED_PCT = "benefits_realised_pct"
    FORECAST_ATTAINMENT_PCT = "forecast_attainment_pct"
    COST_VARIANCE_PCT = "cost_variance_pct"
    GO_LIVE_SLIP_DAYS = "go_live_slip_days"
    MONTHS_WITHOUT_MEASUREMENT = "months_without_measurement"
    RISK_SCORE = "risk_score"


class Comparator(StrEnum):
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="


class AppliesFrom(StrEnum):
    APPROVAL = "approval"
    GO_LIVE = "go_live"


class Action(StrEnum):
    """A pivot rule's action; declared from most to least severe (the decisions-required order)."""

    TERMINATE = "terminate"
    PAUSE = "pause"
    PIVOT = "pivot"
    ESCALATE = "escalate"
    REVIEW = "review"

    @property
    def severity_rank(self) -> int:
        return list(Action).index(self)


class DecisionKind(StrEnum):
    GATE_REVIEW = "gate review"
    ESCALATION = "escalation"
    CHANGE_REQUEST = "change request"
    PIVOT_RULE_TRIGGER = "pivot rule trigger"


class DecisionOutcome(StrEnum):
    CONTINUE = "continue"
    PIVOT = "pivot"
    PAUSE = "pause"
    TERMINATE = "terminate"
    REALLOCATE = "reallocate"
    APPROVE = "approve"
    REJECT = "reject"
