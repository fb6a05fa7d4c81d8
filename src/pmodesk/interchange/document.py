"""The interchange document (DESIGN.md section 12) ⇄ a whole portfolio of domain records.

Readers (JSON, workbook) turn their input into :class:`RawDocument` rows in the flat, sheet-like
form; :func:`parse` checks every row and reference and builds a :class:`PortfolioData` with fresh
ids, or raises :class:`InvalidInput` listing every problem. :func:`to_document` goes the other way
for export. One validator serves both formats.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pmodesk.domain import model, validation
from pmodesk.domain.enums import (
    Action, AppliesFrom, BenefitStatus, BusinessCaseStatus, Category, Comparator, DecisionKind, DecisionOutcome,
    DeliveryRag, Direction, Frequency, Indicator, Metric, Stage,
)
from pmodesk.interchange.rows import Problems, Row

FORMAT = "pmodesk-portfolio"
VERSION = 1
LISTS = ("kpis", "objectives", "initiatives", "initiative_objectives", "planned_spend", "cost_actuals", "outputs",
         "outcomes", "outcome_outputs", "benefits", "benefit_outputs", "trajectory", "measurements", "pivot_rules",
         "decisions", "scenarios", "scenario_overrides", "commentary")
BUSINESS_CASES = ("strategic", "economic", "commercial", "financial", "management")
KPI_METRICS = ("benefits_realised_pct", "realisation_vs_plan_pct", "strategic_alignment_pct",
               "strategic_alignment_by_investment_pct", "decision_cycle_time_median_days",
               "decision_cycle_time_mean_days", "escalation_rate_pct", "portfolio_roi_pct",
               "forecast_portfolio_roi_pct", "realised_value", "planned_value", "planned_investment", "actual_cost")
HUNDRED = Decimal(100)


class InvalidInput(Exception):
    """The input cannot be imported; ``errors`` lists every problem found (exit 4)."""

    exit_code = 4

    def __init__(self, errors: list[str], warnings: list[str] | None = None):
        from pmodesk.interchange.rows import safe_text

        errors = [safe_text(e) for e in errors]
        super().__init__(errors[0] if errors else "invalid input")
        self.errors = errors
        self.warnings = [safe_text(w) for w in warnings or []]

    def report(self) -> list[str]:
        """Every problem, the same problem on many rows grouped into one line."""
        from pmodesk.interchange.rows import grouped

        return grouped(self.errors)


def read_head(path: Path, limit: int, size: int = 4096) -> bytes:
    """The first bytes of an input file, after refusing an empty or oversized one (never read whole)."""
    total = path.stat().st_size
    if total == 0:
        raise InvalidInput([f"{path.name}: the file is empty"])
    if total > limit:
        raise InvalidInput([f"{path.name}: the file is {total // 2**20} MB, more than a portfolio can be "
                            f"({limit // 2**20} MB)"])
    with open(path, "rb") as handle:
        return handle.read(size)


@dataclass
class RawDocument:
    portfolio: Row | None
    lists: dict[str, list[Row]] = field(default_factory=lambda: {name: [] for name in LISTS})
    problems: Problems = field(default_factory=Problems)


def parse(raw: RawDocument) -> tuple[model.PortfolioData, list[str]]:
    """Check every row and reference; return the portfolio and the warnings, or raise InvalidInput."""
    p = raw.problems
    if raw.portfolio is None:
        p.errors.append("portfolio, 1, name: the portfolio is missing")
        raise InvalidInput(p.errors, p.warnings)
    portfolio, currency = _portfolio(raw.portfolio)
    L = raw.lists

    kpis, seen_metrics = [], set()
    for n, row in enumerate(L["kpis"], 1):
        metric = row.text("metric", required=True)
        if metric is not None and metric not in KPI_METRICS:
            row.error("metric", f"{metric!r} is not a portfolio metric (one of: {', '.join(KPI_METRICS)})")
        elif metric is not None and metric in seen_metrics:
            row.error("metric", f"{metric!r} appears twice")
        seen_metrics.add(metric)
        kpis.append(model.Kpi(metric or "", row.decimal("baseline"), row.date("baseline_date", spreadsheet=True),
                              row.decimal("target"), id=n))
        row.warn_unknown()

    objectives = _unique(L["objectives"], "code", lambda row, n, code: model.Objective(
        code, row.text("title", required=True) or "", row.text("description"), row.text("owner"),
        row.decimal("weight", minimum=Decimal(0), default=Decimal(1)), row.boolean("active", True), id=n))
    objective_ids = {o.code: o.id for o in objectives}

    def initiative(row: Row, n: int, code: str) -> model.Initiative:
        cases = {f"business_case_{c}": row.enum(f"business_case_{c}", BusinessCaseStatus,
                                                default=BusinessCaseStatus.NOT_STARTED) for c in BUSINESS_CASES}
        return model.Initiative(
            code, row.text("name", required=True) or "", row.enum("stage", Stage, required=True) or Stage.PROPOSED,
            row.text("description"), row.text("sponsor"), row.text("owner"), row.enum("delivery_rag", DeliveryRag),
            row.money("planned_investment", currency, non_negative=True), _d(row, "approval_date"),
            _d(row, "start_date"), _d(row, "planned_go_live"), _d(row, "forecast_go_live"), _d(row, "tracking_end"),
            row.integer("risk_likelihood", minimum=1, maximum=5), row.integer("risk_impact", minimum=1, maximum=5),
            **cases, id=n)

    initiatives = _unique(L["initiatives"], "code", initiative)
    initiative_ids = {i.code: i.id for i in initiatives}

    links, seen_links = [], set()
    for row in L["initiative_objectives"]:
        owner = _ref(row, "initiative", initiative_ids, "initiative")
        objective = _ref(row, "objective", objective_ids, "objective")
        weight = row.decimal("weight", minimum=Decimal(0))
        if owner and objective:
            if (owner, objective) in seen_links:
                row.error("objective", "links the same objective twice")
            seen_links.add((owner, objective))
            links.append(model.ObjectiveLink(owner, objective, weight))
        row.warn_unknown()

    def money_rows(name: str, record):
        out = []
        for n, row in enumerate(L[name], 1):
            owner = _ref(row, "initiative", initiative_ids, "initiative")
            period_end = row.date("period_end", required=True, spreadsheet=True)
            amount = row.money("amount", currency, required=True)
            if owner and period_end and amount is not None:
                out.append(record(owner, period_end, amount, id=n))
            row.warn_unknown()
        return out

    planned_spend = money_rows("planned_spend", model.PlannedSpend)
    cost_actuals = money_rows("cost_actuals", model.CostActual)

    outputs = _unique(L["outputs"], "code", lambda row, n, code: model.Output(
        code, _ref(row, "initiative", initiative_ids, "initiative") or 0, row.text("title", required=True) or "",
        _d(row, "due"), _d(row, "delivered"), id=n))
    output_ids = {o.code: o.id for o in outputs}
    outcome_links = _link_lists(L["outcome_outputs"], "outcome", output_ids)
    outcomes = _unique(L["outcomes"], "code", lambda row, n, code: model.Outcome(
        code, _ref(row, "initiative", initiative_ids, "initiative") or 0, row.text("title", required=True) or "",
        _d(row, "due"), _d(row, "delivered"), id=n))
    outcome_ids = {o.code: o.id for o in outcomes}
    outcomes = [_with_outputs(o, outcome_links) for o in outcomes]
    _unknown_owner(L["outcome_outputs"], "outcome", outcome_ids)

    benefit_links = _link_lists(L["benefit_outputs"], "benefit", output_ids)

    def benefit(row: Row, n: int, code: str) -> model.Benefit:
        record = model.Benefit(
            code, _ref(row, "initiative", initiative_ids, "initiative") or 0, row.text("title", required=True) or "",
            row.text("measure", required=True) or "", row.enum("direction", Direction, required=True)
            or Direction.HIGHER, row.decimal("target_value", required=True), _d(row, "target_date", required=True),
            outcome_id=_ref(row, "outcome", outcome_ids, "outcome", required=False),
            category=row.enum("category", Category), dis_benefit=row.boolean("dis_benefit", False),
            owner=row.text("owner"), unit=row.text("unit"), baseline_value=row.decimal("baseline_value"),
            baseline_date=_d(row, "baseline_date"), annual_value=row.money("annual_value", currency, non_negative=True),
            attribution_pct=row.decimal("attribution_pct", minimum=Decimal(0), maximum=HUNDRED, default=HUNDRED),
            confidence_pct=row.decimal("confidence_pct", minimum=Decimal(0), maximum=HUNDRED, default=HUNDRED),
            frequency=row.enum("frequency", Frequency, default=Frequency.MONTHLY), data_source=row.text("data_source"),
            indicator=row.enum("indicator", Indicator), status=row.enum("status", BenefitStatus), id=n)
        if record.target_value is not None and record.target_date is not None:
            for name, message in validation.benefit_problems(record):
                row.error(name, message)
        return record

    benefits = [_with_outputs(b, benefit_links) for b in _unique(L["benefits"], "code", benefit)]
    benefit_by_code = {b.code: b for b in benefits}
    benefit_ids = {b.code: b.id for b in benefits}
    _unknown_owner(L["benefit_outputs"], "benefit", benefit_ids)

    def dated_values(name: str, record, extra) -> list:
        out, seen = [], {}
        for n, row in enumerate(L[name], 1):
            code = row.code("benefit")
            owner = benefit_by_code.get(code)
            if code is not None and owner is None:
                row.error("benefit", f"unknown benefit code {code!r}")
            when = row.date("date", required=True, spreadsheet=True)
            value = row.decimal("value", required=True)
            more = extra(row)
            if owner is not None and when is not None and value is not None:
                if name == "trajectory":
                    for f, message in validation.trajectory_problems(owner, when, value):
                        row.error(f, message)
                key = (owner.id, when)
                if key in seen:
                    if seen[key] != value:
                        row.error("date", f"{code} already has a different {name[:-1] if name == 'measurements' else 'trajectory point'} "
                                          f"on {when.isoformat()}")
                    else:
                        raw.problems.warnings.append(f"{row.where}, {row.number}, date: duplicate of an earlier row, skipped")
                    row.warn_unknown()
                    continue
                seen[key] = value
                out.append(record(owner.id, when, value, *more, id=n))
            row.warn_unknown()
        return out

    trajectory = dated_values("trajectory", model.TrajectoryPoint, lambda row: ())
    trajectory = [t for t in trajectory if not _is_start(t, benefits)]
    measurements = dated_values("measurements", model.Measurement,
                                lambda row: (row.text("source"), row.text("note")))

    rules, rule_ids, seen_rules = [], {}, set()
    for n, row in enumerate(L["pivot_rules"], 1):
        code = row.code("code")
        owner = _ref(row, "initiative", initiative_ids, "initiative")
        if owner and code:
            if (owner, code) in seen_rules:
                row.error("code", f"duplicate rule code {code!r} for this initiative")
            seen_rules.add((owner, code))
            rule_ids[(owner, code)] = n
        rule = model.PivotRule(
            code or "", owner or 0, row.enum("metric", Metric, required=True) or Metric.RISK_SCORE,
            row.enum("comparator", Comparator, required=True) or Comparator.LT,
            row.decimal("threshold", required=True) or Decimal(0),
            row.enum("action", Action, required=True) or Action.REVIEW, _d(row, "agreed_on", required=True),
            row.enum("applies_from", AppliesFrom, default=AppliesFrom.GO_LIVE),
            row.integer("applies_from_months", minimum=0, maximum=1200, default=0), row.text("agreed_by"),
            row.boolean("active", True), id=n)
        rules.append(rule)
        row.warn_unknown()

    decisions = []
    for n, row in enumerate(L["decisions"], 1):
        owner = _ref(row, "initiative", initiative_ids, "initiative")
        rule_code = row.code("rule", required=False)
        rule_id = None
        if rule_code is not None and owner:
            rule_id = rule_ids.get((owner, rule_code))
            if rule_id is None:
                row.error("rule", f"unknown pivot rule {rule_code!r} for this initiative")
        decision = model.Decision(
            owner or 0, row.enum("kind", DecisionKind, required=True) or DecisionKind.GATE_REVIEW,
            _d(row, "raised_on", required=True), row.text("summary", required=True) or "",
            row.boolean("escalated", False), _d(row, "decided_on"), row.enum("outcome", DecisionOutcome),
            row.text("decided_by"), row.text("rationale"), rule_id, id=n)
        if decision.decided_on and decision.raised_on and decision.decided_on < decision.raised_on:
            row.error("decided_on", "is before the date it was raised")
        decisions.append(decision)
        row.warn_unknown()

    scenarios = _unique(L["scenarios"], "name", lambda row, n, name: model.Scenario(name, id=n))
    scenario_ids = {s.name: s.id for s in scenarios}
    overrides, seen_overrides = [], set()
    initiative_by_id = {i.id: i for i in initiatives}
    for n, row in enumerate(L["scenario_overrides"], 1):
        scenario = _ref(row, "scenario", scenario_ids, "scenario")
        owner = _ref(row, "initiative", initiative_ids, "initiative")
        override = model.ScenarioOverride(scenario or 0, owner or 0, _d(row, "stop_from"), _d(row, "pause_from"),
                                          _d(row, "pause_to"), row.money("budget_change", currency),
                                          _d(row, "fund_from"), id=n)
        for name, message in validation.override_problems(override, initiative_by_id.get(owner)):
            row.error(name, message)
        if scenario and owner:
            if (scenario, owner) in seen_overrides:
                row.error("initiative", "has two overrides in the same scenario")
            seen_overrides.add((scenario, owner))
        overrides.append(override)
        row.warn_unknown()

    commentary = []
    for n, row in enumerate(L["commentary"], 1):
        owner = _ref(row, "initiative", initiative_ids, "initiative", required=False)
        commentary.append(model.Commentary(_d(row, "meeting_date", required=True), row.text("text", required=True) or "",
                                           owner, row.text("author"), id=n))
        row.warn_unknown()

    if p.errors:
        raise InvalidInput(p.errors, p.warnings)
    data = model.PortfolioData(
        portfolio=portfolio, kpis=tuple(kpis), objectives=tuple(objectives), initiatives=tuple(initiatives),
        objective_links=tuple(links), planned_spend=tuple(planned_spend), cost_actuals=tuple(cost_actuals),
        outputs=tuple(outputs), outcomes=tuple(outcomes), benefits=tuple(benefits), trajectory=tuple(trajectory),
        measurements=tuple(measurements), pivot_rules=tuple(rules), decisions=tuple(decisions),
        scenarios=tuple(scenarios), scenario_overrides=tuple(overrides), commentary=tuple(commentary))
    return data, p.warnings


def _portfolio(row: Row) -> tuple[model.Portfolio, str | None]:
    currency = row.currency("currency")
    as_of = row.date("as_of_date", spreadsheet=True)
    green = row.decimal("rag_green_pct", minimum=Decimal(0), default=Decimal(90))
    amber = row.decimal("rag_amber_pct", minimum=Decimal(0), default=Decimal(70))
    if green is not None and amber is not None and amber > green:
        row.error("rag_amber_pct", "must not be above rag_green_pct")
    portfolio = model.Portfolio(
        name=row.text("name", required=True) or "", currency=currency or "GBP", client=row.text("client"),
        fiscal_year_start_month=row.integer("fiscal_year_start_month", minimum=1, maximum=12, default=1),
        as_of_mode="fixed" if as_of else "today", as_of_date=as_of, rag_green_pct=green, rag_amber_pct=amber,
        confidentiality=row.text("confidentiality") or "CONFIDENTIAL",
        risk_weight=row.decimal("risk_weight", minimum=Decimal(0), default=Decimal(0)))
    row.warn_unknown()
    return portfolio, currency


def _d(row: Row, name: str, required: bool = False):
    return row.date(name, required=required, spreadsheet=True)


def _ref(row: Row, name: str, ids: dict[str, int], what: str, required: bool = True) -> int | None:
    code = row.code(name, required=required)
    if code is None:
        return None
    found = ids.get(code)
    if found is None:
        row.error(name, f"unknown {what} code {code!r}" if what != "scenario" else f"unknown scenario {code!r}")
    return found


def _unique(rows: list[Row], key: str, build) -> list:
    out, seen = [], set()
    for n, row in enumerate(rows, 1):
        code = row.code(key)
        if code is not None and code in seen:
            row.error(key, f"duplicate {key} {code!r}")
        if code is not None:
            seen.add(code)
        out.append(build(row, n, code or ""))
        row.warn_unknown()
    return out


def _link_lists(rows: list[Row], owner: str, output_ids: dict[str, int]) -> dict[str, tuple[int, ...]]:
    links: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        code = row.code(owner)
        output = _ref(row, "output", output_ids, "output")
        if code is not None and output is not None and output not in links[code]:
            links[code].append(output)
        row.warn_unknown()
    return {k: tuple(sorted(v)) for k, v in links.items()}


def _unknown_owner(rows: list[Row], owner: str, ids: dict[str, int]) -> None:
    for row in rows:
        code = row.values.get(row.aliases.get(owner, owner)) if owner not in row.fixed else row.fixed[owner]
        if code is not None and str(code).strip() not in ids:
            row.error(owner, f"unknown {owner} code {str(code).strip()!r}")


def _with_outputs(record, links: dict[str, tuple[int, ...]]):
    from dataclasses import replace

    return replace(record, output_ids=links.get(record.code, ()))


def _is_start(point: model.TrajectoryPoint, benefits: list[model.Benefit]) -> bool:
    """A trajectory point on the baseline date equal to the baseline is the start: skipped."""
    owner = next(b for b in benefits if b.id == point.benefit_id)
    return point.date == owner.baseline_date and point.value == owner.baseline_value


# --------------------------------------------------------------------------------------- export
def to_document(data: model.PortfolioData) -> dict[str, Any]:
    """The portfolio as the interchange document (JSON-ready except for Decimal and date values)."""
    p = data.portfolio
    initiatives = {i.id: i for i in data.initiatives}
    objectives = {o.id: o for o in data.objectives}
    outputs = {o.id: o for o in data.outputs}
    outcomes = {o.id: o for o in data.outcomes}
    benefits = {b.id: b for b in data.benefits}
    rules = {r.id: r for r in data.pivot_rules}
    code = lambda table, key: None if key is None else table[key].code  # noqa: E731
    portfolio = {"name": p.name, "client": p.client, "currency": p.currency,
                 "fiscal_year_start_month": p.fiscal_year_start_month, "rag_green_pct": p.rag_green_pct,
                 "rag_amber_pct": p.rag_amber_pct, "confidentiality": p.confidentiality, "risk_weight": p.risk_weight}
    if p.as_of_mode == "fixed" and p.as_of_date is not None:
        portfolio["as_of_date"] = p.as_of_date
    links = defaultdict(list)
    for link in data.objective_links:
        links[link.initiative_id].append({"code": objectives[link.objective_id].code, "weight": link.weight})
    overrides = defaultdict(list)
    for o in sorted(data.scenario_overrides, key=lambda o: initiatives[o.initiative_id].code):
        overrides[o.scenario_id].append({"initiative": initiatives[o.initiative_id].code, "stop_from": o.stop_from,
                                         "pause_from": o.pause_from, "pause_to": o.pause_to,
                                         "budget_change": o.budget_change, "fund_from": o.fund_from})
    by_code = lambda records: sorted(records, key=lambda r: r.code)  # noqa: E731
    dated = lambda records, owner: sorted(records, key=lambda r: (owner(r), r.date))  # noqa: E731
    return {
        "format": FORMAT, "version": VERSION, "portfolio": portfolio,
        "kpis": [{"metric": k.metric, "baseline": k.baseline, "baseline_date": k.baseline_date, "target": k.target}
                 for k in sorted(data.kpis, key=lambda k: k.metric)],
        "objectives": [{"code": o.code, "title": o.title, "description": o.description, "owner": o.owner,
                        "weight": o.weight, "active": o.active} for o in by_code(data.objectives)],
        "initiatives": [{
            "code": i.code, "name": i.name, "description": i.description, "sponsor": i.sponsor, "owner": i.owner,
            "stage": i.stage.value, "delivery_rag": _value(i.delivery_rag), "planned_investment": i.planned_investment,
            "approval_date": i.approval_date, "start_date": i.start_date, "planned_go_live": i.planned_go_live,
            "forecast_go_live": i.forecast_go_live, "tracking_end": i.tracking_end,
            "risk_likelihood": i.risk_likelihood, "risk_impact": i.risk_impact,
            "objectives": sorted(links[i.id], key=lambda link: link["code"]),
            "business_case": {c: getattr(i, f"business_case_{c}").value for c in BUSINESS_CASES},
        } for i in by_code(data.initiatives)],
        "planned_spend": [{"initiative": code(initiatives, s.initiative_id), "period_end": s.period_end,
                           "amount": s.amount}
                          for s in sorted(data.planned_spend, key=lambda s: (initiatives[s.initiative_id].code,
                                                                             s.period_end, s.id))],
        "cost_actuals": [{"initiative": code(initiatives, c.initiative_id), "period_end": c.period_end,
                          "amount": c.amount}
                         for c in sorted(data.cost_actuals, key=lambda c: (initiatives[c.initiative_id].code,
                                                                           c.period_end, c.id))],
        "outputs": [{"code": o.code, "initiative": code(initiatives, o.initiative_id), "title": o.title,
                     "due": o.due, "delivered": o.delivered} for o in by_code(data.outputs)],
        "outcomes": [{"code": o.code, "initiative": code(initiatives, o.initiative_id), "title": o.title,
                      "due": o.due, "delivered": o.delivered,
                      "outputs": sorted(outputs[i].code for i in o.output_ids)} for o in by_code(data.outcomes)],
        "benefits": [{
            "code": b.code, "initiative": code(initiatives, b.initiative_id), "outcome": code(outcomes, b.outcome_id),
            "outputs": sorted(outputs[i].code for i in b.output_ids), "title": b.title,
            "category": _value(b.category), "dis_benefit": b.dis_benefit, "owner": b.owner, "measure": b.measure,
            "unit": b.unit, "direction": b.direction.value, "baseline_value": b.baseline_value,
            "baseline_date": b.baseline_date, "target_value": b.target_value, "target_date": b.target_date,
            "annual_value": b.annual_value, "attribution_pct": b.attribution_pct, "confidence_pct": b.confidence_pct,
            "frequency": b.frequency.value, "data_source": b.data_source, "indicator": _value(b.indicator),
            "status": _value(b.status)} for b in by_code(data.benefits)],
        "trajectory": [{"benefit": code(benefits, t.benefit_id), "date": t.date, "value": t.value}
                       for t in dated(data.trajectory, lambda t: benefits[t.benefit_id].code)],
        "measurements": [{"benefit": code(benefits, m.benefit_id), "date": m.date, "value": m.value,
                          "source": m.source, "note": m.note}
                         for m in dated(data.measurements, lambda m: benefits[m.benefit_id].code)],
        "pivot_rules": [{
            "code": r.code, "initiative": code(initiatives, r.initiative_id), "metric": r.metric.value,
            "comparator": r.comparator.value, "threshold": r.threshold, "applies_from": r.applies_from.value,
            "applies_from_months": r.applies_from_months, "action": r.action.value, "agreed_on": r.agreed_on,
            "agreed_by": r.agreed_by, "active": r.active}
            for r in sorted(data.pivot_rules, key=lambda r: (initiatives[r.initiative_id].code, r.code))],
        "decisions": [{
            "initiative": code(initiatives, d.initiative_id), "kind": d.kind.value, "raised_on": d.raised_on,
            "summary": d.summary, "escalated": d.escalated, "decided_on": d.decided_on, "outcome": _value(d.outcome),
            "decided_by": d.decided_by, "rationale": d.rationale,
            "rule": None if d.rule_id is None else rules[d.rule_id].code}
            for d in sorted(data.decisions, key=lambda d: (d.raised_on, initiatives[d.initiative_id].code, d.id))],
        "scenarios": [{"name": s.name, "overrides": overrides[s.id]}
                      for s in sorted(data.scenarios, key=lambda s: s.name)],
        "commentary": [{"meeting_date": c.meeting_date, "initiative": code(initiatives, c.initiative_id),
                        "text": c.text, "author": c.author}
                       for c in sorted(data.commentary, key=lambda c: (
                           c.meeting_date, "" if c.initiative_id is None else initiatives[c.initiative_id].code,
                           c.text, c.author or ""))],
    }


def _value(member):
    return None if member is None else member.value


__all__ = ["FORMAT", "VERSION", "LISTS", "InvalidInput", "RawDocument", "parse", "to_document"]
