"""Every field of every entity is carried by every layer, and survives export then import.

The walk fails when a field is added to a domain record and any layer misses it: the store's field
specs, the interchange declaration (and so the workbook sheets, header matching and the template),
the JSON and workbook writers, or the reader. The round trip is field by field, on a portfolio that
sets every optional field to something other than its default.
"""

from __future__ import annotations

import dataclasses
import inspect
from datetime import date, datetime
from decimal import Decimal

import pytest

from pmodesk.domain import enums, model
from pmodesk.interchange import fields
from pmodesk.interchange.document import to_document
from pmodesk.interchange.files import export_portfolio, import_portfolio, populate_from
from pmodesk.store import Store
from pmodesk.store.tables import SPECS

NOT_ENTITIES = {"PortfolioData"}
LINKS = {"output_ids"}  # held by the outcome_output and benefit_output link tables and sheets


def _records() -> list[type]:
    return [cls for name, cls in inspect.getmembers(model, inspect.isclass)
            if dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__ and name not in NOT_ENTITIES]


def _spec_of(cls):
    return next((s for s in SPECS.values() if s.record is cls), None)


def test_every_domain_field_is_in_the_store_and_in_the_interchange_declaration():
    missing = []
    for cls in _records():
        spec = _spec_of(cls)
        if spec is None:
            missing.append(f"{cls.__name__}: no store table")
            continue
        declared = {f.column for f in (fields.PORTFOLIO if spec.name == "portfolio" else
                                       fields.LISTS.get(_list_of(spec.name), ()))}
        for f in dataclasses.fields(cls):
            if f.name in LINKS:
                assert f"{spec.name}_output" in SPECS, f"{cls.__name__}.{f.name}: no link table"
                link_list = f"{spec.name}_outputs"
                assert link_list in fields.SHEETS, f"{cls.__name__}.{f.name}: no interchange sheet"
                continue
            if f.name not in spec.fields:
                missing.append(f"{cls.__name__}.{f.name}: not in the store table {spec.name}")
            elif spec.name in fields.FILE_ONLY_ENTITIES:
                continue
            elif f.name not in declared and f.name not in fields.NOT_INTERCHANGED \
                    and f"{spec.name}.{f.name}" not in fields.NOT_INTERCHANGED:
                missing.append(f"{cls.__name__}.{f.name}: not in the interchange list {_list_of(spec.name)}")
    assert not missing, "\n".join(missing)


def _list_of(entity: str) -> str | None:
    return next((name for name, e in fields.LIST_ENTITIES.items() if e == entity), None)


def test_every_store_entity_is_an_interchange_list_or_kept_in_the_file_only():
    lists = set(fields.LIST_ENTITIES.values()) | {"portfolio"} | fields.FILE_ONLY_ENTITIES
    assert set(SPECS) <= lists, set(SPECS) - lists
    assert set(fields.SHEETS) == {n for n, e in fields.LIST_ENTITIES.items() if e in SPECS}


