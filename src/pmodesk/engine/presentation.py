"""The JSON shape of ``pmodesk metrics --json`` (DESIGN.md section 13), built from engine results.

Money leaves the engine here: rounded half-even to the currency's minor unit, as decimal strings.
The UI and board pack format from the same results with the same rounding (``round_money``).
"""

from __future__ import annotations

from decimal import Decimal

from pmodesk.domain.money import minor_unit, money_text, round_money
from pmodesk.engine.benefits import FORECAST_METHOD, Forecast
from pmodesk.engine.portfolio import PERCENT_KEYS, BenefitResult, InitiativeResult, PortfolioMetrics, PortfolioResult
from pmodesk.engine.travel import STEADY_WITHIN, Travel, travel  # noqa: F401 - named here too, as always

_DIGITS: dict[str, int] = {}


def money(value: float | Decimal | None, currency: str) -> str | None:
    if value is None:
        return None
    if type(value) is float and -1e15 < value < 1e15:
        # Python formats a float correctly rounded from its exact binary value, half-even on exact
        # ties: the same text as round_money's Decimal quantize (a test holds them equal), ten
        # times faster. A negative zero prints as zero, as round_money makes it.
        try:
            digits = _DIGITS[currency]
        except KeyError:
            digits = _DIGITS[currency] = minor_unit(currency)
        text = f"{value:.{digits}f}"
        return text[1:] if text[0] == "-" and not text.strip("-0.") else text
    return money_text(round_money(value, currency))


def forecast_json(forecast: Forecast | None) -> dict | None:
    if forecast is None:
        return None
    return {"method": FORECAST_METHOD, "n": forecast.n, "attainment_pct": forecast.attainment_pct,
            "interval_80_pct": [100.0 * forecast.interval[0], 100.0 * forecast.interval[1]],
            "probability_of_target": forecast.probability_of_target}


def _portfolio_json(metrics: PortfolioMetrics, previous: PortfolioMetrics, currency: str) -> dict:
    out: dict = dict(metrics.percentages())
    out.update({
        "realised_value": money(metrics.realised_value, currency),
        "planned_value": money(metrics.planned_value, currency),
        "planned_investment": money(metrics.planned_investment, currency),
        "actual_cost": money(metrics.actual_cost, currency),
        "previous_quarter": previous.percentages(),
        "quarter_start": metrics.quarter[0].isoformat(),
        "previous_quarter_end": previous.as_of.isoformat(),
    })
    return out


def _initiative_json(result: InitiativeResult, currency: str) -> dict:
    return {
        "code": result.initiative.code, "stage": result.initiative.stage.value, "funded": result.funded,
        "active": result.active, "realised_value": money(result.realised_value, currency),
        "planned_value": money(result.planned_value, currency),
        "realisation_vs_plan_pct": result.realisation_vs_plan_pct,
        "benefits_realised_pct": result.benefits_realised_pct, "value_rag": result.value_rag,
        "aligned": result.aligned, "cost_variance_pct": result.cost_variance_pct,
        "go_live_slip_days": result.go_live_slip_days,
        "months_without_measurement": result.months_without_measurement,
        "forecast_attainment_pct": result.forecast_attainment_pct, "risk_score": result.risk_score,
        "remaining_cost": money(result.remaining_cost, currency),
        "expected_remaining_value": money(result.expected_remaining_value, currency),
        "forecast_value": money(result.forecast_value, currency),
        "actual_cost": money(result.actual_cost, currency),
        "flags": list(result.flags),
        "triggered_rules": [r.as_json() for r in result.triggered_rules],
        "not_evaluable_rules": [r.rule.code for r in result.rule_results if not r.evaluable],
    }


def _benefit_json(result: BenefitResult, currency: str) -> dict:
    return {
        "code": result.benefit.code, "initiative": result.initiative.code,
        "planned_measure": result.planned_measure, "actual_measure": result.actual_measure,
        "improvement_fraction": result.improvement_fraction,
        "realisation_vs_plan_pct": result.realisation_vs_plan_pct,
        "realised_value": money(result.realised_value, currency),
        "planned_value": money(result.planned_value, currency),
        "forecast": forecast_json(result.forecast), "flags": list(result.flags),
    }


def metrics_json(result: PortfolioResult) -> dict:
    currency = result.currency
    return {
        "as_of": result.as_of.isoformat(), "currency": currency,
        "portfolio": _portfolio_json(result.metrics, result.previous_quarter, currency),
        "initiatives": [_initiative_json(i, currency) for i in result.initiatives],
        "benefits": [_benefit_json(b, currency) for b in result.benefits],
        "decisions_required": [r.as_json() for r in result.decisions_required],
    }


__all__ = ["metrics_json", "money", "forecast_json", "PERCENT_KEYS", "travel", "Travel"]
