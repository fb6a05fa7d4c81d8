"""Thin Qt models over the value engine's results, with named column constants and a sort role."""

from __future__ import annotations

import time

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel

from typing import TYPE_CHECKING

from pmodesk.ui import formatting as fmt

if TYPE_CHECKING:  # the health table also shows a large file's cached figures, before the engine is imported
    from pmodesk.domain.model import Benefit
    from pmodesk.engine.portfolio import BenefitResult, InitiativeResult, PortfolioResult

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
FIT_ROWS = 200  # columns fit their contents over the first rows only: fitting 5,000 rows takes a second
CELL_PADDING = 12  # pixels around a cell's text: the style's focus-frame margins (2 + 1 each side) and room
FIT_SAMPLE = 60  # rows that fit_columns measures: a screenful and more, a few milliseconds at most
RAG_BRUSH = {"green": QColor("#2E7D32"), "amber": QColor("#F9A825"), "red": QColor("#C62828")}


_pct = fmt.pct


def cell_text(model):
    """A plain Python function (row, column) → the cell's text, where the model has one: measuring a
    column then makes no call from Qt back into Python (each such call waits for the interpreter lock
    while a background worker runs)."""
    from PySide6.QtCore import QSortFilterProxyModel

    if isinstance(model, QSortFilterProxyModel):  # the health table: its rows in the model's own order
        model = model.sourceModel()
    if isinstance(model, HealthTableModel):
        return lambda row, column: HEALTH_COLUMNS[column].text(model.row_result(row), model._currency)
    if isinstance(model, RowsModel) and model.display_is_column_text:
        return lambda row, column: model.columns[column].text(model.row(row))
    return None


def fit_columns(table, caps: dict[int, int] | None = None, sample: int = FIT_SAMPLE, minimum: dict[int, int] | None = None) -> None:
    """Fit each column of ``table`` to its title and the text of its first ``sample`` rows.

    The same result as ``resizeColumnsToContents`` for plain text cells at a small part of its cost: Qt's
    own fit asks the model for a dozen roles of every cell through Python (about 80 µs a cell), this asks
    for the text once. ``caps`` limits a column's width (a long name is elided, whole in its tooltip).
    """
    model = table.model()
    if model is None:
        return
    text_of = cell_text(model)
    header = table.horizontalHeader()
    metrics = table.fontMetrics()
    padding = CELL_PADDING
    rows = min(model.rowCount(), sample)
    display = Qt.ItemDataRole.DisplayRole
    for column in range(model.columnCount()):
        if table.isColumnHidden(column):
            continue
        width = header.sectionSizeHint(column)
        for row in range(rows):
            text = text_of(row, column) if text_of is not None else model.data(model.index(row, column), display)
            if text:
                width = max(width, max(metrics.horizontalAdvance(line) for line in str(text).split("\n")) + padding)
        if caps and column in caps:
            width = min(width, caps[column])
        if minimum and column in minimum:
            width = max(width, minimum[column])
        table.setColumnWidth(column, width)


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any, str], str]
    sort_key: Callable[[Any], Any]
    align_right: bool = False


_money = fmt.money


