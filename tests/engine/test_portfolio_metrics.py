"""DESIGN.md section 6: populations, quarters, zero denominators, value RAG."""

from __future__ import annotations

from datetime import date

import pytest

from pmodesk.domain import model
from pmodesk.domain.calendar import add_months, fiscal_quarter, previous_fiscal_quarter
from pmodesk.domain.enums import DecisionKind, Stage
from pmodesk.engine.portfolio import compute
from pmodesk.engine.presentation import metrics_json

from portfolios import D, benefit, initiative, measurements, portfolio


def test_april_fiscal_quarters():
    assert fiscal_quarter(date(2026, 4, 1), 4) == (date(2026, 4, 1), date(2026, 6, 30))
    assert fiscal_quarter(date(2026, 3, 31), 4) == (date(2026, 1, 1), date(2026, 3, 31))
    assert fiscal_quarter(date(2026, 12, 31), 4) == (date(2026, 10, 1), date(2026, 12, 31))
    assert previous_fiscal_quarter(date(2026, 4, 15), 4) == (date(2026, 1, 1), date(2026, 3, 31))
    assert fiscal_quarter(date(2026, 2, 14), 11) == (date(2026, 2, 1), date(2026, 4, 30))
    assert previous_fiscal_quarter(date(2026, 1, 15), 1) == (date(2025, 10, 1), date(2025, 12, 31))


def test_calendar_months_clamp_to_the_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 8, 31), 13) == date(2027, 9, 30)


def _money_portfolio(stage_two=Stage.TERMINATED):
    projects = [initiative("A", Stage.DELIVERY, 1, planned_investment=D(100000)),
                initiative("B", stage_two, 2, planned_investment=D(500000)),
                initiative("P", Stage.PROPOSED, 3, planned_investment=D(900000))]
    benefits = [benefit("A-1", 1, 1), benefit("B-1", 2, 2), benefit("P-1", 3, 3)]
    rows = measurements(1, (date(2026, 1, 1), "7")) + tuple(
        model.Measurement(b, date(2026, 1, 1), D("7"), id=10 + b) for b in (2, 3))
    costs = (model.CostActual(1, date(2026, 1, 31), D(40000), id=1),
             model.CostActual(2, date(2026, 1, 31), D(60000), id=2),
             model.CostActual(2, date(2026, 5, 31), D(99999), id=3),  # after D: not yet spent
             model.CostActual(3, date(2026, 1, 31), D(1000), id=4))
    return portfolio(projects, benefits, rows, cost_actuals=costs)


def test_terminated_initiative_counts_its_actual_cost_not_its_plan():
    out = metrics_json(compute(_money_portfolio(), date(2026, 4, 1)))
    p = out["portfolio"]
    realised = 2 * 14794.52  # A and B; P is proposed, so not funded
    assert p["realised_value"] == "29589.04"
    assert p["benefits_realised_pct"] == pytest.approx(100 * realised / (100000 + 60000), rel=1e-6)
    assert p["portfolio_roi_pct"] == pytest.approx(100 * (realised - 100000) / 100000, rel=1e-6)
    assert p["planned_investment"] == "600000.00" and p["actual_cost"] == "100000.00"
    b = next(i for i in out["initiatives"] if i["code"] == "B")
    assert b["benefits_realised_pct"] == pytest.approx(100 * 14794.52 / 60000, rel=1e-6)
    assert b["remaining_cost"] == "0.00" and b["expected_remaining_value"] == "0.00"
    proposed = next(i for i in out["initiatives"] if i["code"] == "P")
    assert proposed["funded"] is False and proposed["realised_value"] == "14794.52"  # computed all the same


def test_zero_denominators_are_none_not_zero():
    out = metrics_json(compute(portfolio([initiative("P", Stage.PROPOSED)]), date(2026, 4, 1)))
    p = out["portfolio"]
    for key in ("benefits_realised_pct", "realisation_vs_plan_pct", "strategic_alignment_pct",
                "strategic_alignment_by_investment_pct", "decision_cycle_time_median_days",
                "escalation_rate_pct", "portfolio_roi_pct", "forecast_portfolio_roi_pct"):
        assert p[key] is None, key
    assert out["initiatives"][0]["cost_variance_pct"] is None


