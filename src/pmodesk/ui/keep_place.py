"""Keep the user's place while a view is filled again (after an edit, an undo, a new as-of date or
other people's changes on a server).

A view refilled with new figures resets its models; without help the user would lose the row they
had selected, the cell they were on and how far they had scrolled. :func:`kept_place` notes, for
every table in a view, the records (by id, never by row number) that were selected and current, the
current column, both scroll positions and the column widths, and puts them back once the view is
filled again. Sort orders and filters stay with the views' own proxies and combo boxes.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Hashable, Iterator

from PySide6.QtCore import QAbstractProxyModel, QItemSelection, QItemSelectionModel, QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget


def record_key(item: Any) -> Hashable | None:
    """What a row shows, as an identity that survives a refill: the record's kind and id."""
    if hasattr(item, "rule_results"):  # an initiative's figures
        item = item.initiative
    elif hasattr(item, "series") and hasattr(item, "benefit"):  # a benefit's figures
        item = item.benefit
    record_id = getattr(item, "id", None)
    if record_id is not None:
        return (type(item).__name__, record_id)
    if hasattr(item, "initiative_id") and hasattr(item, "objective_id"):  # an objective link: keyed by both ends
        return (type(item).__name__, item.initiative_id, item.objective_id)
    try:
        hash(item)
    except TypeError:
        return None
    return item


def _item(model, row: int) -> Any:
    """The record or result behind one row of one of pmodesk's models; None for any other model."""
    for method in ("row_result", "benefit_result", "row"):
        getter = getattr(model, method, None)
        if callable(getter):
            try:
                return getter(row)
            except (IndexError, TypeError):
                return None
    return None


def _source(table: QAbstractItemView):
    model = table.model()
    return model.sourceModel() if isinstance(model, QAbstractProxyModel) else model


def _key_at(table: QAbstractItemView, index: QModelIndex) -> Hashable | None:
    if not index.isValid():
        return None
    model = table.model()
    if isinstance(model, QAbstractProxyModel):
        index = model.mapToSource(index)
    item = _item(_source(table), index.row())
    return None if item is None else record_key(item)


def _row_of(table: QAbstractItemView, key: Hashable) -> int:
    """The view row showing ``key`` now (fetching a lazy model up to it), or -1."""
    source = _source(table)
    row = -1
    find = getattr(source, "find", None)
    if callable(find) and callable(getattr(source, "row", None)):
        row = find(lambda item: record_key(item) == key)
    else:
        for n in range(source.rowCount()):
            item = _item(source, n)
            if item is not None and record_key(item) == key:
                row = n
                break
    if row < 0:
        return -1
    model = table.model()
    if isinstance(model, QAbstractProxyModel):
        return model.mapFromSource(source.index(row, 0)).row()
    return row


@dataclass
class TablePlace:
    table: QAbstractItemView
    current: Hashable | None
    column: int
    selected: list
    vertical: int
    horizontal: int
    widths: list[int]

    @classmethod
    def of(cls, table: QAbstractItemView) -> "TablePlace":
        selection = table.selectionModel()
        rows = selection.selectedRows() if selection is not None else []
        if selection is not None and not rows:
            rows = [i for i in selection.selectedIndexes() if i.column() == 0] or selection.selectedIndexes()[:1]
        selected = [k for k in dict.fromkeys(_key_at(table, i) for i in rows) if k is not None]
        current = table.currentIndex()
        widths = []
        if isinstance(table, QTableView):
            header = table.horizontalHeader()
            widths = [header.sectionSize(n) for n in range(header.count())]
        return cls(table, _key_at(table, current), current.column(), selected, table.verticalScrollBar().value(),
                   table.horizontalScrollBar().value(), widths)

    def restore(self) -> None:
        table = self.table
        model = table.model()
        if model is None or (self.current is None and not self.selected and not self.vertical and not self.horizontal):
            return
        if isinstance(table, QTableView) and self.widths:
            header = table.horizontalHeader()
            if header.count() == len(self.widths):
                for n, width in enumerate(self.widths):
                    if header.sectionSize(n) != width and not header.isSectionHidden(n):
                        header.resizeSection(n, width)
        selection = table.selectionModel()
        if selection is not None and (self.current is not None or self.selected):
            current_row = _row_of(table, self.current) if self.current is not None else -1
            rows = [r for r in (_row_of(table, k) for k in self.selected) if r >= 0]
            if current_row >= 0 or rows:
                column = max(0, min(self.column, model.columnCount() - 1))
                if current_row >= 0:
                    selection.setCurrentIndex(model.index(current_row, column),
                                              QItemSelectionModel.SelectionFlag.NoUpdate)
                chosen = QItemSelection()
                for row in rows:
                    chosen.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
                selection.select(chosen, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        table.doItemsLayout()  # the scroll bars' ranges now, not at the next event loop pass
        bar = table.verticalScrollBar()
        root = QModelIndex()
        while bar.maximum() < self.vertical and model.canFetchMore(root):  # a lazy model scrolled far down
            model.fetchMore(root)
            table.doItemsLayout()
        bar.setValue(self.vertical)
        table.horizontalScrollBar().setValue(self.horizontal)


@contextmanager
def kept_place(view: QWidget) -> Iterator[None]:
    """Note the place in every table of ``view``; put it back after the block refilled them."""
    tables = view.findChildren(QAbstractItemView)
    if isinstance(view, QAbstractItemView):
        tables.append(view)
    places = []
    for table in tables:
        if table.model() is None or _source(table) is None:
            continue
        if _item(_source(table), 0) is None and table.model().rowCount() > 0:
            continue  # not one of pmodesk's record models: nothing to recognise rows by
        places.append(TablePlace.of(table))
    yield
    for place in places:
        try:
            place.restore()
        except RuntimeError:  # the table was deleted while the view was refilled
            continue