HEALTH_COLUMNS = [
    Column("Code", lambda r, c: r.initiative.code, lambda r: r.initiative.code),
    Column("Initiative", lambda r, c: r.initiative.name, lambda r: r.initiative.name.casefold()),
    Column("Stage", lambda r, c: r.initiative.stage.value, lambda r: list(type(r.initiative.stage)).index(r.initiative.stage)),
    Column("Investment", lambda r, c: _money(r.investment, c), lambda r: float(r.investment), True),
    Column("Planned value", lambda r, c: _money(r.planned_value, c), lambda r: r.planned_value, True),
    Column("Realised value", lambda r, c: _money(r.realised_value, c), lambda r: r.realised_value, True),
    Column("Realisation vs plan", lambda r, c: _pct(r.realisation_vs_plan_pct),
           lambda r: -1e18 if r.realisation_vs_plan_pct is None else r.realisation_vs_plan_pct, True),
    Column("Forecast", lambda r, c: _pct(r.forecast_attainment_pct),
           lambda r: -1e18 if r.forecast_attainment_pct is None else r.forecast_attainment_pct, True),
    Column("Value RAG", lambda r, c: (r.value_rag or "—").capitalize(),
           lambda r: {"red": 0, "amber": 1, "green": 2}.get(r.value_rag, 3)),
    Column("Aligned", lambda r, c: "Yes" if r.aligned else "No", lambda r: r.aligned),
    Column("Flags", lambda r, c: ", ".join(
        [f.replace("_", " ") for f in r.flags] + [f"rule {t.rule.code} → {t.rule.action.value}" for t in r.triggered_rules]),
        lambda r: len(r.flags) + len(r.triggered_rules)),
]
(COL_CODE, COL_NAME, COL_STAGE, COL_INVESTMENT, COL_PLANNED, COL_REALISED, COL_VS_PLAN, COL_FORECAST, COL_RAG,
 COL_ALIGNED, COL_FLAGS) = range(len(HEALTH_COLUMNS))


FILTER_ROLE = Qt.ItemDataRole.UserRole + 2  # a row's stage, value RAG, owner and objectives, for HealthFilter
IN_PLACE_AT_MOST = 40  # changed rows updated cell by cell; more (a new as-of date, a new file) make a new table
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RAG_INK = {"green": QColor("white"), "amber": QColor("#1B1F24"), "red": QColor("white")}
_APART = "\x1f"  # between the parts of a row's FILTER_ROLE text (the unit separator: never in a name)


def _sort_value(key):
    return float(key) if isinstance(key, Decimal) else key  # Qt compares only its own types


def _part(text: str | None) -> str:
    return (text or "").replace(_APART, " ")


def _filter_text(result: InitiativeResult, objectives: set[int] | frozenset) -> str:
    """What HealthFilter matches: stage, value RAG ("none" when there is none), owner, and the linked
    objectives' ids between commas."""
    initiative = result.initiative
    linked = "," + "".join(f"{o}," for o in sorted(objectives))
    return _APART.join((_part(initiative.stage.value), result.value_rag or "none", _part(initiative.owner), linked))


def filter_pattern(stage: str | None = None, rag: str | None = None, objective: int | None = None,
                   owner: str | None = None) -> str:
    """The regular expression that keeps the rows whose :func:`_filter_text` has this stage, value RAG,
    owner and a link to this objective (None: any)."""
    from PySide6.QtCore import QRegularExpression

    anything = f"[^{_APART}]*"

    def exactly(value: str | None) -> str:
        return anything if value is None else QRegularExpression.escape(_part(value))

    linked = anything if objective is None else f"[^{_APART}]*,{int(objective)},[^{_APART}]*"
    return "^" + _APART.join((exactly(stage), exactly(rag), exactly(owner), linked)) + "$"


def health_cells(result: InitiativeResult, currency: str, objectives: set[int] | frozenset = frozenset()
                 ) -> list[dict[int, Any]]:
    """Each cell of one initiative's health-table row: its roles and their values."""
    cells = []
    for number, column in enumerate(HEALTH_COLUMNS):
        text = column.text(result, currency)
        cell: dict[int, Any] = {Qt.ItemDataRole.DisplayRole: text, SORT_ROLE: _sort_value(column.sort_key(result))}
        if column.align_right:
            cell[Qt.ItemDataRole.TextAlignmentRole] = _RIGHT
        if number == COL_CODE:
            cell[FILTER_ROLE] = _filter_text(result, objectives)
        elif number == COL_RAG and result.value_rag:
            cell[Qt.ItemDataRole.BackgroundRole] = QBrush(RAG_BRUSH[result.value_rag])
            cell[Qt.ItemDataRole.ForegroundRole] = QBrush(_RAG_INK[result.value_rag])
        elif number == COL_NAME:
            description = result.initiative.description
            cell[Qt.ItemDataRole.ToolTipRole] = text + (f"\n{description}" if description else "")
        elif number == COL_FLAGS:
            cell[Qt.ItemDataRole.ToolTipRole] = text
        cells.append({int(role): value for role, value in cell.items()})  # as itemData() gives them back
    return cells