def test_alignment_counts_active_initiatives_and_active_objectives_with_weight_above_zero():
    objectives = (model.Objective("O1", "Live", id=1), model.Objective("O2", "Retired", active=False, id=2))
    projects = [initiative("A", id=1, planned_investment=D(300)), initiative("B", id=2, planned_investment=D(100)),
                initiative("C", id=3), initiative("D", id=4, planned_investment=D(600)),
                initiative("X", Stage.CLOSED, 5, planned_investment=D(10**6))]
    links = (model.ObjectiveLink(1, 1), model.ObjectiveLink(2, 2), model.ObjectiveLink(3, 1, D(0)),
             model.ObjectiveLink(4, 1, D("0.5")))
    out = metrics_json(compute(portfolio(projects, objectives=objectives, objective_links=links), date(2026, 4, 1)))
    p = out["portfolio"]
    assert p["strategic_alignment_pct"] == pytest.approx(50.0)  # A and D of A, B, C, D
    assert p["strategic_alignment_by_investment_pct"] == pytest.approx(90.0)  # 900 of 1000
    flags = {i["code"]: i["flags"] for i in out["initiatives"]}
    assert "no_objective" in flags["B"] and "no_objective" in flags["C"] and "no_objective" not in flags["A"]
    assert flags["X"] == []  # closed: initiative flags apply to active initiatives only


def test_decision_cycle_time_and_escalations_use_the_fiscal_quarter():
    projects = [initiative("A", id=1), initiative("B", id=2), initiative("Z", Stage.TERMINATED, 3)]

    def decision(n, initiative_id, raised, decided, escalated=False):
        return model.Decision(initiative_id, DecisionKind.ESCALATION, raised, "s", escalated, decided, id=n)

    decisions = (
        decision(1, 1, date(2026, 3, 20), date(2026, 4, 9), True),  # decided in Q1 (April FY), raised in Q4
        decision(2, 2, date(2026, 4, 2), date(2026, 4, 12), True),  # both in Q1
        decision(3, 1, date(2026, 4, 20), date(2026, 5, 30)),  # decided after D: not counted
        decision(4, 3, date(2026, 4, 3), None, True),  # terminated initiative: not active
        decision(5, 2, date(2026, 1, 5), date(2026, 2, 4), True),  # previous quarter
    )
    settings = model.Portfolio(name="T", currency="GBP", fiscal_year_start_month=4)
    out = metrics_json(compute(portfolio(projects, decisions=decisions, settings=settings), date(2026, 5, 1)))
    p = out["portfolio"]
    assert p["decision_cycle_time_median_days"] == pytest.approx(15.0)  # 20 and 10 days
    assert p["decision_cycle_time_mean_days"] == pytest.approx(15.0)
    assert p["escalation_rate_pct"] == pytest.approx(50.0)  # B only (A's escalation was raised in Q4)
    prev = p["previous_quarter"]
    assert prev["decision_cycle_time_median_days"] == pytest.approx(30.0)
    assert prev["escalation_rate_pct"] == pytest.approx(100.0)  # A (20 Mar) and B (5 Jan), whole quarter
    assert p["previous_quarter_end"] == "2026-03-31"


def test_value_rag_uses_portfolio_thresholds_on_the_unrounded_percentage():
    b0 = date(2026, 1, 1)
    settings = model.Portfolio(name="T", currency="GBP", rag_green_pct=D(80), rag_amber_pct=D(50))

    def rag_for(value):
        data = portfolio([initiative()], [benefit(baseline=D(0), target=D(100), direction="higher",
                                                   target_date=date(2026, 1, 11))],
                         measurements(1, (b0, value)), settings=settings)
        return metrics_json(compute(data, date(2026, 1, 11)))["initiatives"][0]["value_rag"]

    # Planned f integrates to 5 fraction-days over 10 days; actual f constant: ratio = 2·f.
    assert rag_for("40") == "green"  # 80% exactly
    assert rag_for("39.99") == "amber"
    assert rag_for("25") == "amber"
    assert rag_for("24.99") == "red"


