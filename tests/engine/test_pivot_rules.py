"""DESIGN.md section 8: applies-from, comparators, not evaluable, ordering, decision in one step."""

from __future__ import annotations

from datetime import date

import pytest

from pmodesk.domain.enums import Action, AppliesFrom, Comparator, DecisionKind, Metric, Stage
from pmodesk.engine.portfolio import compute
from pmodesk.engine.presentation import metrics_json
from pmodesk.engine.rules import decision_from_trigger

from portfolios import D, initiative, portfolio, rule


def _risky(**kw):
    return initiative(risk_likelihood=4, risk_impact=4, approval_date=date(2026, 1, 31), **kw)


def _triggered(data, as_of):
    return metrics_json(compute(data, as_of))["initiatives"][0]["triggered_rules"]


def test_applies_from_calendar_months_after_approval():
    r = rule(metric=Metric.RISK_SCORE, comparator=Comparator.GE, threshold=D(16), months=1, id=1)
    data = portfolio([_risky()], pivot_rules=(r,))
    assert _triggered(data, date(2026, 2, 27)) == []
    assert _triggered(data, date(2026, 2, 28)) == [{"initiative": "I-1", "rule": "R1", "metric": "risk_score",
                                                    "observed": 16, "comparator": ">=", "threshold": 16,
                                                    "action": "review"}]


@pytest.mark.parametrize("comparator, threshold, fires", [
    (Comparator.LT, 16, False), (Comparator.LE, 16, True), (Comparator.GT, 16, False), (Comparator.GE, 16, True),
    (Comparator.LT, 17, True), (Comparator.GT, 15, True)])
def test_comparators(comparator, threshold, fires):
    r = rule(metric=Metric.RISK_SCORE, comparator=comparator, threshold=D(threshold), id=1)
    assert bool(_triggered(portfolio([_risky()], pivot_rules=(r,)), date(2026, 3, 1))) is fires


def test_go_live_anchor_uses_forecast_then_planned_and_missing_anchor_is_not_evaluable():
    r = rule(metric=Metric.RISK_SCORE, comparator=Comparator.GE, threshold=D(1), applies_from=AppliesFrom.GO_LIVE, id=1)
    planned_only = _risky(planned_go_live=date(2026, 3, 1))
    slipped = _risky(planned_go_live=date(2026, 3, 1), forecast_go_live=date(2026, 5, 1))
    assert _triggered(portfolio([planned_only], pivot_rules=(r,)), date(2026, 3, 1))
    assert not _triggered(portfolio([slipped], pivot_rules=(r,)), date(2026, 4, 1))
    out = metrics_json(compute(portfolio([_risky()], pivot_rules=(r,)), date(2026, 4, 1)))["initiatives"][0]
    assert out["triggered_rules"] == [] and out["not_evaluable_rules"] == ["R1"]


def test_metric_that_is_none_does_not_trigger():
    r = rule(metric=Metric.REALISATION_VS_PLAN_PCT, comparator=Comparator.LT, threshold=D(70), id=1)
    out = metrics_json(compute(portfolio([_risky()], pivot_rules=(r,)), date(2026, 4, 1)))["initiatives"][0]
    assert out["triggered_rules"] == [] and out["not_evaluable_rules"] == ["R1"]


def test_only_active_rules_of_active_initiatives():
    r = rule(metric=Metric.RISK_SCORE, comparator=Comparator.GE, threshold=D(1), id=1)
    assert not _triggered(portfolio([_risky(stage=Stage.CLOSED)], pivot_rules=(r,)), date(2026, 4, 1))
    assert not _triggered(portfolio([_risky(stage=Stage.PROPOSED)], pivot_rules=(r,)), date(2026, 4, 1))
    from dataclasses import replace

    assert not _triggered(portfolio([_risky()], pivot_rules=(replace(r, active=False),)), date(2026, 4, 1))


def test_decisions_required_are_ordered_by_severity_then_initiative_then_rule():
    projects = [_risky(code="B", id=1), _risky(code="A", id=2)]
    rules = []
    for n, (initiative_id, code, action) in enumerate([(1, "R2", Action.REVIEW), (1, "R1", Action.TERMINATE),
                                                        (2, "R9", Action.PIVOT), (2, "R3", Action.REVIEW),
                                                        (1, "R5", Action.PAUSE), (2, "R4", Action.ESCALATE),
                                                        (2, "R0", Action.TERMINATE)]):
        rules.append(rule(code, initiative_id, Metric.RISK_SCORE, Comparator.GE, D(1), action, id=n + 1))
    out = metrics_json(compute(portfolio(projects, pivot_rules=tuple(rules)), date(2026, 4, 1)))
    assert [(r["action"], r["initiative"], r["rule"]) for r in out["decisions_required"]] == [
        ("terminate", "A", "R0"), ("terminate", "B", "R1"), ("pause", "B", "R5"), ("pivot", "A", "R9"),
        ("escalate", "A", "R4"), ("review", "A", "R3"), ("review", "B", "R2")]


def test_triggered_rule_becomes_a_decision_in_one_step():
    r = rule(metric=Metric.RISK_SCORE, comparator=Comparator.GE, threshold=D(16), action=Action.PAUSE, id=7)
    result = compute(portfolio([_risky()], pivot_rules=(r,)), date(2026, 4, 1))
    triggered = result.decisions_required[0]
    decision = decision_from_trigger(triggered, date(2026, 4, 2))
    assert decision.kind is DecisionKind.PIVOT_RULE_TRIGGER and decision.rule_id == 7
    assert decision.initiative_id == 1 and decision.raised_on == date(2026, 4, 2)
    assert "R1" in decision.summary and "pause" in decision.summary and decision.decided_on is None


def test_rule_agreed_after_approval_is_flagged():
    late = rule(agreed_on=date(2026, 2, 1), id=1)
    flags = metrics_json(compute(portfolio([_risky()], pivot_rules=(late,)), date(2026, 4, 1)))["initiatives"][0]["flags"]
    assert flags == ["no_objective", "rule_agreed_after_approval"]
    none = metrics_json(compute(portfolio([_risky()]), date(2026, 4, 1)))["initiatives"][0]["flags"]
    assert none == ["no_objective", "no_pivot_rules"]