def _objectives_of(data) -> dict[int, set[int]]:
    linked: dict[int, set[int]] = {}
    for link in (data.objective_links if data is not None else ()):
        linked.setdefault(link.initiative_id, set()).add(link.objective_id)
    return linked


class HealthTableModel(QStandardItemModel):
    """One row per initiative, in code order: the portfolio value health table.

    Its cells are Qt's own items, made once from the figures (:meth:`made`, in a worker for a large file)
    and never Python objects: painting, scrolling, sorting (by :data:`SORT_ROLE`) and filtering (by
    :data:`FILTER_ROLE`, in :class:`HealthFilter`) then never call back into Python, where each call would
    wait for the interpreter lock while a worker runs Python (reading a large file just opened, say).
    New figures make a new table; an edit's figures update only the rows of the initiatives recomputed."""

    def __init__(self, parent=None):
        super().__init__(0, len(HEALTH_COLUMNS), parent)
        self.setHorizontalHeaderLabels([column.title for column in HEALTH_COLUMNS])
        self._rows: list[InitiativeResult] = []
        self._currency = "GBP"
        self.result: PortfolioResult | None = None  # the figures shown

    @classmethod
    def made(cls, result: PortfolioResult | None, data=None, ui_thread=None) -> HealthTableModel:
        """A table showing ``result`` (``data``: its portfolio, for the objectives linked). Made in a worker,
        it is handed to ``ui_thread`` (the application's thread) for the window to show."""
        model = cls()
        model.result = result
        if result is not None:
            model._rows = sorted(result.initiatives, key=lambda r: r.initiative.code)
            model._currency = result.currency
            model.setRowCount(len(model._rows))
            linked = _objectives_of(data)
            for row, figures in enumerate(model._rows):
                for column, cell in enumerate(health_cells(figures, model._currency, linked.get(figures.initiative.id, ()))):
                    model.setItemData(model.index(row, column), cell)
        if ui_thread is not None:
            model.moveToThread(ui_thread)
        return model

    def update_in_place(self, result: PortfolioResult, data=None) -> bool:
        """Show ``result`` by updating the rows whose initiative was recomputed (a new object each);
        False, changing nothing, when it shows other initiatives or too many changed."""
        if self.result is None or result.currency != self._currency:
            return False
        rows = sorted(result.initiatives, key=lambda r: r.initiative.code)
        if len(rows) != len(self._rows) or not rows:
            return False
        changed = []
        for number, (old, new) in enumerate(zip(self._rows, rows)):
            if old is not new:
                if old.initiative.id != new.initiative.id:
                    return False
                changed.append(number)
                if len(changed) > IN_PLACE_AT_MOST:
                    return False
        self._rows, self.result = rows, result
        linked = _objectives_of(data)
        for number in changed:
            figures = rows[number]
            for column, cell in enumerate(health_cells(figures, self._currency, linked.get(figures.initiative.id, ()))):
                index = self.index(number, column)
                shown = self.itemData(index)
                shown.pop(int(Qt.ItemDataRole.EditRole), None)  # Qt's items keep the text as both
                if shown != cell:  # a role no longer given (a RAG gone, its colours) is cleared
                    self.setItemData(index, {**{role: None for role in shown if role not in cell}, **cell})
        return True

    def row_result(self, row: int) -> InitiativeResult:
        return self._rows[row]

    def release_figures(self) -> tuple:
        """The figures this table showed, no longer held by it (to be freed off the UI thread)."""
        figures, self._rows, self.result = (self._rows, self.result), [], None
        return figures


