"""``pmodesk import``, ``pmodesk export`` and ``pmodesk measurements import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmodesk.store.location import is_server, open_location


class InvalidInputExit(click.ClickException):
    exit_code = 4

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


def _warn(warnings) -> None:
    from pmodesk.interchange.rows import grouped, safe_text

    for warning in grouped(list(warnings)):
        click.echo(f"warning: {safe_text(warning)}", err=True)


def _report_invalid(error, dry_run: bool = False) -> None:
    _warn(error.warnings)
    lines = "\n".join(error.report())
    noun = "problem" if len(error.errors) == 1 else "problems"
    ending = "The import would fail" if dry_run else "Nothing was imported"
    raise InvalidInputExit(f"{lines}\n{ending}: {len(error.errors)} {noun} found.")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()) or "nothing"


def _options(map_file: str | None, date_order: str | None, update: bool):
    from pmodesk.interchange.mapping import ReadOptions, load_map

    options = load_map(map_file, date_order) if map_file else ReadOptions(date_order=date_order)
    options.update = update
    return options


@click.command("import")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace FILE if it exists (atomically).")
@click.option("--update", is_flag=True,
              help="Update the existing portfolio FILE by code: change what SOURCE names, add new rows, delete nothing.")
@click.option("--dry-run", is_flag=True, help="Read and check everything, report what would change, write nothing.")
@click.option("--map", "map_file", type=click.Path(dir_okay=False),
              help="MAP.json: which sheets, header rows and columns of SOURCE feed which fields (see README).")
@click.option("--date-order", type=click.Choice(["dmy", "mdy"]),
              help="How to read text dates that are not YYYY-MM-DD: dmy (31/03/2027) or mdy (03/31/2027).")
def import_command(source: str, file: str, replace: bool, update: bool, dry_run: bool, map_file: str | None,
                   date_order: str | None) -> None:
    """Create portfolio FILE from SOURCE (.json or .xlsx), or update it with --update."""
    from pmodesk.interchange.document import InvalidInput
    from pmodesk.interchange.files import UnknownFormat, import_portfolio, read_portfolio, read_raw
    from pmodesk.interchange.update import apply_plan, plan_create, plan_update
    from pmodesk.store.errors import ReadOnly, TargetExists

    if update and replace:
        raise click.UsageError("--update and --replace cannot be used together")
    if not Path(source).exists():
        raise click.BadParameter(f"there is no file {source}", param_hint="SOURCE")
    if map_file and not Path(map_file).exists():
        raise click.BadParameter(f"there is no file {map_file}", param_hint="--map")
    if update and not is_server(file) and not Path(file).exists():
        raise click.BadParameter(f"there is no portfolio {file} to update", param_hint="FILE")
    if not update and not replace and not is_server(file) and Path(file).exists():
        raise TargetExists(f"{Path(file).name} already exists; it was not replaced (use --replace, or --update to "
                           "bring it in step with the source).")
    try:
        options = _options(map_file, date_order, update)
        if update:
            with open_location(file, read_only=dry_run) as store:
                if store.read_only and not dry_run:
                    raise ReadOnly(store.read_only_message())
                plan = plan_update(store.load(), read_raw(Path(source), options))
                if not dry_run:
                    apply_plan(store, plan)
        elif dry_run:
            plan = plan_create(*read_portfolio(Path(source), options))
        else:
            warnings = import_portfolio(source, file, replace=replace, options=options)
    except UnknownFormat as error:
        raise click.BadParameter(str(error), param_hint="SOURCE") from None
    except InvalidInput as error:
        _report_invalid(error, dry_run)
    if not update and not dry_run:
        _warn(warnings)
        click.echo(f"Imported {source} into {file}")
        return
    _warn(plan.warnings)
    verb = "Would" if dry_run else "Did"
    if update:
        changes = plan.change_lines()
        if dry_run:
            for line in changes:
                click.echo(f"  {line}")
        click.echo(f"{'Would add' if dry_run else 'Added'}: {_counts(plan.created())}.")
        click.echo(f"{'Would update' if dry_run else 'Updated'}: {_counts(plan.updated())} "
                   f"({len(changes)} field{'s' if len(changes) != 1 else ''} changed).")
    else:
        click.echo(f"{verb} create {file} with: {_counts(plan.created())}.")
    if dry_run:
        click.echo("Dry run: nothing was written.")


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
@click.option("--date-order", type=click.Choice(["dmy", "mdy"]),
              help="How to read text dates that are not YYYY-MM-DD: dmy (31/03/2027) or mdy (03/31/2027).")
@click.option("--dry-run", is_flag=True, help="Read and check everything, report what would be added, write nothing.")
def measurements_import(file: str, data: str, delimiter: str | None, decimal_comma: bool | None,
                        date_order: str | None, dry_run: bool) -> None:
    """Append the dated actuals in DATA (benefit,date,value,source,note) to FILE."""
    from pmodesk.interchange.document import InvalidInput
    from pmodesk.interchange.measurements_csv import read_measurements
    from pmodesk.store.errors import ReadOnly

    if not Path(data).exists():
        raise click.BadParameter(f"there is no file {data}", param_hint="DATA")
    with open_location(file, read_only=dry_run) as store:
        if store.read_only and not dry_run:
            raise ReadOnly(store.status.messages()[0] if store.status.messages() else "The file is read-only.")
        try:
            found = read_measurements(Path(data), store.load(), delimiter="\t" if delimiter == "tab" else delimiter,
                                      decimal_comma=decimal_comma, date_order=date_order)
        except InvalidInput as error:
            _report_invalid(error, dry_run)
        if not dry_run:
            with store.edit() as edit:
                edit.insert_many(list(found.added))
    _warn(found.warnings)
    plural = "s" if len(found.added) != 1 else ""
    if dry_run:
        click.echo(f"Would add {len(found.added)} measurement{plural}, skip {found.skipped} already present.")
        click.echo("Dry run: nothing was written.")
    else:
        click.echo(f"Added {len(found.added)} measurement{plural}, skipped {found.skipped} already present.")
    sys.exit(0)
