"""Thin Qt models over the domain records, with named column constants."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from pmodesk.domain.model import Initiative, PortfolioData
from pmodesk.domain.money import format_money

SORT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Initiative, PortfolioData], str]
    sort_key: Callable[[Initiative, PortfolioData], Any]
    align_right: bool = False


def _date(value) -> str:
    return value.isoformat() if value else "—"


def _money(initiative: Initiative, data: PortfolioData) -> str:
    if initiative.planned_investment is None:
        return "—"
    return format_money(initiative.planned_investment, data.portfolio.currency)


INITIATIVE_COLUMNS = [
    Column("Code", lambda i, d: i.code, lambda i, d: i.code),
    Column("Initiative", lambda i, d: i.name, lambda i, d: i.name.casefold()),
    Column("Stage", lambda i, d: i.stage.value, lambda i, d: list(type(i.stage)).index(i.stage)),
    Column("Owner", lambda i, d: i.owner or "—", lambda i, d: (i.owner or "").casefold()),
    Column("Planned investment", _money, lambda i, d: i.planned_investment or 0, align_right=True),
    Column("Go-live", lambda i, d: _date(i.go_live), lambda i, d: i.go_live.isoformat() if i.go_live else ""),
    Column("Delivery RAG", lambda i, d: i.delivery_rag.value if i.delivery_rag else "—",
           lambda i, d: i.delivery_rag.value if i.delivery_rag else ""),
]
COL_CODE, COL_NAME, COL_STAGE, COL_OWNER, COL_INVESTMENT, COL_GO_LIVE, COL_DELIVERY_RAG = range(len(INITIATIVE_COLUMNS))


class InitiativeTableModel(QAbstractTableModel):
    """One row per initiative. Cell text is computed on demand, so large portfolios stay cheap."""

    def __init__(self, data: PortfolioData | None = None, parent=None):
        super().__init__(parent)
        self._data = data
        self._rows: list[Initiative] = sorted(data.initiatives, key=lambda i: i.code) if data else []

    def set_portfolio(self, data: PortfolioData) -> None:
        self.beginResetModel()
        self._data = data
        self._rows = sorted(data.initiatives, key=lambda i: i.code)
        self.endResetModel()

    def initiative(self, row: int) -> Initiative:
        return self._rows[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(INITIATIVE_COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = INITIATIVE_COLUMNS[index.column()]
        initiative = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(initiative, self._data)
        if role == SORT_ROLE:
            key = column.sort_key(initiative, self._data)
            # Qt compares only its own types; a Decimal would be compared as an opaque object.
            return float(key) if isinstance(key, Decimal) else key
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == COL_NAME:
            return initiative.description
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return INITIATIVE_COLUMNS[section].title
        return None
