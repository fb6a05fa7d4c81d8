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


def _money_option(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise click.BadParameter(f"{text!r} is not an amount", param_hint="--budget") from None
    if not value.is_finite() or value < 0:
        raise click.BadParameter(f"{text!r} is not an amount of money of zero or more", param_hint="--budget")
    return value


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--budget", required=True, help="Budget for remaining cost, in major units (165000).")
@click.option("--keep", multiple=True, help="Initiative code to keep (repeatable; --keep A B also works).")
@click.option("--stop", multiple=True, help="Initiative code to stop (repeatable).")
@click.option("--risk-weight", type=float, default=None, help="λ: weight value by (1 − λ·risk/25); default the "
              "portfolio's setting.")
@click.option("--as-of", type=AS_OF, default=None, help="Compute as of this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON object of DESIGN.md section 15.")
@click.option("--save-scenario", default=None, metavar="NAME",
              help="Also save the answer as scenario NAME: every active initiative left out stops the day after "
                   "the as-of date.")
def optimise(file: str, budget: str, keep: tuple[str, ...], stop: tuple[str, ...], risk_weight: float | None,
             as_of, as_json: bool, save_scenario: str | None) -> None:
    """Choose the initiatives that give the most expected remaining value within --budget."""
    from pmodesk.domain.money import MoneyError, from_minor, money_text, to_minor
    from pmodesk.engine.optimiser import KeepsOverBudget, NotACandidate, candidates, check_choices, optimise as solve
    from pmodesk.engine.portfolio import compute

    amount = _money_option(budget)
    if risk_weight is not None and (risk_weight < 0 or risk_weight != risk_weight):
        raise click.BadParameter("λ must be zero or more", param_hint="--risk-weight")
    with open_location(file, read_only=True) as store:
        data = store.load()
    currency = data.portfolio.currency
    try:
        budget_minor = to_minor(amount, currency)
    except MoneyError as error:
        raise click.BadParameter(str(error), param_hint="--budget") from None
    day = resolve_as_of(as_of, data.portfolio)
    result = compute(data, day)
    weight = Decimal(str(risk_weight)) if risk_weight is not None else data.portfolio.risk_weight
    pool = candidates(list(result.initiatives), currency, weight)
    keep_codes, stop_codes = {k.strip() for k in keep}, {s.strip() for s in stop}
    try:
        check_choices(pool, keep_codes, stop_codes)
    except NotACandidate as error:
        raise click.UsageError(str(error)) from None
    try:
        choice = solve(pool, budget_minor, keep_codes, stop_codes)
    except KeepsOverBudget as over:
        kept = money_text(from_minor(over.args[0], currency))
        click.echo(f"The must-keep initiatives alone cost {currency} {kept}, more than the budget of "
                   f"{currency} {money_text(from_minor(budget_minor, currency))}.", err=True)
        sys.exit(1)
    money = lambda minor: money_text(from_minor(minor, currency))  # noqa: E731
    if save_scenario:
        _save(file, save_scenario, choice, result)
    if as_json:
        click.echo(json.dumps({"selected": list(choice.selected), "excluded": list(choice.excluded),
                               "expected_remaining_value": money(choice.value), "remaining_cost": money(choice.cost),
                               "budget": money(choice.budget), "method": choice.method,
                               "as_of": day.isoformat(), "risk_weight": float(weight)}, indent=2))
        return
    by_code = {c.code: c for c in pool}
    click.echo(f"As of {day.isoformat()}, budget {currency} {money(choice.budget)}"
               + (f", risk weight λ = {weight}" if weight else "") + f" ({choice.method})")
    click.echo(f"\nSelected ({len(choice.selected)}): expected remaining value {currency} {money(choice.value)}, "
               f"remaining cost {currency} {money(choice.cost)}")
    for code in choice.selected:
        c = by_code[code]
        click.echo(f"  {code:<12}value {money(c.value):>16}   cost {money(c.cost):>16}")
    click.echo(f"\nLeft out ({len(choice.excluded)}):")
    for code in choice.excluded:
        c = by_code[code]
        why = " (stopped)" if code in stop_codes else ""
        click.echo(f"  {code:<12}value {money(c.value):>16}   cost {money(c.cost):>16}{why}")


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
    stop = command.overrides[0].stop_from.isoformat() if command.overrides else "-"
    click.echo(f"Saved scenario {name!r}: {len(command.overrides)} initiative(s) stop from {stop}.", err=True)
