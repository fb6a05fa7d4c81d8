"""``pmodesk risk``: value at risk — the spread of forecast value and ROI (DESIGN.md section 17)."""

from __future__ import annotations

import json

import click

from pmodesk.cli.metrics import AS_OF, resolve_as_of
from pmodesk.store.location import open_location


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--as-of", type=AS_OF, default=None, help="Compute as of this date (YYYY-MM-DD).")
@click.option("--runs", type=int, default=10_000, show_default=True, help="Monte Carlo runs (1 to 100,000).")
@click.option("--seed", type=int, default=None, help="Random seed (default fixed, so the answer is reproducible).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON object of DESIGN.md section 17.")
def risk(file: str, as_of, runs: int, seed: int | None, as_json: bool) -> None:
    """How sure the forecast value is: P10, P50 and P90 of forecast value and forecast portfolio ROI."""
    from pmodesk.engine.portfolio import compute
    from pmodesk.engine.risk import DEFAULT_SEED, MAX_RUNS, largest_downside, risk_json, value_at_risk

    if not 1 <= runs <= MAX_RUNS:
        raise click.BadParameter(f"N must be a whole number from 1 to {MAX_RUNS:,}", param_hint="--runs")
    seed = DEFAULT_SEED if seed is None else seed
    if seed < 0:
        raise click.BadParameter("the seed must be zero or more", param_hint="--seed")
    with open_location(file, read_only=True) as store:
        data = store.load()
    result = compute(data, resolve_as_of(as_of, data.portfolio))
    var = value_at_risk(result, runs, seed)
    currency = data.portfolio.currency
    payload = risk_json(var, currency)
    if as_json:
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    p = payload["portfolio"]
    click.echo(f"Value at risk as of {payload['as_of']} ({currency})")
    click.echo(f"Method: {payload['method']}\n")
    fv = p["forecast_value"]
    click.echo(f"{'':<28}{'P10':>18}{'P50':>18}{'P90':>18}")
    click.echo(f"{'Forecast value':<28}{fv['p10']:>18}{fv['p50']:>18}{fv['p90']:>18}")
    roi = p["forecast_roi_pct"]
    if roi["p50"] is None:
        click.echo(f"{'Forecast portfolio ROI':<28}{'—':>18}{'—':>18}{'—':>18}")
    else:
        click.echo(f"{'Forecast portfolio ROI':<28}{roi['p10']:>17.1f}%{roi['p50']:>17.1f}%{roi['p90']:>17.1f}%")
    if p["probability_roi_target"] is None:
        click.echo("\nProbability that forecast ROI reaches its target: — (no portfolio ROI target recorded)")
    else:
        click.echo(f"\nProbability that forecast ROI reaches its target: {100 * p['probability_roi_target']:.1f}%")
    downside = largest_downside(var)
    if downside:
        click.echo("\nContributing most to the downside (mean in the worst 10% of runs minus the mean):")
        by_code = {i["code"]: i for i in payload["initiatives"]}
        for item in downside:
            click.echo(f"  {item.code:<12}{by_code[item.code]['downside_contribution']:>18}")
    held = payload["held_at_latest_actual"]
    if held:
        click.echo(f"\nHeld at their latest actual (no forecast): {', '.join(held)}")
