"""Objectives × initiatives with link weights (unaligned initiatives highlighted), and the cost /
value / risk trade-off as a bubble chart."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from pmodesk.domain.model import PortfolioData
from pmodesk.engine.portfolio import PortfolioResult
from pmodesk.ui.decision_views import DecisionPanel

UNALIGNED = QColor("#FDECEA")


class AlignmentView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.note = QLabel("Weights of each initiative's links to strategic objectives. Active initiatives not "
                           "linked to an active objective are highlighted; retired objectives are marked.")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None) -> None:
        if data is None or result is None:
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        objectives = sorted(data.objectives, key=lambda o: o.code)
        initiatives = sorted(result.initiatives, key=lambda r: r.initiative.code)
        weights = {(link.initiative_id, link.objective_id): link.weight for link in data.objective_links}
        self.table.setColumnCount(len(objectives) + 2)
        self.table.setHorizontalHeaderLabels(["Initiative", "Stage"] + [
            f"{o.code}{'' if o.active else ' (retired)'}" for o in objectives])
        self.table.setRowCount(len(initiatives))
        for row, r in enumerate(initiatives):
            i = r.initiative
            cells = [f"{i.code} — {i.name}", i.stage.value]
            for objective in objectives:
                key = (i.id, objective.id)
                cells.append("" if key not in weights else str(weights[key] if weights[key] is not None else 1))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if r.active and not r.aligned:
                    item.setBackground(QBrush(UNALIGNED))
                    item.setToolTip("Active but not linked to an active objective (a governance gap)")
                self.table.setItem(row, column, item)
        for column, objective in enumerate(objectives, start=2):
            self.table.horizontalHeaderItem(column).setToolTip(objective.title)
        self.table.resizeColumnsToContents()


class TradeOffView(QWidget):
    """Remaining cost (x) against expected remaining value (y); colour and size by risk score."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.note = QLabel("Active and proposed initiatives: remaining cost against expected remaining value "
                           "(planned value to the end of tracking × confidence). Bigger, redder bubbles carry more "
                           "risk.")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self._layout = layout
        self.plot = None  # made on first use: pyqtgraph is not needed to start the window
        self.codes: list[str] = []
        self.decisions = DecisionPanel()  # the efficient frontier and value at risk (section 17)

    def _make_plot(self) -> None:
        import pyqtgraph as pg

        from pmodesk.ui import charts  # noqa: F401  (the window's chart colours, even when this chart comes first)

        self.pg = pg
        self.plot = pg.PlotWidget()
        self.plot.setMinimumHeight(220)
        self.plot.setLabel("left", "Expected remaining value")
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        self.scatter = pg.ScatterPlotItem(pen=pg.mkPen("w"), hoverable=True,  # made once; only its data changes
                                          tip=lambda x, y, data: f"{data}: cost {x:,.0f}, value {y:,.0f}")
        self.plot.addItem(self.scatter)
        self._layout.addWidget(self.plot, 1)
        self._layout.addWidget(self.decisions, 1)

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None) -> None:
        if self.plot is None:
            if result is None:
                return
            self._make_plot()
        pg = self.pg
        self.plot.setLabel("bottom", f"Remaining cost ({result.currency if result else ''})")
        self.decisions.set_result(data, result)
        if result is None:
            self.scatter.setData([])
            self.codes = []
            return
        shown = [r for r in result.initiatives if r.active or not r.funded]
        spots = []
        for r in shown:
            risk = r.risk_score or 0
            colour = "#C62828" if risk >= 16 else "#F9A825" if risk >= 8 else "#2E7D32"
            spots.append({"pos": (float(r.remaining_cost), r.expected_remaining_value), "size": 10 + risk,
                          "brush": pg.mkBrush(colour), "data": r.initiative.code})
        self.scatter.setData(spots)
        self.codes = [s["data"] for s in spots]
