"""``pmodesk template OUT.xlsx``: the empty workbook to fill in (DESIGN.md sections 12 and 13)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("template")
@click.argument("destination", type=click.Path(dir_okay=False))
def template(destination: str) -> None:
    """Write the workbook to fill in: a sheet per list, drop-downs, formats and a README sheet."""
    from pmodesk.interchange.template import write_template

    if Path(destination).suffix.lower() != ".xlsx":
        raise click.BadParameter("the template is an Excel workbook; give a name ending in .xlsx",
                                 param_hint="DESTINATION")
    write_template(destination)
    click.echo(f"Wrote {destination}: fill it in, then `pmodesk import {destination} NEW.pmodesk`.")
