"""Small literal portfolios for engine tests, built like the worked examples of DESIGN.md."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pmodesk.domain import model
from pmodesk.domain.enums import Action, AppliesFrom, Comparator, Direction, Frequency, Metric, Stage

D = Decimal


def initiative(code="I-1", stage=Stage.DELIVERY, id=1, **kw) -> model.Initiative:
    return model.Initiative(code, kw.pop("name", f"Initiative {code}"), stage, id=id, **kw)


def benefit(code="B-1", initiative_id=1, id=1, baseline=D(10), target=D(4), baseline_date=date(2026, 1, 1),
            target_date=date(2027, 1, 1), direction=Direction.LOWER, annual_value=D(120000), **kw) -> model.Benefit:
    return model.Benefit(code, initiative_id, kw.pop("title", code), "measure", direction, target, target_date,
                         baseline_value=baseline, baseline_date=baseline_date, annual_value=annual_value,
                         owner=kw.pop("owner", "Owner"), id=id, **kw)


def measurements(benefit_id: int, *rows: tuple[date, str]) -> tuple[model.Measurement, ...]:
    return tuple(model.Measurement(benefit_id, d, D(v), id=n) for n, (d, v) in enumerate(rows, start=1))


def portfolio(initiatives=(), benefits=(), measurements=(), trajectory=(), **kw) -> model.PortfolioData:
    return model.PortfolioData(
        portfolio=kw.pop("settings", model.Portfolio(name="Test", currency=kw.pop("currency", "GBP"))),
        initiatives=tuple(initiatives), benefits=tuple(benefits), measurements=tuple(measurements),
        trajectory=tuple(trajectory), **kw)


def rule(code="R1", initiative_id=1, metric=Metric.REALISATION_VS_PLAN_PCT, comparator=Comparator.LT,
         threshold=D(70), action=Action.REVIEW, agreed_on=date(2025, 12, 1), applies_from=AppliesFrom.APPROVAL,
         months=0, id=None) -> model.PivotRule:
    return model.PivotRule(code, initiative_id, metric, comparator, threshold, action, agreed_on, applies_from,
                           months, id=id)


__all__ = ["D", "Frequency", "initiative", "benefit", "measurements", "portfolio", "rule"]
