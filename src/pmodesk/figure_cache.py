"""The figure cache: what the Portfolio view shows of a large file, kept between sessions.

Reading and computing a portfolio of 250,000 measurements takes most of a second; the figures of an
unchanged file at the same as-of date are the same. After the window has computed a file's figures it
keeps the health table's rows, the tiles' metrics and the filters' choices here, in the user's cache
folder (never beside the portfolio: a file that travels carries no stale copy of its figures). On the
next opening, if the key matches, the window shows them at once, then opens and computes as always and
replaces them.

The key is the file's identity and content version: its resolved path, size, ``mtime_ns`` and inode;
the SQLite header's file change counter and schema cookie (bytes 24–27 and 40–43, which SQLite moves
on every committed write); no ``-journal`` or ``-wal`` beside it (a transaction in flight, or committed
data not yet in the file); pmodesk's version and :data:`FORMAT`. The day they were computed on is kept
too: a file that fixes its as-of date has the same figures on any day; for one whose as-of date is
today, an earlier day's figures are shown as what they are (figures as of that day, the window's as-of
date says so) until today's are computed, so the first opening of each morning is as quick as the next.
Anything else — a different key, a corrupt or unreadable entry — is a miss, silently: a cache is never
an error to the user.

Plain standard library only: this runs before the engine, the domain records or SQLAlchemy are
imported. Money is written as decimal strings, dates as ISO dates, binary floats as JSON numbers
(which read back to the very same float).
"""

from __future__ import annotations

import json
import os
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

FORMAT = 1  # bump when what is kept, or what it means, changes
SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_BYTES = 20_000_000  # a larger entry is not ours (500 initiatives take about 200 kB)
MAX_ENTRIES = 20  # the most recently kept files' figures; older entries are removed when one is written

METRIC_FIELDS = ("benefits_realised_pct", "realisation_vs_plan_pct", "strategic_alignment_pct",
                 "strategic_alignment_by_investment_pct", "decision_cycle_time_median_days",
                 "decision_cycle_time_mean_days", "escalation_rate_pct", "portfolio_roi_pct",
                 "forecast_portfolio_roi_pct", "realised_value", "planned_value")


def cache_key(path: str | Path, today: date) -> dict | None:
    """The key of ``path``'s figures on ``today``, or None when they cannot be kept (no such file, not
    an SQLite file, a journal or write-ahead log beside it)."""
    try:
        resolved = Path(path).resolve()
        if any(os.path.lexists(f"{resolved}{suffix}") for suffix in ("-journal", "-wal")):
            return None
        with open(resolved, "rb") as handle:
            status = os.fstat(handle.fileno())
            header = handle.read(100)
    except (OSError, ValueError):
        return None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return None
    import pmodesk

    return {"path": str(resolved), "size": status.st_size, "mtime_ns": status.st_mtime_ns, "inode": status.st_ino,
            "change_counter": int.from_bytes(header[24:28], "big"),
            "schema_cookie": int.from_bytes(header[40:44], "big"),
            "today": today.isoformat(), "version": pmodesk.__version__, "format": FORMAT}


def entry_path(folder: Path, key: dict) -> Path:
    """One entry per portfolio file (a newer one replaces it), named after its resolved path. (Two paths
    with one checksum share an entry: each then replaces the other's, and the key tells them apart.)"""
    name = key["path"].encode("utf-8", "surrogateescape")
    return Path(folder) / f"{zlib.crc32(name):08x}{len(name):04x}.json"


# ------------------------------------------------------------------------------------------ the figures
def figures_of(data, result) -> dict:
    """What the Portfolio view shows of ``result`` (computed from ``data``), as plain JSON values."""
    initiatives = [_initiative(row.initiative) for row in result.initiatives]
    rows = [{"initiative": row.initiative.id, "investment": str(row.investment), "planned_value": row.planned_value,
             "realised_value": row.realised_value, "realisation_vs_plan_pct": row.realisation_vs_plan_pct,
             "forecast_attainment_pct": row.forecast_attainment_pct, "value_rag": row.value_rag,
             "aligned": row.aligned, "flags": list(row.flags),
             "triggered_rules": [{"code": t.rule.code, "action": t.rule.action.value} for t in row.triggered_rules]}
            for row in result.initiatives]
    return {
        "portfolio": {"name": data.portfolio.name, "currency": data.portfolio.currency},
        "as_of": result.as_of.isoformat(), "currency": result.currency,
        "metrics": _metrics(result.metrics), "previous_quarter": _metrics(result.previous_quarter),
        "initiatives": initiatives, "rows": rows,
        "kpis": [{"metric": k.metric, "baseline": _text(k.baseline), "target": _text(k.target)} for k in data.kpis],
        "objectives": [{"id": o.id, "code": o.code, "title": o.title} for o in data.objectives],
        "objective_links": [[link.initiative_id, link.objective_id] for link in data.objective_links],
    }


def _initiative(initiative) -> dict:
    return {"id": initiative.id, "code": initiative.code, "name": initiative.name,
            "description": initiative.description, "stage": initiative.stage.value, "owner": initiative.owner}


