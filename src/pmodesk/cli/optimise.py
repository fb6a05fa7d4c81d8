"""``pmodesk optimise``: the best set of initiatives for a budget (DESIGN.md sections 9 and 15)."""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from pmodesk.cli.metrics import AS_OF, resolve_as_of
from pmodesk.store.location import open_location

VARIADIC = ("--keep", "--stop")


def spread_variadic(argv: list[str]) -> list[str]:
    """Let ``--keep A B`` mean ``--keep A --keep B`` (click options take one value each)."""
    out, current, file_seen = [], None, False
    for token in argv:
        if token in VARIADIC:
            current = token
            continue
        if current and not token.startswith("-") and not (not file_seen and Path(token).is_file()):
            out += [current, token]
            continue
        if current and not token.startswith("-"):
            file_seen = True
        current = None
        out.append(token)
    return out


def _money_option(text: str, hint: str = "--budget") -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise click.BadParameter(f"{text!r} is not an amount", param_hint=hint) from None
    if not value.is_finite() or value < 0:
        raise click.BadParameter(f"{text!r} is not an amount of money of zero or more", param_hint=hint)
    return value


def parse_budget_by_year(values: tuple[str, ...]) -> dict[int, Decimal]:
    """``YEAR=AMOUNT`` pairs (YEAR the calendar year in which the fiscal year ends), each year once."""
    hint = "--budget-by-year"
    caps: dict[int, Decimal] = {}
    for text in values:
        year_text, sep, amount_text = text.partition("=")
        year_text = year_text.strip()
        if not sep or not year_text.isdigit() or not 1 <= int(year_text) <= 9999:
            raise click.BadParameter(f"{text!r} is not YEAR=AMOUNT (e.g. 2027=1500000)", param_hint=hint)
        year = int(year_text)
        if year in caps:
            raise click.BadParameter(f"fiscal year {year} is given more than once", param_hint=hint)
        caps[year] = _money_option(amount_text, hint)
    return caps


def _to_minor(amount: Decimal, currency: str, hint: str) -> int:
    from pmodesk.domain.money import MoneyError, to_minor

    try:
        return to_minor(amount, currency)
    except MoneyError as error:
        raise click.BadParameter(str(error), param_hint=hint) from None


def keeps_over_budget_message(over, currency: str) -> list[str]:
    """One sentence per budget the must-keep initiatives alone break."""
    from pmodesk.domain.money import from_minor, money_text

    money = lambda minor: f"{currency} {money_text(from_minor(minor, currency))}"  # noqa: E731
    lines = []
    for year, spent, cap in over.breaks:
        if year is None:
            lines.append(f"The must-keep initiatives alone cost {money(spent)}, more than the budget of {money(cap)}.")
        else:
            lines.append(f"The must-keep initiatives alone spend {money(spent)} in fiscal year {year}, more than "
                         f"its budget of {money(cap)}.")
    return lines


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--budget", default=None, help="Budget for remaining cost, in major units (165000).")
@click.option("--budget-by-year", "budget_by_year", multiple=True, metavar="YEAR=AMOUNT",
              help="Budget for the remaining planned spend in one fiscal year, labelled by the calendar year in "
                   "which it ends (repeatable; years without one are free).")
@click.option("--keep", multiple=True, help="Initiative code to keep (repeatable; --keep A B also works).")
@click.option("--stop", multiple=True, help="Initiative code to stop (repeatable).")
@click.option("--risk-weight", type=float, default=None, help="λ: weight value by (1 − λ·risk/25); default the "
              "portfolio's setting.")
@click.option("--as-of", type=AS_OF, default=None, help="Compute as of this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON object of DESIGN.md sections 15 and 17.")
@click.option("--save-scenario", default=None, metavar="NAME",
              help="Also save the answer as scenario NAME.")
