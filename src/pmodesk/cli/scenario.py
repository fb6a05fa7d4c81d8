"""``pmodesk scenario``: a scenario's figures side by side with the current plan (DESIGN.md s. 9)."""

from __future__ import annotations

import json

import click

from pmodesk.cli.metrics import AS_OF, resolve_as_of
from pmodesk.store.location import open_location


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("name")
@click.option("--as-of", type=AS_OF, default=None, help="Compute as of this date (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print current, scenario and difference as JSON.")
def scenario(file: str, name: str, as_of, as_json: bool) -> None:
    """Compare scenario NAME of FILE with the current plan."""
    from pmodesk.engine.portfolio import METRICS
    from pmodesk.engine.scenarios import compare, comparison_json

    with open_location(file, read_only=True) as store:
        data = store.load()
    match = [s for s in data.scenarios if s.name == name]
    if not match:
        known = ", ".join(repr(s.name) for s in data.scenarios) or "none"
        raise click.UsageError(f"there is no scenario {name!r} (scenarios: {known})")
    out = comparison_json(compare(data, match[0].id, resolve_as_of(as_of, data.portfolio)))
    if as_json:
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    click.echo(f"{out['scenario']} — as of {out['as_of']} ({out['currency']})\n")
    click.echo(f"{'':<30}{'Current plan':>16}{'Scenario':>16}{'Difference':>14}")
    show = lambda v, unit: "—" if v is None else (f"{v:,.1f}{unit}" if not isinstance(v, str) else v)  # noqa: E731
    for key, label, unit, _ in METRICS:
        diff = out["difference"][key]
        click.echo(f"{label:<30}{show(out['current'][key], unit):>16}{show(out['with_scenario'][key], unit):>16}"
                   f"{'—' if diff is None else f'{diff:+,.1f}':>14}")
    for key, label in (("remaining_cost", "Remaining cost"), ("expected_remaining_value", "Expected remaining value"),
                       ("realised_value", "Realised value")):
        click.echo(f"{label:<30}{out['current'][key]:>16}{out['with_scenario'][key]:>16}{out['difference'][key]:>14}")