def full_portfolio() -> model.PortfolioData:
    """Every entity, every optional field set to something other than its default."""
    d = date
    return model.PortfolioData(
        portfolio=model.Portfolio(name="Every field", currency="GBP", client="Client plc", fiscal_year_start_month=4,
                                  as_of_mode="fixed", as_of_date=d(2026, 9, 30), rag_green_pct=Decimal("85"),
                                  rag_amber_pct=Decimal("60.5"), confidentiality="RESTRICTED",
                                  risk_weight=Decimal("0.25")),
        kpis=(model.Kpi("portfolio_roi_pct", Decimal("3.5"), d(2025, 12, 31), Decimal("12"), id=1),),
        objectives=(model.Objective("O1", "Grow", "Grow revenue", "Ann", Decimal("2.5"), False, id=1),
                    model.Objective("O2", "Save", id=2)),
        initiatives=(
            model.Initiative("I1", "Payments", enums.Stage.DELIVERY, "Modernise payments", "Sam", "Olu",
                             enums.DeliveryRag.AMBER, Decimal("1200000.50"), d(2025, 1, 15), d(2025, 2, 1),
                             d(2026, 3, 31), d(2026, 5, 31), d(2027, 9, 30), 3, 4,
                             enums.BusinessCaseStatus.APPROVED, enums.BusinessCaseStatus.SUBMITTED,
                             enums.BusinessCaseStatus.DRAFT, enums.BusinessCaseStatus.REJECTED,
                             enums.BusinessCaseStatus.APPROVED, id=1),
            model.Initiative("I2", "Data", enums.Stage.PROPOSED, id=2)),
        objective_links=(model.ObjectiveLink(1, 1, Decimal("0.5")), model.ObjectiveLink(2, 2)),
        planned_spend=(model.PlannedSpend(1, d(2026, 3, 31), Decimal("400000.25"), id=1),),
        cost_actuals=(model.CostActual(1, d(2026, 3, 31), Decimal("390000.75"), id=1),),
        outputs=(model.Output("OUT1", 1, "New platform", d(2026, 3, 1), d(2026, 3, 20), id=1),
                 model.Output("OUT2", 1, "Trained team", id=2)),
        outcomes=(model.Outcome("OC1", 1, "Faster payments", d(2026, 6, 1), d(2026, 7, 1), (1, 2), id=1),),
        benefits=(
            model.Benefit("B1", 1, "Fewer days", "days to pay", enums.Direction.LOWER, Decimal("3"), d(2027, 3, 31),
                          outcome_id=1, category=enums.Category.CASH_RELEASING, owner="Kim",
                          unit="days", baseline_value=Decimal("10.5"), baseline_date=d(2026, 1, 1),
                          annual_value=Decimal("250000.10"), attribution_pct=Decimal("80"),
                          confidence_pct=Decimal("75.5"), frequency=enums.Frequency.QUARTERLY,
                          data_source="ERP", indicator=enums.Indicator.LAGGING, status=enums.BenefitStatus.REALISING,
                          output_ids=(1,), id=1),
            model.Benefit("B2", 2, "Lost sales", "sales", enums.Direction.HIGHER, Decimal("5"), d(2028, 1, 1),
                          dis_benefit=True, baseline_value=Decimal("10"), baseline_date=d(2026, 1, 1), id=2)),
        trajectory=(model.TrajectoryPoint(1, d(2026, 6, 30), Decimal("7.25"), id=1),),
        measurements=(model.Measurement(1, d(2026, 4, 30), Decimal("9.125"), "ERP extract", "first reading",
                                        datetime(2026, 5, 1, 9, 0), id=1),),
        pivot_rules=(model.PivotRule("R1", 1, enums.Metric.COST_VARIANCE_PCT, enums.Comparator.GE, Decimal("15.5"),
                                     enums.Action.ESCALATE, d(2025, 1, 10), enums.AppliesFrom.APPROVAL, 6, "Board",
                                     False, id=1),),
        decisions=(model.Decision(1, enums.DecisionKind.ESCALATION, d(2026, 2, 1), "Costs up", True, d(2026, 2, 15),
                                  enums.DecisionOutcome.PIVOT, "Exec", "Re-plan", 1, id=1),),
        scenarios=(model.Scenario("Plan B", id=1),),
        scenario_overrides=(model.ScenarioOverride(1, 1, d(2026, 10, 1), d(2026, 7, 1), d(2026, 8, 1),
                                                   Decimal("-50000.00"), id=1),
                            model.ScenarioOverride(1, 2, fund_from=d(2026, 11, 1), id=2)),
        commentary=(model.Commentary(d(2026, 9, 30), "Back on plan", 1, "PMO", id=1),),
    )


def test_the_full_portfolio_sets_every_optional_field():
    data = full_portfolio()
    unset = []
    for f in dataclasses.fields(model.PortfolioData):
        if f.name.startswith("_") or f.name == "rule_changes":
            continue
        records = getattr(data, f.name)
        records = records if isinstance(records, tuple) else (records,)
        assert records, f"the full portfolio has no {f.name}"
        for field in dataclasses.fields(type(records[0])):
            if field.name == "id" or field.default is dataclasses.MISSING and field.default_factory is \
                    dataclasses.MISSING:
                continue
            default = field.default if field.default is not dataclasses.MISSING else field.default_factory()
            if all(getattr(r, field.name) == default for r in records):
                unset.append(f"{type(records[0]).__name__}.{field.name}")
    assert not unset, f"set these in full_portfolio(): {unset}"


