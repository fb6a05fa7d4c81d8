"""``pmodesk new``, ``pmodesk demo`` and ``pmodesk check``."""

from __future__ import annotations

import sys

import click

from pmodesk.domain import model
from pmodesk.domain.money import MoneyError, minor_unit
from pmodesk.store.location import create_at, open_location


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--name", required=True, help="The portfolio's name.")
@click.option("--currency", default="GBP", show_default=True, help="ISO 4217 code of the portfolio currency.")
@click.option("--client", default=None, help="The client or organisation.")
@click.option("--fiscal-year-start", type=click.IntRange(1, 12), default=1, show_default=True,
              help="Month the fiscal year starts (4 = April).")
@click.option("--replace", is_flag=True, help="Replace FILE if it exists.")
def new(file: str, name: str, currency: str, client: str | None, fiscal_year_start: int, replace: bool) -> None:
    """Create a new, empty portfolio FILE."""
    currency = currency.strip().upper()
    try:
        minor_unit(currency)
    except MoneyError as error:
        raise click.BadParameter(str(error), param_hint="--currency") from None
    if not name.strip():
        raise click.BadParameter("the name must not be empty", param_hint="--name")
    portfolio = model.Portfolio(name=name.strip(), currency=currency, client=client,
                                fiscal_year_start_month=fiscal_year_start)
    create_at(file, portfolio, replace_existing=replace).close()
    click.echo(f"Created {_named(file)}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace FILE if it exists.")
def demo(file: str, replace: bool) -> None:
    """Write the demo portfolio to FILE."""
    from pmodesk.demo import write_demo

    write_demo(file, replace_existing=replace).close()
    click.echo(f"Wrote the demo portfolio to {_named(file)}")


def _named(location: str) -> str:
    """A file as given; a server location as its label (portfolio and database, never credentials)."""
    from pmodesk.store.location import is_server, location_label

    return location_label(location) if is_server(location) else location


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
def check(file: str) -> None:
    """Check FILE: integrity and the rules every record must keep. Exit 1 when anything is found."""
    from pmodesk.checks import findings

    with open_location(file, read_only=True) as store:
        store.check_damage()  # damage is a refused file (exit 3), not a finding
        found = findings(store)
    for code, finding in found:
        click.echo(f"{code}: {finding}")
    click.echo(f"{len(found)} finding{'' if len(found) == 1 else 's'}")
    sys.exit(1 if found else 0)



