"""``pmodesk copy`` and ``pmodesk server-setup``: portfolios on a PostgreSQL server (DESIGN.md section 16)."""

from __future__ import annotations

import click


@click.command("copy")
@click.argument("source")
@click.argument("destination")
@click.option("--replace", is_flag=True, help="Replace the portfolio at DESTINATION if there is one.")
def copy_command(source: str, destination: str, replace: bool) -> None:
    """Copy a whole portfolio from SOURCE to DESTINATION (each a file or a postgresql:// location), all or nothing."""
    from pmodesk.store.location import copy_portfolio, location_label

    copy_portfolio(source, destination, replace=replace)
    click.echo(f"Copied {location_label(source)} to {location_label(destination)}")


@click.command("server-setup")
@click.argument("location")
@click.option("--print-sql", is_flag=True, help="Print the SQL for a database administrator instead of running it.")
def server_setup(location: str, print_sql: bool) -> None:
    """Create LOCATION's schema and its roles pmodesk_NAME_readers and pmodesk_NAME_editors, with their grants.

    Repeatable: running it again changes nothing that is already right.
    """
    from pmodesk.store.location import BadLocation, ServerLocation, parse_location

    where = parse_location(location)
    if not isinstance(where, ServerLocation):
        raise BadLocation("server-setup takes a postgresql:// location, not a file.")
    from pmodesk.store import server, server_schema

    if print_sql:
        click.echo(f"-- pmodesk server-setup for portfolio {where.portfolio} in database {where.database}; run as "
                   "the role that will own it,")
        click.echo("-- with psql -v ON_ERROR_STOP=1 --single-transaction, so that a name taken in another database "
                   "stops it.")
        for statement in server_schema.setup_sql(where.portfolio, where.database, with_tables=False):
            click.echo(statement + ";")
        click.echo("-- Once the portfolio exists (pmodesk copy or import creates it, and grants these itself "
                   "when the roles exist):")
        for statement in server_schema.grant_sql(where.portfolio):
            click.echo(statement + ";")
        return
    server.server_setup(where)
    readers, editors = server_schema.role_names(where.portfolio)
    click.echo(f"Set up {where.label}: roles {readers} and {editors}.")