def _by_code(data: model.PortfolioData) -> dict:
    """Every record as plain field values, references as codes, in a stable order (ids dropped)."""
    codes = {
        "initiative_id": {i.id: i.code for i in data.initiatives}, "objective_id": {o.id: o.code for o in data.objectives},
        "outcome_id": {o.id: o.code for o in data.outcomes}, "benefit_id": {b.id: b.code for b in data.benefits},
        "scenario_id": {s.id: s.name for s in data.scenarios}, "rule_id": {r.id: r.code for r in data.pivot_rules},
        "output_id": {o.id: o.code for o in data.outputs},
    }
    out = {}
    for f in dataclasses.fields(model.PortfolioData):
        if f.name.startswith("_") or f.name == "rule_changes":
            continue
        records = getattr(data, f.name)
        records = records if isinstance(records, tuple) else (records,)
        rows = []
        for record in records:
            row = {}
            for field in dataclasses.fields(record):
                value = getattr(record, field.name)
                if field.name in ("id", "entered_at"):
                    continue
                if field.name in codes and value is not None:
                    value = codes[field.name][value]
                if field.name == "output_ids":
                    value = sorted(codes["output_id"][o] for o in value)
                row[field.name] = value
            rows.append(row)
        out[f.name] = sorted(rows, key=repr)
    return out


@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_export_then_import_keeps_every_field_of_every_entity(tmp_path, suffix):
    data = full_portfolio()
    source = tmp_path / "full.pmodesk"
    Store.create(source, data.portfolio, populate=populate_from(data)).close()
    with Store.open(source, read_only=True) as store:
        stored = store.load()
    expected = _by_code(data)
    assert _by_code(stored) == expected  # the store kept every field
    exported = tmp_path / f"full{suffix}"
    export_portfolio(stored, exported)
    warnings = import_portfolio(exported, tmp_path / "back.pmodesk")
    assert warnings == []
    with Store.open(tmp_path / "back.pmodesk", read_only=True) as store:
        again = store.load()
    actual = _by_code(again)
    for name, rows in expected.items():
        for want, got in zip(rows, actual[name], strict=True):
            for field_name in want:
                assert got[field_name] == want[field_name], f"{name}.{field_name}"


def test_every_declared_field_is_written_by_both_writers(tmp_path):
    from openpyxl import load_workbook

    document = to_document(full_portfolio())
    nested = {"initiatives": {"objectives", "business_case"}, "outcomes": {"outputs"}, "benefits": {"outputs"},
              "scenarios": {"overrides"}}
    flattened = {"initiative_objectives", "outcome_outputs", "benefit_outputs", "scenario_overrides"}
    for list_name, names in fields.SHEETS.items():
        if list_name in flattened:
            continue
        for item in document[list_name]:
            keys = set(item) - nested.get(list_name, set())
            keys |= {f"business_case_{k}" for k in item.get("business_case", {})}
            assert keys == set(names), (list_name, set(names) ^ keys)
    assert set(document["portfolio"]) == set(fields.PORTFOLIO_FIELDS)
    assert set(document["scenarios"][0]["overrides"][0]) | {"scenario"} == set(fields.SHEETS["scenario_overrides"])
    path = tmp_path / "full.xlsx"
    export_portfolio(full_portfolio(), path)
    book = load_workbook(path, read_only=True)
    for list_name, names in fields.SHEETS.items():
        assert next(book[list_name].iter_rows(max_row=1, values_only=True)) == names
    portfolio_rows = {row[0] for row in book["portfolio"].iter_rows(min_row=2, values_only=True)}
    assert portfolio_rows == set(fields.PORTFOLIO_FIELDS)
