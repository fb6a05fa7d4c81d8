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
# The records (``pmodesk.domain.model``) are imported when first asked for: the enumerations alone are
# light, and the window shows a large file's cached figures with them before any record is made.
_MODEL = (
    "AuditEntry",
    "Benefit",
    "Commentary",
    "CostActual",
    "Decision",
    "Initiative",
    "Kpi",
    "Measurement",
    "Objective",
    "ObjectiveLink",
    "Outcome",
    "Output",
    "PivotRule",
    "PivotRuleChange",
    "PlannedSpend",
    "Portfolio",
    "PortfolioData",
    "Scenario",
    "ScenarioOverride",
    "TrajectoryPoint",
)


def __getattr__(name: str):
    if name in _MODEL:
        from pmodesk.domain import model

        return getattr(model, name)
    raise AttributeError(f"module 'pmodesk.domain' has no attribute {name!r}")


__all__ = [name for name in dir() if not name.startswith("_")] + list(_MODEL)
