"""Thin Qt models over the value engine's results, with named column constants and a sort role."""

from __future__ import annotations

import time

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor

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
    if isinstance(model, RowsModel) and type(model).data is RowsModel.data:
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


class HealthTableModel(QAbstractTableModel):
    """One row per initiative: the portfolio value health table. Cell text is made on demand."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[InitiativeResult] = []
        self._currency = "GBP"

    _sorted: tuple[int, Qt.SortOrder] = (COL_CODE, Qt.SortOrder.AscendingOrder)

    def set_result(self, result: PortfolioResult | None) -> None:
        self.beginResetModel()
        self._rows = sorted(result.initiatives, key=lambda r: r.initiative.code) if result else []
        self._currency = result.currency if result else "GBP"
        self._sort_rows(*self._sorted)
        self.endResetModel()

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows themselves, one key per row: a sorting proxy would ask for two keys per
        comparison through Python, tens of milliseconds for 500 rows."""
        if not 0 <= column < len(HEALTH_COLUMNS):
            return
        self._sorted = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._sort_rows(column, order)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order) -> None:
        key = HEALTH_COLUMNS[column].sort_key
        if column != COL_CODE:  # ties keep the code order
            self._rows.sort(key=lambda r: r.initiative.code)
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def row_result(self, row: int) -> InitiativeResult:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEALTH_COLUMNS)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = HEALTH_COLUMNS[index.column()]
        result = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(result, self._currency)
        if role == SORT_ROLE:
            key = column.sort_key(result)
            return float(key) if isinstance(key, Decimal) else key  # Qt compares only its own types
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if index.column() == COL_RAG and result.value_rag:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(RAG_BRUSH[result.value_rag])
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor("#1B1F24" if result.value_rag == "amber" else "white"))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_NAME:
            return result.initiative.name + (f"\n{result.initiative.description}" if result.initiative.description else "")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_FLAGS:
            return column.text(result, self._currency)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEALTH_COLUMNS[section].title
        return None


class HealthFilter(QSortFilterProxyModel):
    """Filters the health table by stage, value RAG, objective and owner."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.stage: str | None = None
        self.rag: str | None = None
        self.objective_initiatives: set[int] | None = None
        self.owner: str | None = None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """The table's header asks the proxy; the rows are sorted by the model underneath, which keeps
        its order through filtering."""
        self.sourceModel().sort(column, order)

    def set_filters(self, stage=None, rag=None, objective_initiatives=None, owner=None) -> None:
        modern = hasattr(self, "endFilterChange")  # Qt 6.10+; invalidateFilter is deprecated there
        if modern:
            self.beginFilterChange()
        self.stage, self.rag, self.objective_initiatives, self.owner = stage, rag, objective_initiatives, owner
        if modern:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802 - Qt's name
        result = self.sourceModel().row_result(row)
        i = result.initiative
        if self.stage and i.stage.value != self.stage:
            return False
        if self.rag and (result.value_rag or "none") != self.rag:
            return False
        if self.objective_initiatives is not None and i.id not in self.objective_initiatives:
            return False
        return not (self.owner and i.owner != self.owner)


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
        column = self.columns[index.column()]
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == SORT_ROLE:
            key = column.sort_key(item) if column.sort_key else column.text(item).casefold()
            return float(key) if isinstance(key, Decimal) else key
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(item)
        if role == Qt.ItemDataRole.BackgroundRole and column.background:
            colour = column.background(item)
            return None if colour is None else QBrush(colour)
        return None

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
