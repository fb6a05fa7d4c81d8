"""``pmodesk boardpack``: the board pack as PDF, or PowerPoint when OUTPUT ends in .pptx (DESIGN.md section 10)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pmodesk.cli.metrics import AS_OF, resolve_as_of
from pmodesk.store.location import location_label, open_location


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The pack to write: .pdf, or .pptx for PowerPoint.")
@click.option("--as-of", type=AS_OF, default=None, help="Figures as of this date (default today, or the "
              "portfolio's fixed as-of date).")
@click.option("--meeting-date", type=AS_OF, default=None, help="The board meeting (default: the as-of date).")
@click.option("--decisions-since", type=AS_OF, default=None,
              help="Decision log from this date (default: start of the previous quarter).")
@click.option("--paper", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--scenario", default=None, metavar="NAME", help="Add a page comparing scenario NAME with the plan.")
def boardpack(file: str, output: str, as_of, meeting_date, decisions_since, paper: str, scenario: str | None) -> None:
    """Write the board pack of FILE to OUTPUT."""
    from pmodesk.boardpack.document import build_board_pack, default_options

    from pmodesk.boardpack.document import FORMATS

    if Path(output).suffix.lower() not in FORMATS:
        raise click.BadParameter("the output must end in .pdf or .pptx", param_hint="--output")
    if not Path(output).resolve().parent.is_dir():
        raise click.BadParameter(f"the folder of {output} does not exist", param_hint="--output")
    with open_location(file, read_only=True) as store:
        data = store.load()
    scenario_id = None
    if scenario is not None:
        match = [s.id for s in data.scenarios if s.name == scenario]
        if not match:
            raise click.UsageError(f"there is no scenario {scenario!r}")
        scenario_id = match[0]
    options = default_options(data, resolve_as_of(as_of, data.portfolio),
                              meeting_date.date() if meeting_date else None,
                              decisions_since.date() if decisions_since else None, paper, location_label(file), scenario_id)
    if sys.stdout.isatty():
        with click.progressbar(length=1000, label="Board pack", show_eta=False) as bar:
            done = [0]

            def progress(fraction: float, message: str) -> None:
                step = int(fraction * 1000) - done[0]
                if step > 0:
                    bar.update(step)
                    done[0] += step

            pages = build_board_pack(data, output, options, progress)
    else:
        pages = build_board_pack(data, output, options)
    unit = "slides" if Path(output).suffix.lower() == ".pptx" else "pages"
    click.echo(f"Wrote {output} ({pages} {unit}, as of {options.as_of.isoformat()})")
