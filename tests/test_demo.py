"""The demo portfolio is realistic enough to show every part of the product."""

from __future__ import annotations

from collections import Counter, defaultdict

from pmodesk.demo import DEMO_AS_OF
from pmodesk.domain.enums import Category, Stage
from pmodesk.store import Store


def test_demo_covers_what_a_board_would_see(demo_file):
    with Store.open(demo_file, read_only=True) as store:
        data = store.load()
    assert data.portfolio.client and data.portfolio.currency == "GBP"
    assert len(data.initiatives) >= 8
    assert {i.stage for i in data.initiatives} == set(Stage)
    assert {b.category for b in data.benefits} >= set(Category)
    assert any(b.dis_benefit for b in data.benefits)
    assert len(data.objectives) >= 4 and any(not o.active for o in data.objectives)
    assert data.trajectory and data.planned_spend and data.cost_actuals and data.kpis

    by_benefit = defaultdict(list)
    for m in data.measurements:
        by_benefit[m.benefit_id].append(m.date)
    longest = max(by_benefit.values(), key=len)
    assert len(longest) >= 24 and (max(longest) - min(longest)).days >= 700  # two years of monthly actuals
    assert any((DEMO_AS_OF - max(d)).days > 180 for d in by_benefit.values())  # one stale benefit

    approval = {i.id: i.approval_date for i in data.initiatives}
    assert any(approval[r.initiative_id] and r.agreed_on > approval[r.initiative_id] for r in data.pivot_rules)
    assert data.rule_changes
    quarters = {(d.raised_on.year, (d.raised_on.month - 1) // 3) for d in data.decisions}
    assert len(quarters) >= 4
    assert any(d.escalated for d in data.decisions) and any(d.decided_on is None for d in data.decisions)
    assert any(d.rule_id for d in data.decisions)
    assert len(data.scenarios) == 1 and data.scenario_overrides
    assert Counter(m.benefit_id for m in data.measurements).most_common(1)[0][1] >= 24