class HealthFilter(QSortFilterProxyModel):
    """Sorts the health table by :data:`SORT_ROLE` and filters it by stage, value RAG, objective and owner
    (a regular expression over :data:`FILTER_ROLE`): all within Qt."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(FILTER_ROLE)
        self.setFilterKeyColumn(COL_CODE)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """By ``column``, ties in code order either way (Qt's sort is stable over the rows' current
        order, so the rows are put back in the model's code order first)."""
        super().sort(-1)
        super().sort(column, order)

    def set_filters(self, stage=None, rag=None, objective=None, owner=None) -> None:
        from PySide6.QtCore import QRegularExpression

        pattern = filter_pattern(stage, rag, objective, owner)
        if self.filterRegularExpression().pattern() != pattern:
            self.setFilterRegularExpression(QRegularExpression(pattern))


BENEFIT_COLUMNS = [
    # (title, field or None, editable)
    ("Code", "code", False), ("Benefit", "title", True), ("Owner", "owner", True), ("Baseline", "baseline_value", True),
    ("Target", "target_value", True), ("Target date", "target_date", True), ("Actual", None, False),
    ("vs plan", None, False), ("Forecast", None, False), ("Flags", None, False),
]
BCOL_CODE, BCOL_TITLE, BCOL_OWNER, BCOL_BASELINE, BCOL_TARGET, BCOL_TARGET_DATE = range(6)


class BenefitTableModel(QAbstractTableModel):
    """An initiative's benefits; editing a cell asks for an undoable edit instead of writing."""

    edit_requested = Signal(object, str, object)  # benefit, field, new value (domain type)
    invalid_edit = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[BenefitResult] = []
        self.read_only = False

    def set_benefits(self, rows: list[BenefitResult], read_only: bool) -> None:
        self.beginResetModel()
        self._rows = rows
        self.read_only = read_only
        self.endResetModel()

    def benefit_result(self, row: int) -> BenefitResult:
        return self._rows[row]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(BENEFIT_COLUMNS)

    def flags(self, index):
        base = super().flags(index)
        if not self.read_only and BENEFIT_COLUMNS[index.column()][2]:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        result = self._rows[index.row()]
        b = result.benefit
        title, field, _ = BENEFIT_COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if field is not None:
                value = getattr(b, field)
                if value is None:
                    return "" if role == Qt.ItemDataRole.EditRole else "—"
                return value.isoformat() if isinstance(value, date) else str(value)
            if title == "Actual":
                return fmt.measure(result.actual_measure)
            if title == "vs plan":
                return _pct(result.realisation_vs_plan_pct)
            if title == "Forecast":
                return "—" if result.forecast is None else f"{result.forecast.attainment_pct:.0f}%"
            return ", ".join(f.replace("_", " ") for f in result.flags)
        if role == Qt.ItemDataRole.TextAlignmentRole and title in ("Baseline", "Target", "Actual", "vs plan", "Forecast"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return BENEFIT_COLUMNS[section][0]
        return None

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802 - Qt's name
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        benefit = self._rows[index.row()].benefit
        field = BENEFIT_COLUMNS[index.column()][1]
        try:
            new = parse_benefit_field(benefit, field, str(value))
        except ValueError as error:
            self.invalid_edit.emit(str(error))
            return False
        if new == getattr(benefit, field):
            return False
        self.edit_requested.emit(benefit, field, new)
        return True


def parse_benefit_field(benefit: Benefit, field: str, text: str):
    """The typed text as the field's value, checked against the benefit rules; ValueError explains."""
    from dataclasses import replace

    from pmodesk.domain.validation import benefit_problems

    text = text.strip()
    if field in ("baseline_value", "target_value"):
        if not text and field == "baseline_value":
            value = None
        else:
            try:
                value = Decimal(text.replace(",", ""))
            except InvalidOperation:
                raise ValueError(f"“{text}” is not a number.") from None
    elif field == "target_date":
        try:
            value = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"“{text}” is not a date (YYYY-MM-DD).") from None
    elif field == "title" and not text:
        raise ValueError("A benefit needs a title.")
    else:
        value = text or None
    candidate = replace(benefit, **{field: value})
    if field == "baseline_value" and value is None:
        candidate = replace(candidate, baseline_date=None)
    problems = [p for f, p in benefit_problems(candidate)]
    if problems:
        raise ValueError(f"{field.replace('_', ' ').capitalize()}: {problems[0]}.")
    return value


@dataclass(frozen=True)
class Field:
    """One column of a :class:`RowsModel`: its title, its text, and how it sorts."""

    title: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None  # default: the text, case-folded
    align_right: bool = False
    tooltip: Callable[[Any], str | None] | None = None
    background: Callable[[Any], QColor | None] | None = None


FETCH_BATCH = 2_000
BACKGROUND_SORT_FROM = 20_000  # longer lists are sorted in a background thread, the old order shown meanwhile


def _safe(key):
    def safe(item):
        value = key(item)
        return (value is None, value if value is not None else 0)

    return safe


FIELD_BREAK = "\x1f"  # between a row's column texts when they are searched together (never typed)
SLICE = 64  # rows per slice of a worker's work on a long register


def in_slices(rows: list, function) -> list:
    """``[function(row) for row in rows]`` a slice at a time, handing the interpreter lock to the UI
    thread between slices: a worker that held it for a long loop made every call from Qt into Python
    on the UI thread wait (each paint of a table is hundreds of such calls)."""
    out: list = []
    for first in range(0, len(rows), SLICE):
        out += map(function, rows[first:first + SLICE])
        time.sleep(0)  # releases the lock: a waiting UI thread takes it now, not at the next switch interval
    return out


def sorted_order(keys: list, descending: bool) -> list[int]:
    """The order of rows whose sort keys are ``keys``: the same as Python's stable ``sort`` of the rows by
    ``(key is None, key)`` (``reverse=True`` when descending: missing keys first, ties in their old order),
    found by NumPy, which sorts numbers and text without holding the interpreter lock."""
    import numpy as np

    missing = np.fromiter((k is None for k in keys), dtype=bool, count=len(keys))
    present = [k for k in keys if k is not None]
    kinds = {type(k) for k in present}
    text = bool(kinds) and kinds <= {str}
    values = np.zeros(len(keys), dtype=np.int64 if text else np.float64)
    if text:
        _, ranks = np.unique(np.array(present, dtype=str), return_inverse=True)
        values[~missing] = ranks.reshape(-1)
    elif kinds <= {float, int, bool}:
        values[~missing] = np.array(present, dtype=np.float64) if present else 0
    else:  # keys NumPy cannot order the way Python does: Python's own sort
        decorated = sorted(range(len(keys)), key=lambda n: (keys[n] is None, keys[n] if keys[n] is not None else 0),
                           reverse=descending)
        return decorated
    if descending:
        return np.lexsort((-values, ~missing)).tolist()
    return np.lexsort((values, missing)).tolist()


class RowsModel(QAbstractTableModel):
    """A read-only table over a Python list, lazy for long lists, sortable by its own keys, filtered
    by a text.

    Rows are shown ``FETCH_BATCH`` at a time (``canFetchMore``/``fetchMore``), so a register of
    250,000 measurements costs nothing until it is scrolled; sorting sorts the list itself, so the
    order is right over every row, not only the fetched ones. A list of ``BACKGROUND_SORT_FROM`` rows
    or more is sorted and filtered in a background thread: the rows stay as they were until the new
    arrangement is ready, and only the newest one is shown.
    """

    display_is_column_text = True  # each cell's DisplayRole is its column's text (a subclass changing it says so)

    _arranged_in_background = Signal(int, object)
    background_sort_from = BACKGROUND_SORT_FROM

    def __init__(self, columns: list[Field], parent=None):
        super().__init__(parent)
        self.columns = columns
        self._base: list = []  # every row, in the order the user chose
        self._rows: list = []  # the rows shown: those of ``_base`` that hold the filter's text
        self._shown = 0
        self._sorted: tuple[str, Qt.SortOrder] | None = None  # the column title the user sorted by
        self._filter = ""  # case-folded
        self._sort_generation = 0
        self.sorting = False  # a background sort or filter is under way
        self._sorting_by: tuple | None = None
        self._haystack: tuple | None = None  # (rows, column texts, each row's texts joined and case-folded)
        self._arranged_in_background.connect(self._take_arranged)

    def set_rows(self, rows, columns: list[Field] | None = None) -> None:
        """New rows (after an edit or a new as-of date), kept in the order the user last chose and
        filtered by the same text."""
        self.beginResetModel()
        if columns is not None:
            self.columns = columns
        self._haystack = None
        self._base = list(rows)
        self._rows = self._base
        self._sort_generation += 1
        self.sorting = False
        sort = self._sort_spec()
        later = len(self._base) >= self.background_sort_from and (sort is not None or self._filter)
        if not later:
            self._base, self._rows = self._arranged(self._base, sort, self._filter)
        self._shown = min(len(self._rows), FETCH_BATCH)
        self.endResetModel()
        if later:
            self._arrange_later(sort, self._filter)

    def _sort_spec(self) -> tuple[int, bool] | None:
        titles = [c.title for c in self.columns]
        if self._sorted is None or self._sorted[0] not in titles:
            return None
        return titles.index(self._sorted[0]), self._sorted[1] == Qt.SortOrder.DescendingOrder

    def set_filter(self, text: str) -> None:
        """Show only the rows with ``text`` in one of their cells (any case); an empty text shows all."""
        text = text.strip().casefold()
        if text == self._filter:
            return
        self._filter = text
        if len(self._base) >= self.background_sort_from:  # a sort still on its way is made again with it
            self._arrange_later(self._sort_spec() if self.sorting else None, text)
            return
        self._sort_generation += 1
        self.sorting = False
        self.beginResetModel()
        self._rows = self._matching(self._base, text)
        self._shown = min(len(self._rows), FETCH_BATCH)
        self.endResetModel()

    def filter_text(self) -> str:
        return self._filter

    def row(self, row: int):
        return self._rows[row]

    def rows(self) -> list:
        """The rows shown (all of them when there is no filter), in their order."""
        return self._rows

    def find(self, predicate) -> int:
        """The index of the first row for which ``predicate`` holds (fetching up to it), else -1."""
        for n, item in enumerate(self._rows):
            if predicate(item):
                if n >= self._shown:
                    self.beginInsertRows(QModelIndex(), self._shown, n)
                    self._shown = n + 1
                    self.endInsertRows()
                return n
        return -1

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802
        more = min(FETCH_BATCH, len(self._rows) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self._cell(self.columns[index.column()], self._rows[index.row()], role)

    @staticmethod
    def _cell(column: Field, item, role: int) -> Any:
        """One role of one cell: ``column`` of the row showing ``item``."""
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == SORT_ROLE:
            key = column.sort_key(item) if column.sort_key else column.text(item).casefold()
            return float(key) if isinstance(key, Decimal) else key
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(item)
        if role == Qt.ItemDataRole.BackgroundRole and column.background:
            colour = column.background(item)
            return None if colour is None else QBrush(colour)
        return None

    def multiData(self, index, roles) -> None:  # noqa: N802 - Qt's name
        """Every role a cell's paint asks for, in one call from Qt into Python instead of one a role
        (each call waits for the interpreter lock while a worker runs Python): a third less paint."""
        if type(self).data is not RowsModel.data:  # a model that shows more than its columns' roles
            super().multiData(index, roles)
            return
        if not index.isValid():
            return
        column, item, cell = self.columns[index.column()], self._rows[index.row()], self._cell
        for role in roles:
            value = cell(column, item, role.role())
            if value is not None:
                role.setData(value)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].title
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sorted = (self.columns[column].title, order)
        descending = order == Qt.SortOrder.DescendingOrder
        if len(self._base) >= self.background_sort_from:
            self._arrange_later((column, descending), self._filter)
            return
        self.layoutAboutToBeChanged.emit()
        self._base, self._rows = self._arranged(self._base, (column, descending), self._filter)
        self.layoutChanged.emit()

    def _key(self, column: int):
        field = self.columns[column]
        return field.sort_key or (lambda item: field.text(item).casefold())

    def _arranged(self, base: list, sort: tuple[int, bool] | None, text: str) -> tuple[list, list]:
        """(every row sorted by ``sort``, those holding ``text``), on the calling thread."""
        if sort is not None:
            column, descending = sort
            if len(base) >= self.background_sort_from:  # NumPy orders long lists (in a worker)
                key = self._key(column)
                base = [base[n] for n in sorted_order(in_slices(base, key), descending)]
            else:
                base = sorted(base, key=_safe(self._key(column)), reverse=descending)
        return base, self._matching(base, text)

    def _matching(self, rows: list, text: str) -> list:
        if not text:
            return rows
        texts = [c.text for c in self.columns]
        if len(rows) < self.background_sort_from or FIELD_BREAK in text:
            return [item for item in rows if any(text in (show(item) or "").casefold() for show in texts)]
        # A long register (in a worker): each row's texts are joined once per arrangement of the rows and
        # kept, so that typing a search a key at a time looks each row up once, not once per key and column.
        cached = self._haystack
        if cached is not None and cached[0] is rows and cached[1] == texts:
            haystack = cached[2]
        else:
            haystack = in_slices(rows, lambda item: FIELD_BREAK.join(show(item) or "" for show in texts).casefold())
            self._haystack = (rows, texts, haystack)
        found: list = []
        for first in range(0, len(rows), SLICE * 16):
            found += [item for item, words in zip(rows[first:first + SLICE * 16], haystack[first:first + SLICE * 16])
                      if text in words]
            time.sleep(0)
        return found

    def _arrange_later(self, sort: tuple[int, bool] | None, text: str) -> None:
        """Sort and filter in a background thread; the newest answer replaces the rows when it comes."""
        from pmodesk.ui import workers

        if self.sorting and self._sorting_by == (sort, text):
            return  # already on its way (Qt asks twice for one click)
        self._sort_generation += 1
        generation, base = self._sort_generation, self._base
        self.sorting, self._sorting_by = True, (sort, text)

        def work() -> None:
            try:
                answer = self._arranged(base, sort, text)
            except Exception:  # noqa: BLE001 - an unsortable column stays as it was
                answer = None
            workers.give_back_memory()  # the keys and texts of a quarter of a million rows are freed now
            try:
                self._arranged_in_background.emit(generation, answer)
            except RuntimeError:
                pass  # the model was deleted meanwhile

        workers.submit(work)

    def _take_arranged(self, generation: int, answer) -> None:
        if generation != self._sort_generation:
            return  # a newer sort, filter or newer rows are on their way
        self.sorting, self._sorting_by = False, None
        if answer is None:
            return
        base, rows = answer
        if len(rows) == len(self._rows):  # the same rows in a new order: the view keeps its place
            self.layoutAboutToBeChanged.emit()
            self._base, self._rows = base, rows
            self.layoutChanged.emit()
            return
        self.beginResetModel()
        self._base, self._rows = base, rows
        self._shown = min(len(rows), max(self._shown, FETCH_BATCH))
        self.endResetModel()

    # The names of the first version, kept for callers and tests that sort directly.
    def _take_sorted(self, generation: int, rows) -> None:
        self._take_arranged(generation, None if rows is None else (rows, self._matching(rows, self._filter)))


def record_table(table, model, *, name: str | None = None, sort_as_listed: bool = False, rows: bool = False,
                 single: bool = False):
    """A table of records as every view sets it up: columns fitted over the first rows only, no row
    numbers, one line per row; sortable by a click but shown as listed until then, whole-row and
    single selection, and an accessible name where asked."""
    table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
    table.setModel(model)
    if sort_as_listed:
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    if rows:
        table.setSelectionBehavior(table.SelectionBehavior.SelectRows)
    if single:
        table.setSelectionMode(table.SelectionMode.SingleSelection)
    if name:
        table.setAccessibleName(name)
    return table