def optimise(file: str, budget: str | None, budget_by_year: tuple[str, ...], keep: tuple[str, ...],
             stop: tuple[str, ...], risk_weight: float | None, as_of, as_json: bool, save_scenario: str | None) -> None:
    """Choose the initiatives that give the most expected remaining value within the budgets."""
    from pmodesk.domain.money import from_minor, money_text
    from pmodesk.engine.optimiser import (KeepsOverBudget, NotACandidate, candidates, check_choices,
                                          optimise as solve, with_spend_by_year)
    from pmodesk.engine.portfolio import compute

    if budget is None and not budget_by_year:
        raise click.UsageError("give --budget, --budget-by-year YEAR=AMOUNT, or both")
    amount = _money_option(budget) if budget is not None else None
    year_amounts = parse_budget_by_year(budget_by_year)
    check_risk_weight(risk_weight)
    with open_location(file, read_only=True) as store:
        data = store.load()
    currency = data.portfolio.currency
    budget_minor = _to_minor(amount, currency, "--budget") if amount is not None else None
    caps = {year: _to_minor(value, currency, "--budget-by-year") for year, value in year_amounts.items()}
    day = resolve_as_of(as_of, data.portfolio)
    result = compute(data, day)
    weight = Decimal(str(risk_weight)) if risk_weight is not None else data.portfolio.risk_weight
    pool = candidates(list(result.initiatives), currency, weight)
    if caps:
        pool = with_spend_by_year(pool, result)
    keep_codes, stop_codes = {k.strip() for k in keep}, {s.strip() for s in stop}
    try:
        check_choices(pool, keep_codes, stop_codes)
    except NotACandidate as error:
        raise click.UsageError(str(error)) from None
    try:
        choice = solve(pool, budget_minor, keep_codes, stop_codes, caps)
    except KeepsOverBudget as over:
        for line in keeps_over_budget_message(over, currency):
            click.echo(line, err=True)
        sys.exit(1)
    money = lambda minor: money_text(from_minor(minor, currency))  # noqa: E731
    if save_scenario:
        _save(file, save_scenario, choice, result)
    if as_json:
        click.echo(json.dumps({"selected": list(choice.selected), "excluded": list(choice.excluded),
                               "expected_remaining_value": money(choice.value), "remaining_cost": money(choice.cost),
                               "budget": None if choice.budget is None else money(choice.budget),
                               "budget_by_year": {str(y): money(cap) for y, cap in choice.budget_by_year},
                               "spend_by_year": {str(y): money(spent) for y, spent in choice.spend_by_year},
                               "method": choice.method, "as_of": day.isoformat(), "risk_weight": float(weight)},
                              indent=2))
        return
    by_code = {c.code: c for c in pool}
    limits = [] if choice.budget is None else [f"budget {currency} {money(choice.budget)}"]
    limits += [f"fiscal year {y} budget {currency} {money(cap)}" for y, cap in choice.budget_by_year]
    click.echo(f"As of {day.isoformat()}, " + ", ".join(limits)
               + (f", risk weight λ = {weight}" if weight else "") + f" ({choice.method})")
    click.echo(f"\nSelected ({len(choice.selected)}): expected remaining value {currency} {money(choice.value)}, "
               f"remaining cost {currency} {money(choice.cost)}")
    for year, spent in choice.spend_by_year:
        click.echo(f"  spend in fiscal year {year}: {currency} {money(spent)}")
    for code in choice.selected:
        c = by_code[code]
        click.echo(f"  {code:<12}value {money(c.value):>16}   cost {money(c.cost):>16}")
    click.echo(f"\nLeft out ({len(choice.excluded)}):")
    for code in choice.excluded:
        c = by_code[code]
        why = " (stopped)" if code in stop_codes else ""
        click.echo(f"  {code:<12}value {money(c.value):>16}   cost {money(c.cost):>16}{why}")


def check_risk_weight(risk_weight: float | None) -> None:
    if risk_weight is not None and (risk_weight < 0 or risk_weight != risk_weight or risk_weight == float("inf")):
        raise click.BadParameter("λ must be zero or more", param_hint="--risk-weight")


def _save(file: str, name: str, choice, result) -> None:
    """The chosen set as a scenario, in one edit (the same command the window's Optimise dialog uses)."""
    from pmodesk.commands import optimised_scenario
    from pmodesk.store.errors import ReadOnly

    command = optimised_scenario(result, choice, name)
    with open_location(file) as store:
        if store.read_only:
            raise ReadOnly(store.status.messages()[0])
        if any(s.name == name for s in store.load().scenarios):
            raise click.UsageError(f"a scenario named {name!r} already exists")
        command.apply(store)
    funded = [o for o in command.overrides if o.fund_from is not None]
    stopped = [o for o in command.overrides if o.stop_from is not None]
    parts = [f"{len(funded)} proposed initiative(s) funded from {funded[0].fund_from.isoformat()}"] if funded else []
    parts += [f"{len(stopped)} initiative(s) stop from {stopped[0].stop_from.isoformat()}"] if stopped else []
    click.echo(f"Saved scenario {name!r}: {'; '.join(parts) or 'no changes to the current plan'}.", err=True)
