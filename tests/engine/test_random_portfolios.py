"""Random portfolios through import, every figure at several dates and the optimiser: nothing
crashes, and every JSON figure is finite (no NaN or infinity ever reaches a board)."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

import pytest

from pmodesk.engine.optimiser import candidates, optimise
from pmodesk.engine.portfolio import compute
from pmodesk.engine.presentation import metrics_json
from pmodesk.interchange.document import InvalidInput, parse
from pmodesk.interchange.json_format import from_object


def rdate(rng, lo=2024, hi=2028):
    return (dt.date(lo,1,1)+dt.timedelta(days=rng.randrange(0,(hi-lo)*365))).isoformat()

def portfolio(rng):
    stages=["proposed","approved","delivery","transition","sustainment","closed","paused","terminated"]
    inits=[]; bens=[]; meas=[]; traj=[]; rules=[]; decs=[]; spend=[]; costs=[]
    objs=[{"code":f"O{k}","title":"t","active":rng.random()<0.8,"weight":rng.choice([0,1,"0.5"])} for k in range(3)]
    for i in range(rng.randrange(1,6)):
        code=f"I{i}"
        d=dict(code=code,name="n",stage=rng.choice(stages))
        if rng.random()<0.8: d["planned_investment"]=str(rng.randrange(0,10**7)/100)
        for f in ["approval_date","planned_go_live","forecast_go_live","tracking_end"]:
            if rng.random()<0.6: d[f]=rdate(rng)
        if rng.random()<0.7: d["risk_likelihood"]=rng.randint(1,5); d["risk_impact"]=rng.randint(1,5)
        d["objectives"]=[{"code":f"O{rng.randrange(3)}","weight":rng.choice([None,0,1,2])}] if rng.random()<0.7 else []
        inits.append(d)
        for k in range(rng.randrange(0,4)):
            spend.append({"initiative":code,"period_end":rdate(rng),"amount":str(rng.randrange(-100,10**6))})
            costs.append({"initiative":code,"period_end":rdate(rng),"amount":str(rng.randrange(0,10**6))})
        for b in range(rng.randrange(0,4)):
            bcode=f"{code}B{b}"
            direction=rng.choice(["higher","lower"])
            B=rng.randrange(-50,50); delta=rng.randrange(1,100)
            dis=rng.random()<0.2
            better = (direction=="higher") != dis
            T = B+delta if better else B-delta
            bd=dt.date(2024,1,1)+dt.timedelta(days=rng.randrange(0,900))
            td=bd+dt.timedelta(days=rng.randrange(1,900))
            bb=dict(code=bcode,initiative=code,title="t",measure="m",direction=direction,target_value=T,target_date=td.isoformat(),dis_benefit=dis,
                    frequency=rng.choice(["weekly","monthly","quarterly","half-yearly","yearly","ad hoc"]))
            if rng.random()<0.9: bb["baseline_value"]=B; bb["baseline_date"]=bd.isoformat()
            if rng.random()<0.7: bb["annual_value"]=str(rng.randrange(0,10**6))
            if rng.random()<0.5: bb["attribution_pct"]=rng.randrange(0,101)
            if rng.random()<0.5: bb["confidence_pct"]=rng.randrange(0,101)
            if rng.random()<0.7: bb["owner"]="o"
            bens.append(bb)
            used=set()
            for m in range(rng.randrange(0,15)):
                md=(bd+dt.timedelta(days=rng.randrange(-100,1000))).isoformat()
                if md in used: continue
                used.add(md); meas.append({"benefit":bcode,"date":md,"value":str(rng.randrange(-100,200))})
            tused=set()
            for t in range(rng.randrange(0,3)):
                tdd=(bd+dt.timedelta(days=rng.randrange(1,1000))).isoformat()
                if tdd in tused: continue
                tused.add(tdd); traj.append({"benefit":bcode,"date":tdd,"value":rng.randrange(-100,200)})
        for r in range(rng.randrange(0,3)):
            rules.append(dict(code=f"R{r}",initiative=code,metric=rng.choice(["realisation_vs_plan_pct","benefits_realised_pct","forecast_attainment_pct","cost_variance_pct","go_live_slip_days","months_without_measurement","risk_score"]),
                comparator=rng.choice(["<","<=",">",">="]),threshold=rng.randrange(-50,150),action=rng.choice(["review","escalate","pivot","pause","terminate"]),
                agreed_on=rdate(rng),applies_from=rng.choice(["approval","go_live"]),applies_from_months=rng.randrange(0,13),active=rng.random()<0.9))
        for k in range(rng.randrange(0,3)):
            r=rdate(rng); dd=(dt.date.fromisoformat(r)+dt.timedelta(days=rng.randrange(0,90))).isoformat() if rng.random()<0.7 else None
            decs.append(dict(initiative=code,kind="escalation",raised_on=r,summary="s",escalated=rng.random()<0.5,decided_on=dd,outcome="continue" if dd else None))
    return {"portfolio":{"name":"F","currency":rng.choice(["GBP","JPY","KWD"]),"fiscal_year_start_month":rng.randint(1,12)},
            "objectives":objs,"initiatives":inits,"benefits":bens,"measurements":meas,"trajectory":traj,"pivot_rules":rules,"decisions":decs,
            "planned_spend":spend,"cost_actuals":costs}



@pytest.mark.parametrize("seed", range(4))
def test_random_portfolios_compute_cleanly(seed):
    rng = random.Random(seed)
    computed = 0
    for _ in range(40):
        document = portfolio(rng)
        try:
            data, _ = parse(from_object(json.loads(json.dumps(document))))
        except InvalidInput as error:
            assert all(": " in e for e in error.errors)
            continue
        for as_of in (dt.date(2023, 6, 1), dt.date(2025, 3, 31), dt.date(2026, 12, 31), dt.date(2030, 1, 1)):
            result = compute(data, as_of)
            json.dumps(metrics_json(result), allow_nan=False)
            choice = optimise(candidates(list(result.initiatives), data.portfolio.currency, Decimal("0.5")), 10**8)
            assert choice.cost <= 10**8
        computed += 1
    assert computed >= 10
