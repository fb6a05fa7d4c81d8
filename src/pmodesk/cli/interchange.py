"""``pmodesk import``, ``pmodesk export`` and ``pmodesk measurements import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmodesk.store.location import open_location


class InvalidInputExit(click.ClickException):
    exit_code = 4

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


def _report_invalid(error) -> None:
    for warning in error.warnings:
        click.echo(f"warning: {warning}", err=True)
    lines = "\n".join(error.errors)
    noun = "problem" if len(error.errors) == 1 else "problems"
    raise InvalidInputExit(f"{lines}\nNothing was imported: {len(error.errors)} {noun} found.")


@click.command("import")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace FILE if it exists (atomically).")
def import_command(source: str, file: str, replace: bool) -> None:
    """Create portfolio FILE from SOURCE (.json or .xlsx)."""
    from pmodesk.interchange.document import InvalidInput
    from pmodesk.interchange.files import UnknownFormat, import_portfolio

    if not Path(source).exists():
        raise click.BadParameter(f"there is no file {source}", param_hint="SOURCE")
    try:
        warnings = import_portfolio(source, file, replace=replace)
    except UnknownFormat as error:
        raise click.BadParameter(str(error), param_hint="SOURCE") from None
    except InvalidInput as error:
        _report_invalid(error)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"Imported {source} into {file}")


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("destination", type=click.Path(dir_okay=False))
def export_command(file: str, destination: str) -> None:
    """Write portfolio FILE to DESTINATION (.json or .xlsx)."""
    from pmodesk.interchange.files import FORMATS, export_portfolio

    if Path(destination).suffix.lower() not in FORMATS:
        raise click.BadParameter("the destination must end in .json or .xlsx", param_hint="DESTINATION")
    with open_location(file, read_only=True) as store:
        data = store.load()
    export_portfolio(data, destination)
    click.echo(f"Exported {file} to {destination}")


@click.group()
def measurements() -> None:
    """Measurements from operational data."""


@measurements.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("data", type=click.Path(dir_okay=False))
@click.option("--delimiter", type=click.Choice([",", ";", "tab"]), default=None,
              help="Column separator (default: detected).")
@click.option("--decimal-comma/--decimal-point", default=None,
              help="Whether values use a decimal comma (default: detected).")
def measurements_import(file: str, data: str, delimiter: str | None, decimal_comma: bool | None) -> None:
    """Append the dated actuals in DATA (benefit,date,value,source,note) to FILE."""
    from pmodesk.interchange.document import InvalidInput
    from pmodesk.interchange.measurements_csv import read_measurements
    from pmodesk.store.errors import ReadOnly

    if not Path(data).exists():
        raise click.BadParameter(f"there is no file {data}", param_hint="DATA")
    with open_location(file) as store:
        if store.read_only:
            raise ReadOnly(store.status.messages()[0] if store.status.messages() else "The file is read-only.")
        try:
            found = read_measurements(Path(data), store.load(), delimiter="\t" if delimiter == "tab" else delimiter,
                                      decimal_comma=decimal_comma)
        except InvalidInput as error:
            _report_invalid(error)
        with store.edit() as edit:
            edit.insert_many(list(found.added))
    for warning in found.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"Added {len(found.added)} measurement{'s' if len(found.added) != 1 else ''}, "
               f"skipped {found.skipped} already present.")
    sys.exit(0)
