"""The home screen: the section-6 metrics as tiles and the portfolio value health table."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QFrame, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from typing import TYPE_CHECKING

from pmodesk.engine.metric_names import METRICS
from pmodesk.engine.travel import travel
from pmodesk.ui import formatting as fmt
from pmodesk.ui.commentary import CommentaryPanel
from pmodesk.ui.models import FIT_ROWS, COL_CODE, COL_FLAGS, COL_NAME, HealthFilter, HealthTableModel, fit_columns

if TYPE_CHECKING:  # it shows a large file's cached figures (pmodesk.figure_cache) before the engine is imported
    from pmodesk.domain.model import PortfolioData
    from pmodesk.engine.portfolio import PortfolioResult

TILE_KEYS = ("benefits_realised_pct", "realisation_vs_plan_pct", "strategic_alignment_pct",
             "decision_cycle_time_median_days", "escalation_rate_pct", "portfolio_roi_pct")
TILES = [metric for key in TILE_KEYS for metric in METRICS if metric[0] == key]


class Tile(QFrame):
    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("tile")
        layout = QVBoxLayout(self)
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #5F6B7A;")
        self.value = QLabel("—")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setStyleSheet("color: #1F3A5F;")
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.detail = QLabel("")
        self.detail.setStyleSheet("color: #5F6B7A;")
        self.detail.setWordWrap(True)
        for widget in (self.title, self.value, self.status, self.detail):
            layout.addWidget(widget)
        self.set_status(None)

    def set_status(self, status: str | None) -> None:
        """Colour the tile against its target, and say it in a word too (colour alone is not enough)."""
        word, fill, edge, ink = TILE_STATUS.get(status, TILE_STATUS[None])
        if getattr(self, "status_word", None) == word:
            return  # a style sheet set again costs a polish of the tile for nothing
        self.status_word = word
        self.setStyleSheet(f"QFrame#tile {{ background: {fill}; border: 1px solid {edge}; border-left: 5px solid "
                           f"{edge}; border-radius: 4px; }} QLabel#status {{ color: {ink}; font-weight: bold; }}")
        self.status.setText(word)


TILE_STATUS = {  # status: (word, fill, edge, ink)
    "on": ("On target", "#EEF7EC", "#2E7D32", "#1B5E20"),
    "near": ("Near target", "#FFF8E1", "#F9A825", "#6D4C00"),
    "off": ("Off target", "#FDECEA", "#C62828", "#8E1B1B"),
    "no value": ("No figure yet", "#F3F5F8", "#D5DAE1", "#5F6B7A"),
    None: ("No target set", "#F3F5F8", "#D5DAE1", "#5F6B7A"),
}
NEAR = 0.10  # within 10% of the target (relative) is "near"


def target_status(value: float | None, target: float | None, higher_is_better: bool) -> str | None:
    """``on``, ``near`` or ``off`` target, or none when there is no value or no target."""
    if value is None or target is None:
        return None
    if (value >= target) if higher_is_better else (value <= target):
        return "on"
    gap = abs(value - target) / max(abs(target), 1e-9)
    return "near" if gap <= NEAR else "off"


class PortfolioView(QWidget):
    initiative_chosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        self.tiles = {}
        for n, (key, title, _, _) in enumerate(TILES):
            tile = self.tiles[key] = Tile(title)
            grid.addWidget(tile, n // 3, n % 3)
        layout.addLayout(grid)
        filters = QHBoxLayout()
        self.stage, self.rag, self.objective, self.owner = QComboBox(), QComboBox(), QComboBox(), QComboBox()
        for combo, name in ((self.stage, "stage"), (self.rag, "value RAG"), (self.objective, "objective"),
                            (self.owner, "owner")):
            combo.setAccessibleName(f"Filter by {name}")
        for label, combo in (("Stage", self.stage), ("Value RAG", self.rag), ("Objective", self.objective),
                             ("Owner", self.owner)):
            filters.addWidget(QLabel(label + ":"))
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self._apply_filters)
        layout.addLayout(filters)
        self.model = HealthTableModel.made(None)
        self.model.setParent(self)
        self.proxy = HealthFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(self)
        self.table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_CODE, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)  # figures, not records: edited elsewhere
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_row)
        self.table.activated.connect(self._open_row)
        self.lower = QTabWidget()
        self.lower.addTab(self.table, "Value health")
        self.commentary = CommentaryPanel("portfolio")
        self.lower.addTab(self.commentary, "PMO commentary (whole portfolio)")
        layout.addWidget(self.lower, 1)
        self._data: PortfolioData | None = None
        self._ahead: list[HealthTableModel] = []  # made by workers, not shown yet

    def make_table_ahead(self, data: PortfolioData, result: PortfolioResult) -> None:
        """Called from the worker that has just computed ``result`` for a large file: the health table is
        made there (500 rows would hold the UI thread for tens of milliseconds), and the UI thread only
        puts it in place when it shows ``result``."""
        self._ahead.append(HealthTableModel.made(result, data, self.thread()))  # dropped on the UI thread only

    def clear_table(self) -> None:
        """No rows (no portfolio open): the next portfolio's first fill fits the columns."""
        self._show_table(HealthTableModel.made(None))

    def _show_table(self, model: HealthTableModel) -> None:
        from pmodesk.ui import workers

        old, self.model = self.model, model
        model.setParent(self)
        self.proxy.setSourceModel(model)
        workers.dispose(old.release_figures())  # a large file's figures are freed by a worker
        old.deleteLater()

    def show_first_figures(self, data, result: PortfolioResult) -> None:
        """A large file's figures before its full read (kept, or from a quick read of its columns): shown
        read-only, and freed by a worker when the next figures replace them."""
        self.set_result(data, result, True)
        self._first_figures = True

    _first_figures = False

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, read_only: bool = True) -> None:
        from pmodesk.ui import workers

        if self._first_figures and self._data is not data:
            workers.dispose(self._data)  # a read of its own: nothing of it is shared with the full read
        self._first_figures = False
        self._data = data
        first_fill = self.model.rowCount() == 0  # a refill keeps the widths (fitting 500 rows takes 0.1 s)
        made = list(self._ahead)  # a worker may add one meanwhile
        ahead = next((model for model in reversed(made) if model.result is result), None)
        if ahead is not None or len(made) > 2:  # it and any made before it are done with
            del self._ahead[:made.index(ahead) + 1 if ahead is not None else len(made) - 2]
        if ahead is not None:
            self._show_table(ahead)
        elif result is None or not self.model.update_in_place(result, data):
            self._show_table(HealthTableModel.made(result, data))
        self.commentary.set_scope(data, None, result.as_of if result else date.today(), read_only)
        if result is None:
            for tile in self.tiles.values():
                tile.value.setText("—")
                tile.detail.setText("")
                tile.set_status(None)
            return
        kpis = {k.metric: k for k in data.kpis}
        previous = result.previous_quarter
        for key, title, unit, higher in TILES:
            now, before = getattr(result.metrics, key), getattr(previous, key)
            tile = self.tiles[key]
            tile.value.setText(fmt.metric(now, unit))
            parts = []
            moved = travel(now, before, higher)  # the board pack's one better/worse/steady decision
            if moved.sense is not None:
                parts.append(f"{moved.label} (previous quarter {fmt.metric(before, unit)})")
            kpi = kpis.get(key)
            target = float(kpi.target) if kpi and kpi.target is not None else None
            if target is not None:
                parts.append(f"target {fmt.metric(target, unit)}" + (
                    f", baseline {fmt.metric(float(kpi.baseline), unit)}" if kpi.baseline is not None else ""))
            tile.set_status(target_status(now, target, higher) if now is not None or target is None else "no value")
            tile.detail.setText("; ".join(parts))
        self._fill_filters(data)
        if first_fill:  # a long name is elided (whole in its tooltip), not a scroll bar
            fit_columns(self.table, caps={COL_NAME: 300, COL_FLAGS: 300})

    def _fill_filters(self, data: PortfolioData) -> None:
        def refill(combo: QComboBox, items: list[tuple[str, object]]):
            listed = [(combo.itemText(n), combo.itemData(n)) for n in range(1, combo.count())]
            if combo.count() and listed == items:
                return  # the same choices (the same file's figures again): a large file has hundreds of owners
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("All", None)
            for label, value in items:
                combo.addItem(label, value)
            index = combo.findData(current)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

        refill(self.stage, [(s.value, s.value) for s in sorted({i.stage for i in data.initiatives},
                                                                key=lambda s: list(type(s)).index(s))])
        refill(self.rag, [("Green", "green"), ("Amber", "amber"), ("Red", "red"), ("None", "none")])
        refill(self.objective, [(f"{o.code} — {o.title}", o.id) for o in sorted(data.objectives, key=lambda o: o.code)])
        refill(self.owner, [(owner, owner) for owner in sorted({i.owner for i in data.initiatives if i.owner})])
        self._apply_filters()

    def _apply_filters(self) -> None:
        objective = self.objective.currentData()
        self.proxy.set_filters(self.stage.currentData(), self.rag.currentData(), objective, self.owner.currentData())

    def _open_row(self, index) -> None:
        source = self.proxy.mapToSource(index)
        self.initiative_chosen.emit(self.model.row_result(source.row()).initiative.id)
