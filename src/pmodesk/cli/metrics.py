"""``pmodesk metrics``: every figure of DESIGN.md sections 6–8 at an as-of date."""

from __future__ import annotations

import json
from datetime import date

import click

AS_OF = click.DateTime(formats=["%Y-%m-%d"])


def resolve_as_of(value, portfolio) -> date:
    return value.date() if value is not None else portfolio.default_as_of(date.today())


def _import_in_background() -> None:
    """Import NumPy on a second thread while this one waits on SQLite (the file's checks and
    reads run in C without the GIL): the array path needs it. Imports are thread-safe; a later
    ``import numpy`` simply waits for this one to finish."""
    import threading

    def warm() -> None:
        try:
            import numpy  # noqa: F401
        except ImportError:  # pragma: no cover - the importing thread reports it properly
            pass

    threading.Thread(target=warm, name="pmodesk-imports", daemon=True).start()


def figures(file: str, as_of, *, reference: bool = False):
    """The portfolio and every figure at the as-of date.

    The fast path reads measurements as columns and computes all benefits at once in arrays
    (``store.columns`` and ``engine.arrays``, identical figures). Where that read cannot vouch for the
    file (an older schema, a server location, an unusual stored value) it answers ``None`` and the
    store's own read (``open_location(...).load()``) and the reference ``compute`` run instead.
    """
    read = None
    if not reference:
        from pmodesk.store.columns import read_for_figures

        _import_in_background()
        read = read_for_figures(file)
    if read is None:
        from pmodesk.engine.portfolio import compute
        from pmodesk.store.location import open_location

        with open_location(file, read_only=True) as store:
            data = store.load()
        return data, compute(data, resolve_as_of(as_of, data.portfolio))
    from pmodesk.engine.arrays import compute_columns

    data, measurements, amounts = read
    return data, compute_columns(data, measurements, resolve_as_of(as_of, data.portfolio), amounts)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}%"


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f} days"


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--as-of", type=AS_OF, default=None, help="Compute as of this date (YYYY-MM-DD); default today "
              "or the portfolio's fixed as-of date.")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON object of DESIGN.md section 13.")
@click.option("--reference", is_flag=True, hidden=True,
              help="Read through Store.load and compute one benefit at a time (the reference path).")
def metrics(file: str, as_of, as_json: bool, reference: bool) -> None:
    """Print the value metrics of FILE."""
    import gc

    from pmodesk.engine.presentation import metrics_json

    gc.disable()  # one short run building many small objects and no cycles: nothing to collect

    data, result = figures(file, as_of, reference=reference)
    payload = metrics_json(result)
    if as_json:
        # Compact (no indent): the standard library's C encoder only runs without one.
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    p = payload["portfolio"]
    prev = p["previous_quarter"]
    click.echo(f"{data.portfolio.name} — as of {payload['as_of']} ({payload['currency']})")
    from pmodesk.engine.portfolio import METRICS

    shown = lambda v, unit: _pct(v) if unit == "%" else _days(v)  # noqa: E731
    rows = [(label, shown(p[key], unit), shown(prev[key], unit)) for key, label, unit, _ in METRICS]
    click.echo(f"\n{'Metric':<30}{'This quarter':>16}{'Previous':>16}")
    for name, now, before in rows:
        click.echo(f"{name:<30}{now:>16}{before:>16}")
    click.echo(f"\nRealised value {p['realised_value']} of planned {p['planned_value']}; "
               f"actual cost {p['actual_cost']} of planned investment {p['planned_investment']}")
    click.echo(f"\n{'Initiative':<10}{'Stage':<13}{'Realised':>15}{'Planned':>15}{'vs plan':>9}  {'RAG':<6}Flags")
    for i in payload["initiatives"]:
        flags = ", ".join(i["flags"] + [f"rule {r['rule']} → {r['action']}" for r in i["triggered_rules"]])
        click.echo(f"{i['code']:<10}{i['stage']:<13}{i['realised_value']:>15}{i['planned_value']:>15}"
                   f"{_pct(i['realisation_vs_plan_pct']):>9}  {(i['value_rag'] or '—'):<6}{flags}")
    if payload["decisions_required"]:
        click.echo("\nDecisions required:")
        for r in payload["decisions_required"]:
            click.echo(f"  {r['action']:<10}{r['initiative']} rule {r['rule']}: {r['metric']} = "
                       f"{r['observed']:.2f} {r['comparator']} {r['threshold']}")
