"""Import and export of whole portfolio files, by extension (``.json``, ``.xlsx``)."""

from __future__ import annotations

from pathlib import Path

from pmodesk.atomic import atomic_destination

from pmodesk.domain import model
from pmodesk.interchange.document import InvalidInput, RawDocument, parse, to_document
from pmodesk.interchange.mapping import ReadOptions
from pmodesk.store import Store
from pmodesk.store.errors import NotSaved
from pmodesk.store.location import create_at

FORMATS = (".json", ".xlsx")


class UnknownFormat(ValueError):
    pass


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UnknownFormat(f"{path.name}: pmodesk reads and writes .json and .xlsx portfolios, not {suffix or 'this'}")
    return suffix


def read_raw(source: Path, options: ReadOptions | None = None) -> RawDocument:
    """The rows of a JSON or workbook source, not yet checked against each other."""
    kind = _kind(source)
    if kind == ".json":
        from pmodesk.interchange.json_format import read_json

        return read_json(source, options)
    from pmodesk.interchange.xlsx_format import read_xlsx

    return read_xlsx(source, options)


def read_portfolio(source: Path, options: ReadOptions | None = None) -> tuple[model.PortfolioData, list[str]]:
    """Parse a JSON or workbook portfolio; raise InvalidInput listing every problem."""
    return parse(read_raw(Path(source), options))


def populate_from(data: model.PortfolioData):
    """A ``Store.create`` populate step that writes every record of ``data`` in one transaction."""

    def populate(store: Store) -> None:
        with store.edit(audit=False) as edit:
            edit.update("portfolio", 1, **{f: getattr(data.portfolio, f) for f in (
                "client", "fiscal_year_start_month", "as_of_mode", "as_of_date", "rag_green_pct", "rag_amber_pct",
                "confidentiality", "risk_weight")})
            for records in (data.kpis, data.objectives, data.initiatives, data.objective_links, data.planned_spend,
                            data.cost_actuals, data.outputs):
                edit.insert_many(list(records))
            for outcome in data.outcomes:
                edit.insert(outcome)
            for benefit in data.benefits:
                edit.insert(benefit)
            for records in (data.trajectory, data.measurements, data.pivot_rules, data.decisions, data.scenarios,
                            data.scenario_overrides, data.commentary):
                edit.insert_many(list(records))

    return populate


def import_portfolio(source: str | Path, target: str | Path, *, replace: bool = False,
                     options: ReadOptions | None = None) -> list[str]:
    """Create ``target`` from ``source`` atomically; nothing is written unless everything is valid."""
    data, warnings = read_portfolio(Path(source), options)
    portfolio = model.Portfolio(name=data.portfolio.name, currency=data.portfolio.currency)
    create_at(target, portfolio, replace_existing=replace, populate=populate_from(data)).close()
    return warnings


def export_portfolio(data: model.PortfolioData, destination: str | Path) -> None:
    """Write ``data`` as JSON or a workbook, through a temporary file renamed into place."""
    destination = Path(destination)
    kind = _kind(destination)
    document = to_document(data)
    try:
        with atomic_destination(destination) as temp:
            if kind == ".json":
                from pmodesk.interchange.json_format import dumps

                temp.write_text(dumps(document), encoding="utf-8")
            else:
                from pmodesk.interchange.xlsx_format import write_xlsx

                write_xlsx(document, temp)
    except OSError as error:
        raise NotSaved(f"{destination.name} could not be written ({error.strerror or error}); nothing was left "
                       "there.") from None


__all__ = ["FORMATS", "InvalidInput", "UnknownFormat", "export_portfolio", "import_portfolio", "read_portfolio"]