def _metrics(metrics) -> dict:
    return {name: getattr(metrics, name) for name in METRIC_FIELDS}


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def shown(figures: dict) -> tuple[SimpleNamespace, SimpleNamespace]:
    """(data, result) for the Portfolio view from :func:`figures_of`'s plain values: objects with the
    attributes the health table, the tiles and the filters read, and nothing else (no benefits, no
    measurements, no commentary: those come with the full read)."""
    from pmodesk.domain.enums import Action, Stage

    initiatives = {}
    for item in figures["initiatives"]:
        initiatives[item["id"]] = SimpleNamespace(
            id=item["id"], code=item["code"], name=item["name"], description=item["description"],
            stage=Stage(item["stage"]), owner=item["owner"])
    rows = tuple(SimpleNamespace(
        initiative=initiatives[row["initiative"]], investment=Decimal(row["investment"]),
        planned_value=row["planned_value"], realised_value=row["realised_value"],
        realisation_vs_plan_pct=row["realisation_vs_plan_pct"], forecast_attainment_pct=row["forecast_attainment_pct"],
        value_rag=row["value_rag"], aligned=row["aligned"], flags=tuple(row["flags"]),
        triggered_rules=tuple(SimpleNamespace(rule=SimpleNamespace(code=t["code"], action=Action(t["action"])))
                              for t in row["triggered_rules"]))
        for row in figures["rows"])
    as_of = date.fromisoformat(figures["as_of"])
    data = SimpleNamespace(
        portfolio=SimpleNamespace(**figures["portfolio"]),
        initiatives=tuple(initiatives.values()),
        kpis=tuple(SimpleNamespace(metric=k["metric"], baseline=_decimal(k["baseline"]), target=_decimal(k["target"]))
                   for k in figures["kpis"]),
        objectives=tuple(SimpleNamespace(**o) for o in figures["objectives"]),
        objective_links=tuple(SimpleNamespace(initiative_id=i, objective_id=o) for i, o in figures["objective_links"]),
        commentary=(), cached=True)
    result = SimpleNamespace(
        as_of=as_of, currency=figures["currency"], initiatives=rows,
        metrics=SimpleNamespace(as_of=as_of, **figures["metrics"]),
        previous_quarter=SimpleNamespace(**figures["previous_quarter"]), cached=True)
    return data, result


# ------------------------------------------------------------------------------------------ reading and writing
def read(folder: str | Path | None, path: str | Path, today: date) -> tuple[Any, Any] | None:
    """The kept (data, result) of ``path`` on ``today`` (see :func:`shown`), or None: no entry, another
    key, or anything wrong with the entry. ``data.earlier_day`` says the figures are an earlier day's
    (their ``result.as_of``) for a file whose figures are as of today: today's are yet to be computed."""
    if folder is None:
        return None
    key = cache_key(path, today)
    if key is None:
        return None
    try:
        entry = entry_path(Path(folder), key)
        if entry.stat().st_size > MAX_BYTES:
            return None
        kept = json.loads(entry.read_bytes())
        if not isinstance(kept, dict) or not _matches(kept.get("key"), key):
            return None
        data, result = shown(kept["figures"])
        # Kept on an earlier day for a file whose as-of date is today: they are that day's figures (they
        # say so: their as-of date), shown until today's are computed.
        data.earlier_day = kept["key"].get("today") != key["today"] and kept.get("as_of_follows_today") is not False
        return data, result
    except Exception:  # noqa: BLE001 - a corrupt or unreadable entry is a miss, never an error
        return None


def _matches(kept: Any, key: dict) -> bool:
    """The kept key is this key, or differs only in the day: the same file's figures, kept on another day
    (the same figures when the file fixes its as-of date; else those of their own, earlier, as-of date)."""
    if not isinstance(kept, dict):
        return False
    return {k: v for k, v in kept.items() if k != "today"} == {k: v for k, v in key.items() if k != "today"}


def as_of_follows_today(data, result) -> bool:
    """Whether ``result``'s as-of date is the portfolio's default because it is today (it moves with the
    day), rather than a date the file fixes."""
    return any(data.portfolio.default_as_of(day) != result.as_of for day in (date.min, date.max))


def write(folder: str | Path | None, key: dict | None, data, result) -> bool:
    """Keep ``result``'s figures under ``key`` (taken before the file was read, so a write meanwhile makes
    a key that never matches again), atomically. True if kept; any failure is silent."""
    if folder is None or key is None:
        return False
    try:
        from pmodesk.atomic import atomic_destination

        text = json.dumps({"key": key, "as_of_follows_today": as_of_follows_today(data, result),
                           "figures": figures_of(data, result)}, ensure_ascii=False, separators=(",", ":"))
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder, 0o700)  # a client's figures: for this user's eyes only
        with atomic_destination(entry_path(folder, key)) as temporary:
            temporary.write_text(text, encoding="utf-8")
        _prune(folder)
        return True
    except Exception:  # noqa: BLE001 - a cache that cannot be written is simply not kept
        return False


def _prune(folder: Path) -> None:
    """Keep the :data:`MAX_ENTRIES` most recently written entries; the cache stays small."""
    entries = sorted((entry.stat().st_mtime_ns, entry.path) for entry in os.scandir(folder)
                     if entry.name.endswith(".json") and entry.is_file())
    for _, old in entries[:-MAX_ENTRIES]:
        try:
            os.unlink(old)
        except OSError:
            pass
