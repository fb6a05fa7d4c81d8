"""The health table's model: Qt's own items made from the figures, sorted and filtered within Qt, and
updated in place when only some initiatives were recomputed."""

from __future__ import annotations

import dataclasses
from datetime import date

from PySide6.QtCore import QSortFilterProxyModel, Qt

from pmodesk.engine.portfolio import compute
from pmodesk.store import Store
from pmodesk.ui.models import (
    COL_CODE, COL_NAME, COL_RAG, COL_REALISED, FILTER_ROLE, HEALTH_COLUMNS, HealthFilter, HealthTableModel,
    filter_pattern,
)


def _figures(path):
    with Store.open(path, read_only=True) as store:
        data = store.load()
    return data, compute(data, data.portfolio.default_as_of(date.today()))


def _codes(proxy) -> list[str]:
    return [proxy.data(proxy.index(row, COL_CODE)) for row in range(proxy.rowCount())]


def test_each_filter_keeps_the_rows_the_figures_say(qtbot, demo_file):
    data, result = _figures(demo_file)
    model = HealthTableModel.made(result, data)
    proxy = HealthFilter()
    proxy.setSourceModel(model)
    rows = sorted(result.initiatives, key=lambda r: r.initiative.code)
    assert _codes(proxy) == [r.initiative.code for r in rows]
    linked: dict[int, set[int]] = {}
    for link in data.objective_links:
        linked.setdefault(link.objective_id, set()).add(link.initiative_id)
    owners = sorted({r.initiative.owner for r in rows if r.initiative.owner})
    assert owners and linked
    for owner in owners:
        proxy.set_filters(owner=owner)
        assert _codes(proxy) == [r.initiative.code for r in rows if r.initiative.owner == owner]
    for objective, initiatives in linked.items():
        proxy.set_filters(objective=objective)
        assert _codes(proxy) == [r.initiative.code for r in rows if r.initiative.id in initiatives]
    stage = rows[0].initiative.stage.value
    proxy.set_filters(stage=stage, rag="none")
    assert _codes(proxy) == [r.initiative.code for r in rows
                             if r.initiative.stage.value == stage and r.value_rag is None]
    proxy.set_filters()
    assert len(_codes(proxy)) == len(rows)


def test_a_filter_matches_whole_values_only_whatever_they_hold():
    """An owner's name is matched exactly: neither a prefix nor a regular expression's own characters."""
    from PySide6.QtCore import QRegularExpression

    def matches(text: str, **filters) -> bool:
        return QRegularExpression(filter_pattern(**filters)).match(text).hasMatch()

    row = "\x1f".join(("delivery", "red", "A. (Ops) Smith+", ",3,12,"))
    assert matches(row, owner="A. (Ops) Smith+") and matches(row, objective=12) and matches(row, objective=3)
    assert not matches(row, owner="A. (Ops) Smith") and not matches(row, owner="A")
    assert not matches(row, objective=1) and not matches(row, objective=2)
    assert matches(row, stage="delivery", rag="red") and not matches(row, rag="amber")


def test_sorting_keeps_ties_in_code_order_either_way(qtbot, demo_file):
    data, result = _figures(demo_file)
    proxy = HealthFilter()
    proxy.setSourceModel(HealthTableModel.made(result, data))
    rows = sorted(result.initiatives, key=lambda r: r.initiative.code)
    for column, spec in enumerate(HEALTH_COLUMNS):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            proxy.sort(column, order)
            expected = sorted(rows, key=spec.sort_key, reverse=order == Qt.SortOrder.DescendingOrder)
            assert _codes(proxy) == [r.initiative.code for r in expected], spec.title


def test_an_update_in_place_changes_only_the_recomputed_rows_and_clears_roles_no_longer_given(qtbot, demo_file):
    data, result = _figures(demo_file)
    model = HealthTableModel.made(result, data)
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    changes: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, last, _roles: changes.append((first.row(), last.row())))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    rows = sorted(result.initiatives, key=lambda r: r.initiative.code)
    number = next(n for n, r in enumerate(rows) if r.value_rag == "red")
    before = [[model.itemData(model.index(row, column)) for column in range(model.columnCount())]
              for row in range(model.rowCount())]
    recomputed = dataclasses.replace(rows[number], value_rag=None, realised_value=rows[number].realised_value + 1)
    new = dataclasses.replace(result, initiatives=tuple(recomputed if r is rows[number] else r
                                                         for r in result.initiatives))
    assert model.update_in_place(new, data)
    assert not resets and changes and {row for pair in changes for row in pair} == {number}
    rag = model.index(number, COL_RAG)
    assert model.data(rag) == "—" and model.data(rag, Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(rag, Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(number, COL_REALISED)) == HEALTH_COLUMNS[COL_REALISED].text(recomputed, result.currency)
    assert model.row_result(number) is recomputed and model.result is new
    after = [[model.itemData(model.index(row, column)) for column in range(model.columnCount())]
             for row in range(model.rowCount())]
    assert [r for n, r in enumerate(after) if n != number] == [r for n, r in enumerate(before) if n != number]
    assert model.data(model.index(number, COL_CODE), FILTER_ROLE).split("\x1f")[1] == "none"
    assert model.data(model.index(number, COL_NAME), Qt.ItemDataRole.ToolTipRole).startswith(recomputed.initiative.name)
    # Other initiatives, or more than a few changed: not in place (the window makes a new table).
    fewer = dataclasses.replace(result, initiatives=result.initiatives[1:])
    assert not model.update_in_place(fewer, data)

