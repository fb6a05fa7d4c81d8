"""The efficient frontier (DESIGN.md section 17): the exact optimum at a ladder of budgets.

Each point is :func:`pmodesk.engine.optimiser.optimise` itself at that budget, so a point and
``pmodesk optimise --budget`` at the same budget always agree (value, set and tie-break). The current
plan (every active initiative continuing, proposed ones not funded) is placed against it: the value
the same money could buy (``value_gap``) and the saving that reaches the same value (``cost_gap``).
All money is in integer minor units.
"""

from __future__ import annotations

from dataclasses import dataclass

from pmodesk.engine.optimiser import METHOD as OPTIMISER_METHOD, Candidate, Choice, check_choices, optimise

DEFAULT_STEPS = 25
METHOD = (f"exact optimum at each budget B_k = k/N × the candidates' total remaining cost (rounded down to the "
          f"minor unit) and at the current plan's remaining cost; {OPTIMISER_METHOD}")


@dataclass(frozen=True)
class Frontier:
    points: tuple[Choice, ...]  # increasing budget; each the optimiser's answer at its budget
    current_cost: int
    current_value: int
    value_gap: int | None  # None when the current plan's cost is below the must-keeps' cost
    cost_gap: int | None  # None when no candidate set (with keeps and stops) reaches the current value
    steps: int
    method: str = METHOD


def budgets(pool: list[Candidate], steps: int, current_cost: int, floor: int) -> list[int]:
    """B_k = ⌊k·total/N⌋ for k = 0…N, plus the current plan's cost, once each, none below ``floor``."""
    total = sum(c.cost for c in pool)
    ladder = {(k * total) // steps for k in range(steps + 1)} | {current_cost}
    return sorted(b for b in ladder if b >= floor)


def current_plan(pool: list[Candidate], active_codes: set[str]) -> tuple[int, int]:
    """(Σ remaining cost, Σ expected remaining value) of the active initiatives (risk-weighted like the pool)."""
    plan = [c for c in pool if c.code in active_codes]
    return sum(c.cost for c in plan), sum(c.value for c in plan)


def least_cost_reaching(pool: list[Candidate], target: int, keep: set[str], stop: set[str]) -> int | None:
    """The least remaining cost of a candidate set (keeps in, stops out) whose value is at least ``target``.

    The optimum's value never falls as the budget grows, so the smallest budget b whose optimum reaches
    the target is found by bisection over whole minor units; that optimum is then itself the cheapest
    set reaching the target (a cheaper one would reach it within a smaller budget).
    """
    floor = sum(c.cost for c in pool if c.code in keep)
    ceiling = floor + sum(c.cost for c in pool if c.code not in keep and c.code not in stop and c.cost > 0)
    top = optimise(pool, ceiling, keep, stop)
    if top.value < target:
        return None
    low, high, best = floor, ceiling, top
    while low < high:
        middle = (low + high) // 2
        choice = optimise(pool, middle, keep, stop)
        if choice.value >= target:
            high, best = middle, choice
        else:
            low = middle + 1
    if best.budget != low:
        best = optimise(pool, low, keep, stop)
    return best.cost


def frontier(pool: list[Candidate], active_codes: set[str], steps: int = DEFAULT_STEPS,
             keep: set[str] = frozenset(), stop: set[str] = frozenset()) -> Frontier:
    if steps < 1:
        raise ValueError("the frontier needs at least one step")
    keep, stop = set(keep), set(stop)
    check_choices(pool, keep, stop)
    current_cost, current_value = current_plan(pool, active_codes)
    floor = sum(c.cost for c in pool if c.code in keep)
    points = tuple(optimise(pool, budget, keep, stop) for budget in budgets(pool, steps, current_cost, floor))
    at_current = next((p for p in points if p.budget == current_cost), None)
    value_gap = None if at_current is None else at_current.value - current_value
    least = least_cost_reaching(pool, current_value, keep, stop)
    cost_gap = None if least is None else current_cost - least
    return Frontier(points, current_cost, current_value, value_gap, cost_gap, steps)


def frontier_json(result, frontier, currency: str, risk_weight) -> dict:
    """The JSON object of section 17 (money as decimal strings); the UI and the board pack read it too."""
    from pmodesk.domain.money import from_minor, money_text

    money = lambda minor: None if minor is None else money_text(from_minor(minor, currency))  # noqa: E731
    return {
        "as_of": result.as_of.isoformat(), "currency": currency, "method": frontier.method, "steps": frontier.steps,
        "risk_weight": float(risk_weight),
        "points": [{"budget": money(p.budget), "remaining_cost": money(p.cost), "expected_remaining_value": money(p.value),
                    "selected": list(p.selected)} for p in frontier.points],
        "current": {"remaining_cost": money(frontier.current_cost),
                    "expected_remaining_value": money(frontier.current_value)},
        "value_gap": money(frontier.value_gap), "cost_gap": money(frontier.cost_gap),
    }


def frontier_sentences(payload: dict) -> list[str]:
    """What the gaps mean, in words (the CLI, the trade-off view and the board pack say the same)."""
    from decimal import Decimal

    from pmodesk.domain.money import format_money

    currency = payload["currency"]
    value_gap, cost_gap = payload["value_gap"], payload["cost_gap"]
    amount = lambda text: format_money(Decimal(text.lstrip("-")), currency)  # noqa: E731 - 'GBP 1,234.00'
    if value_gap is not None and Decimal(value_gap) == 0 and cost_gap is not None and Decimal(cost_gap) == 0:
        return ["The current plan is on the efficient frontier: no other set of candidates buys more expected "
                "remaining value for its remaining cost, or the same value for less."]
    lines = []
    if value_gap is not None:
        if Decimal(value_gap) >= 0:
            lines.append(f"For the current plan's remaining cost, the best set of candidates would add "
                         f"{amount(value_gap)} of expected remaining value.")
        else:
            lines.append(f"With these keeps and stops, the best set for the current plan's remaining cost is worth "
                         f"{amount(value_gap)} less than the current plan.")
    if cost_gap is None:
        lines.append("No set of candidates allowed by the keeps and stops reaches the current plan's value.")
    elif Decimal(cost_gap) >= 0:
        lines.append(f"The current plan's expected remaining value could be had for {amount(cost_gap)} less.")
    else:
        lines.append(f"With these keeps and stops, reaching the current plan's value costs {amount(cost_gap)} more.")
    return lines


def portfolio_frontier(result, risk_weight, steps: int = DEFAULT_STEPS, keep: set[str] = frozenset(),
                       stop: set[str] = frozenset(), run=None) -> tuple[Frontier, dict]:
    """The frontier of a computed portfolio and its JSON payload: what the CLI, UI and board pack show.
    ``run(frontier, pool, active, steps, keep, stop)`` does the optimising: here by default; the window
    passes one that runs it in its child process (the arguments are plain, picklable data)."""
    from pmodesk.engine.optimiser import candidates

    pool = candidates(list(result.initiatives), result.currency, risk_weight)
    active = {r.initiative.code for r in result.initiatives if r.active}
    if run is None:
        answer = frontier(pool, active, steps, keep, stop)
    else:
        answer = run(frontier, pool, active, steps, set(keep), set(stop))
    return answer, frontier_json(result, answer, result.currency, risk_weight)
