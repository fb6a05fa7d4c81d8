"""``pmodesk frontier``: the efficient frontier and where the current plan sits (DESIGN.md section 17)."""

from __future__ import annotations

import json

import click

from pmodesk.cli.metrics import AS_OF, resolve_as_of
from pmodesk.cli.optimise import check_risk_weight
from pmodesk.store.location import open_location


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--as-of", type=AS_OF, default=None, help="Compute as of this date (YYYY-MM-DD).")
@click.option("--risk-weight", type=float, default=None, help="λ: weight value by (1 − λ·risk/25); default the "
              "portfolio's setting.")
@click.option("--steps", type=int, default=25, show_default=True, help="N: budgets k/N of the candidates' total "
              "remaining cost, k = 0…N.")
@click.option("--keep", multiple=True, help="Initiative code to keep (repeatable; --keep A B also works).")
@click.option("--stop", multiple=True, help="Initiative code to stop (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON object of DESIGN.md section 17.")
def frontier(file: str, as_of, risk_weight: float | None, steps: int, keep: tuple[str, ...], stop: tuple[str, ...],
             as_json: bool) -> None:
    """How much expected remaining value each budget buys, and how far below it the current plan sits."""
    from decimal import Decimal

    from pmodesk.engine.frontier import frontier_sentences, portfolio_frontier
    from pmodesk.engine.optimiser import NotACandidate, candidates, check_choices
    from pmodesk.engine.portfolio import compute

    if steps < 1 or steps > 10_000:
        raise click.BadParameter("N must be a whole number from 1 to 10000", param_hint="--steps")
    check_risk_weight(risk_weight)
    with open_location(file, read_only=True) as store:
        data = store.load()
    currency = data.portfolio.currency
    result = compute(data, resolve_as_of(as_of, data.portfolio))
    weight = Decimal(str(risk_weight)) if risk_weight is not None else data.portfolio.risk_weight
    keep_codes, stop_codes = {k.strip() for k in keep}, {s.strip() for s in stop}
    try:
        check_choices(candidates(list(result.initiatives), currency, weight), keep_codes, stop_codes)
    except NotACandidate as error:
        raise click.UsageError(str(error)) from None
    answer, payload = portfolio_frontier(result, weight, steps, keep_codes, stop_codes)
    if as_json:
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(f"Efficient frontier as of {payload['as_of']} ({currency})"
               + (f", risk weight λ = {weight}" if weight else ""))
    click.echo(f"Method: {answer.method}\n")
    click.echo(f"{'Budget':>18}{'Remaining cost':>18}{'Expected value':>18}  Selected")
    for point in payload["points"]:
        mark = "  ← current plan's cost" if point["budget"] == payload["current"]["remaining_cost"] else ""
        click.echo(f"{point['budget']:>18}{point['remaining_cost']:>18}{point['expected_remaining_value']:>18}  "
                   f"{len(point['selected'])} initiative(s){mark}")
    from decimal import Decimal

    from pmodesk.domain.money import format_money

    current = payload["current"]
    click.echo(f"\nCurrent plan: remaining cost {format_money(Decimal(current['remaining_cost']), currency)}, "
               f"expected remaining value {format_money(Decimal(current['expected_remaining_value']), currency)}.")
    for line in frontier_sentences(payload):
        click.echo(line)
