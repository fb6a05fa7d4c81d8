"""The command line (DESIGN.md section 13): a thin layer over the same functions the UI calls.

Every command but ``open`` (and bare ``pmodesk``) runs headless: nothing here imports Qt. Errors
are one sentence on stderr with the exit code of section 13, never a traceback.

Commands load lazily: a command's module is imported only when that command runs (or ``--help``
lists the commands), so ``pmodesk metrics`` never pays for the board pack or SQLAlchemy. To add a
command, register it by name and ``module:attribute`` — one line, nothing imported up front::

    cli.add_lazy_command("frontier", "pmodesk.cli.frontier:frontier")

``cli.add_command(command)`` still works for a command object already imported (it is then
imported eagerly, at every start-up: prefer ``add_lazy_command``).
"""

from __future__ import annotations

import importlib
import sqlite3
import sys

import click

from pmodesk.store.errors import StoreError


def _version(ctx: click.Context, shown: bool) -> None:
    """``--version``, looked up only when asked for (importlib.metadata costs ~50 ms at start-up)."""
    if not shown or ctx.resilient_parsing:
        return
    from pmodesk import __version__

    click.echo(f"pmodesk, version {__version__}")
    ctx.exit()


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use, by ``module:attribute``."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, str] = {}

    def add_lazy_command(self, name: str, target: str) -> None:
        self.lazy_commands[name] = target

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy_commands:
            module, attribute = self.lazy_commands[name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            self.commands[name] = command
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=lambda ctx, _, shown: _version(ctx, shown),
              help="Show the version and exit.")
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


cli.add_lazy_command("new", "pmodesk.cli.files:new")
cli.add_lazy_command("demo", "pmodesk.cli.files:demo")
cli.add_lazy_command("check", "pmodesk.cli.files:check")
cli.add_lazy_command("metrics", "pmodesk.cli.metrics:metrics")
cli.add_lazy_command("import", "pmodesk.cli.interchange:import_command")
cli.add_lazy_command("export", "pmodesk.cli.interchange:export_command")
cli.add_lazy_command("measurements", "pmodesk.cli.interchange:measurements")
cli.add_lazy_command("optimise", "pmodesk.cli.optimise:optimise")
cli.add_lazy_command("boardpack", "pmodesk.cli.boardpack:boardpack")
cli.add_lazy_command("scenario", "pmodesk.cli.scenario:scenario")
cli.add_lazy_command("copy", "pmodesk.cli.team:copy_command")
cli.add_lazy_command("server-setup", "pmodesk.cli.team:server_setup")
cli.add_lazy_command("template", "pmodesk.cli.template:template")
cli.add_lazy_command("frontier", "pmodesk.cli.frontier:frontier")
cli.add_lazy_command("risk", "pmodesk.cli.risk:risk")


def _quiet_exit(code: int) -> None:
    """Exit after the one-sentence error: a writer abandoned half-way (a workbook on a full disk)
    would otherwise print "Exception ignored" tracebacks while it is collected at exit."""
    sys.unraisablehook = lambda unraisable: None
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] in (["optimise"], ["frontier"]):
        from pmodesk.cli.optimise import spread_variadic

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
