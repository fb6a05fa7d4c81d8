"""The command line (DESIGN.md section 13): a thin layer over the same functions the UI calls.

Every command but ``open`` (and bare ``pmodesk``) runs headless: nothing here imports Qt. Errors
are one sentence on stderr with the exit code of section 13, never a traceback.
"""

from __future__ import annotations

import sqlite3
import sys

import click

from pmodesk import __version__
from pmodesk.cli.boardpack import boardpack
from pmodesk.cli.files import check, demo, new
from pmodesk.cli.frontier import frontier
from pmodesk.cli.interchange import export_command, import_command, measurements
from pmodesk.cli.metrics import metrics
from pmodesk.cli.optimise import optimise, spread_variadic
from pmodesk.cli.risk import risk
from pmodesk.cli.scenario import scenario
from pmodesk.cli.team import copy_command, server_setup
from pmodesk.cli.template import template
from pmodesk.store.errors import StoreError


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pmodesk")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """pmodesk: is each initiative delivering the value it was funded for?

    With no command, opens the desktop window on the last file (or a new copy of the demo).
    """
    if ctx.invoked_subcommand is None:
        from pmodesk.launch import open_window

        sys.exit(open_window(None))


@cli.command("open")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
def open_command(file: str) -> None:
    """Open FILE in the desktop window."""
    from pmodesk.launch import open_window

    sys.exit(open_window(file))


cli.add_command(new)
cli.add_command(demo)
cli.add_command(check)
cli.add_command(metrics)
cli.add_command(import_command)
cli.add_command(export_command)
cli.add_command(measurements)
cli.add_command(optimise)
cli.add_command(boardpack)
cli.add_command(scenario)
cli.add_command(copy_command)
cli.add_command(server_setup)
cli.add_command(template)
cli.add_command(frontier)
cli.add_command(risk)


def _quiet_exit(code: int) -> None:
    """Exit after the one-sentence error: a writer abandoned half-way (a workbook on a full disk)
    would otherwise print "Exception ignored" tracebacks while it is collected at exit."""
    sys.unraisablehook = lambda unraisable: None
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["optimise"], ["frontier"]):
        argv = spread_variadic(argv)
    try:
        cli.main(args=argv, prog_name="pmodesk", standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.Abort:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except StoreError as error:
        click.echo(str(error), err=True)
        _quiet_exit(error.exit_code)
    except OSError as error:
        from pmodesk.store.opening import failure_cause

        where = f" ({error.filename})" if error.filename else ""
        click.echo(f"Not saved: {failure_cause(error)}{where}; nothing was changed.", err=True)
        _quiet_exit(6)
    except sqlite3.DatabaseError as error:  # a damaged file met outside the store's own checks
        click.echo(f"The file is damaged: {error}.", err=True)
        _quiet_exit(3)
    sys.exit(0)