def test_value_rag_without_money_is_the_mean_of_measure_realisation_excluding_dis_benefits():
    b0 = date(2026, 1, 1)
    common = dict(baseline=D(0), target=D(100), direction="higher", target_date=date(2026, 4, 11), annual_value=None)
    benefits = [benefit("B-1", id=1, **common), benefit("B-2", id=2, **common),
                benefit("B-3", id=3, dis_benefit=True, **{**common, "direction": "lower"})]
    rows = (model.Measurement(1, b0, D(50), id=1), model.Measurement(2, b0, D(20), id=2),
            model.Measurement(3, b0, D(100), id=3))
    out = metrics_json(compute(portfolio([initiative()], benefits, rows), date(2026, 2, 20)))
    # P(D) = 50 after 50 of 100 days: ratios 100% and 40%, mean 70% -> amber.
    assert out["initiatives"][0]["realisation_vs_plan_pct"] is None
    assert out["initiatives"][0]["value_rag"] == "amber"


def test_cost_variance_and_slip():
    project = initiative(planned_go_live=date(2026, 6, 30), forecast_go_live=date(2026, 8, 29))
    spend = (model.PlannedSpend(1, date(2026, 1, 31), D(1000), id=1), model.PlannedSpend(1, date(2026, 2, 28), D(1000), id=2),
             model.PlannedSpend(1, date(2026, 3, 31), D(500), id=3))
    costs = (model.CostActual(1, date(2026, 1, 31), D(1500), id=1), model.CostActual(1, date(2026, 2, 28), D(900), id=2))
    out = metrics_json(compute(portfolio([project], planned_spend=spend, cost_actuals=costs), date(2026, 2, 28)))
    i = out["initiatives"][0]
    assert i["cost_variance_pct"] == pytest.approx(20.0)
    assert i["go_live_slip_days"] == 60
    assert i["remaining_cost"] == "500.00"
    no_forecast = initiative(planned_go_live=date(2026, 6, 30))
    assert metrics_json(compute(portfolio([no_forecast]), date(2026, 1, 1)))["initiatives"][0]["go_live_slip_days"] == 0
    assert metrics_json(compute(portfolio([initiative()]), date(2026, 1, 1)))["initiatives"][0]["go_live_slip_days"] is None


def test_expected_remaining_value_and_forecast_roi():
    b0 = date(2026, 1, 1)
    project = initiative(planned_go_live=b0, planned_investment=D(1000))  # tracking ends 2027-01-01
    steady = benefit(baseline=D(0), target=D(100), direction="higher", target_date=b0.replace(day=2),
                     annual_value=D(36500), confidence_pct=D(50))
    rows = measurements(1, (b0, "100"))  # at target from day one
    costs = (model.CostActual(1, date(2026, 1, 31), D(1000), id=1),)
    spend = (model.PlannedSpend(1, date(2026, 12, 31), D(2000), id=1),)
    out = metrics_json(compute(portfolio([project], [steady], rows, cost_actuals=costs, planned_spend=spend),
                               date(2026, 7, 1)))
    i = out["initiatives"][0]
    days_left = (date(2027, 1, 1) - date(2026, 7, 1)).days
    assert i["expected_remaining_value"] == f"{100 * days_left * 0.5:.2f}"
    # No forecast (one measurement): the latest actual is carried forward to the end of tracking.
    assert i["forecast_value"] == f"{100 * 365:.2f}"
    assert out["portfolio"]["forecast_portfolio_roi_pct"] == pytest.approx(100 * (36500 - 3000) / 3000)


def test_demo_portfolio_figures_are_stable(demo_file):
    from pmodesk.store import Store

    with Store.open(demo_file, read_only=True) as store:
        data = store.load()
    out = metrics_json(compute(data, date(2026, 10, 31)))
    codes = [(r["action"], r["initiative"], r["rule"]) for r in out["decisions_required"]]
    assert codes == sorted(codes, key=lambda c: (["terminate", "pause", "pivot", "escalate", "review"].index(c[0]),
                                                 c[1], c[2]))
    assert ("terminate", "PAY-06", "R1") in codes
    flags = {b["code"]: b["flags"] for b in out["benefits"]}
    assert "erosion" in flags["DIG-01-B3"] and "stale" in flags["PAY-06-B1"]
