"""The vocabulary of DESIGN.md sections 2 and 4 as frozen dataclasses and enumerations."""

from pmodesk.domain.enums import (
    Action,
    AppliesFrom,
    BusinessCaseStatus,
    Category,
    Comparator,
    DecisionKind,
    DecisionOutcome,
    DeliveryRag,
    Direction,
    Frequency,
    Indicator,
    BenefitStatus,
    Metric,
    Stage,
)
from pmodesk.domain.model import (
    AuditEntry,
    Benefit,
    Commentary,
    CostActual,
    Decision,
    Initiative,
    Kpi,
    Measurement,
    Objective,
    ObjectiveLink,
    Outcome,
    Output,
    PivotRule,
    PivotRuleChange,
    PlannedSpend,
    Portfolio,
    PortfolioData,
    Scenario,
    ScenarioOverride,
    TrajectoryPoint,
)

__all__ = [name for name in dir() if not name.startswith("_")]
