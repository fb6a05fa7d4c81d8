"""Objectives × initiatives with link weights (unaligned initiatives highlighted), and the cost /
value / risk trade-off as a bubble chart."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from pmodesk.domain.model import PortfolioData
from pmodesk.engine.portfolio import PortfolioResult
from pmodesk.ui import formatting as fmt
from pmodesk.ui.decision_views import DecisionPanel
from pmodesk.ui.labels import place_labels
from pmodesk.ui.models import Field, RowsModel, fit_columns, record_table
from pmodesk.ui.turns import Steps

UNALIGNED = QColor("#FDECEA")


class AlignmentView(QWidget):
    initiative_chosen = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.note = QLabel("Weights of each initiative's links to strategic objectives. Active initiatives not "
                           "linked to an active objective are highlighted; retired objectives are marked.")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.model = RowsModel([], self)
        self.table = record_table(QTableView(), self.model, name="Strategic alignment", sort_as_listed=True, rows=True)
        self.table.doubleClicked.connect(lambda index: self.initiative_chosen.emit(
            self.model.row(index.row()).initiative.id))
        layout.addWidget(self.table, 1)

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, read_only: bool = True) -> None:
        if data is None or result is None:
            self.model.set_rows([], [])
            return
        objectives = sorted(data.objectives, key=lambda o: o.code)
        weights = {(link.initiative_id, link.objective_id): link.weight for link in data.objective_links}

        def gap(r):
            return UNALIGNED if r.active and not r.aligned else None

        def gap_tip(r):
            return "Active but not linked to an active objective (a governance gap)" if gap(r) else None

        def weight_of(objective):
            def text(r):
                key = (r.initiative.id, objective.id)
                return "" if key not in weights else str(weights[key] if weights[key] is not None else 1)
            return text

        columns = [Field("Initiative", lambda r: f"{r.initiative.code} — {r.initiative.name}",
                         lambda r: r.initiative.code, tooltip=gap_tip, background=gap),
                   Field("Stage", lambda r: r.initiative.stage.value, background=gap)]
        for objective in objectives:
            columns.append(Field(f"{objective.code}{'' if objective.active else ' (retired)'}", weight_of(objective),
                                 tooltip=lambda r, o=objective: f"{o.title} (owner {o.owner or '—'})",
                                 background=gap, align_right=True))
        self.model.set_rows(sorted(result.initiatives, key=lambda r: r.initiative.code), columns)
        fit_columns(self.table, caps={0: 420})

    def row_of(self, code: str) -> int:
        return next(n for n in range(self.model.rowCount()) if self.model.row(n).initiative.code == code)


RISK_BANDS = (("low (1–7)", "#2E7D32", 0), ("medium (8–15)", "#F9A825", 8), ("high (16–25)", "#C62828", 16))


LABELS_IN_BACKGROUND_FROM = 100  # bubbles; fewer are labelled at once (a few milliseconds)
LABELS_AFTER_STEPS_MS = 30  # how often a placing waiting for the tab's steps looks again


def risk_colour(risk: int) -> str:
    return "#C62828" if risk >= 16 else "#F9A825" if risk >= 8 else "#2E7D32"


class TradeOffView(QWidget):
    """Remaining cost (x) against expected remaining value (y); colour and size by risk score.

    Every bubble carries its initiative's code, placed where it covers no other label or bubble; a
    click on a bubble opens the initiative.
    """

    initiative_chosen = Signal(int)
    _labels_placed = Signal(int, object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._label_generation = 0
        self._labels_placed.connect(self._show_labels)
        self._steps = Steps(self)
        self._split = None  # the charts' frame, made with the first chart
        layout = QVBoxLayout(self)
        self.note = QLabel("Active and proposed initiatives: remaining cost against expected remaining value "
                           "(planned value to the end of tracking × confidence). Bigger bubbles carry more risk. "
                           "Click a bubble to open its initiative.")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        legend = QHBoxLayout()
        legend.addWidget(QLabel("Risk score:"))
        for text, colour, _ in RISK_BANDS:
            swatch = QLabel("●")
            swatch.setStyleSheet(f"color: {colour}; font-size: 16px;")
            legend.addWidget(swatch)
            legend.addWidget(QLabel(text))
        legend.addStretch(1)
        layout.addLayout(legend)
        self._layout = layout
        self.plot = None  # made on first use: pyqtgraph is not needed to start the window
        self.codes: list[str] = []
        self.decisions = DecisionPanel()  # the efficient frontier and value at risk (section 17)
        self._shown: list = []
        self._currency = ""

    def _make_frame(self) -> None:
        """The bubble chart's place above, the frontier and value at risk below (the user can move the divider)."""
        if self._split is not None:
            return
        split = QSplitter(Qt.Orientation.Vertical)
        self._placeholder = QWidget()
        self._placeholder.setMinimumHeight(220)  # the chart's own minimum, so the layout does not jump
        split.addWidget(self._placeholder)
        split.addWidget(self.decisions)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.setSizes([1000, 1000])  # half each at first, scaled to the space there is
        self._layout.addWidget(split, 1)
        self._split = split

    def _make_plot(self) -> None:
        import pyqtgraph as pg

        from pmodesk.ui import charts  # also sets the window's chart colours, even when this chart comes first

        self._make_frame()
        self.pg = pg

        plot = pg.PlotWidget(axisItems=charts.axis_items(lambda: self._currency, money=("bottom", "left")))
        plot.plotItem.vb.setDefaultPadding(0.08)  # room for the labels of bubbles at the edges
        plot.setMinimumHeight(220)
        plot.setLabel("left", "Expected remaining value")
        plot.showGrid(x=True, y=True, alpha=0.15)
        self.scatter = pg.ScatterPlotItem(pen=pg.mkPen("w"), hoverable=True,  # made once; only its data changes
                                          tip=self._tip)
        self.scatter.sigClicked.connect(self._clicked)
        plot.addItem(self.scatter)
        self.code_labels = charts.CodeLabels()
        plot.addItem(self.code_labels, ignoreBounds=True)
        # Placed once per turn of the event loop, however many range and size changes came first.
        from PySide6.QtCore import QTimer

        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.timeout.connect(self._place_labels)
        plot.plotItem.vb.sigRangeChanged.connect(lambda *_: self._label_timer.start(0))
        plot.plotItem.vb.sigResized.connect(lambda *_: self._label_timer.start(0))
        sizes = self._split.sizes()
        self._split.replaceWidget(0, plot)
        self._split.setSizes(sizes)
        self._placeholder.deleteLater()
        self.plot = plot

    def _tip(self, x, y, data) -> str:
        r = next((r for r in self._shown if r.initiative.id == data), None)
        if r is None:
            return ""
        return (f"{r.initiative.code} — {r.initiative.name}\nremaining cost {fmt.money(x, self._currency)}\n"
                f"expected remaining value {fmt.money(y, self._currency)}\nrisk score {r.risk_score or '—'}")

    def _clicked(self, _item, points, *_) -> None:
        if len(points):
            self.initiative_chosen.emit(int(points[0].data()))

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, read_only: bool = True) -> None:
        from pmodesk.ui import decision_views

        if result is not None and len(result.benefits) >= decision_views.BACKGROUND_FROM_BENEFITS:
            # A large portfolio: the charts are made and filled a step per turn of the event loop, each a few
            # milliseconds; then the frontier and value at risk start computing, off the UI thread (started
            # first, their workers' Python would have made each step wait for the interpreter lock).
            self.decisions.set_result(data, result, start=False)
            first = [] if self.plot is not None else [lambda: self._make_frame() or self._split,
                                                      lambda: self._make_plot() or self.plot]
            self._steps.start(*first, lambda: self._show_result(result) or self.plot, *self.decisions.plot_steps(),
                              after=self)
            return
        self._steps.cancel()  # a small portfolio's figures come at once: nothing older is left to show
        if self.plot is None:
            if result is None:
                return
            self._make_plot()
        self.decisions.set_result(data, result)
        self._show_result(result)

    def _show_result(self, result: PortfolioResult | None) -> None:
        pg = self.pg
        self._currency = result.currency if result else ""
        self.plot.setLabel("bottom", f"Remaining cost ({self._currency})")
        if result is None:
            self.scatter.setData([])
            self.code_labels.set_labels([])
            self.codes, self._shown = [], []
            return
        import numpy as np

        shown = [r for r in result.initiatives if r.active or not r.funded]
        risks = [r.risk_score or 0 for r in shown]
        brushes = {colour: pg.mkBrush(colour) for _, colour, _ in RISK_BANDS}  # shared: one per colour
        self.scatter.setData(x=np.array([float(r.remaining_cost) for r in shown], dtype=float),
                             y=np.array([r.expected_remaining_value for r in shown], dtype=float),
                             size=np.array([10 + risk for risk in risks], dtype=float),
                             brush=[brushes[risk_colour(risk)] for risk in risks],
                             data=[r.initiative.id for r in shown])
        self._shown = shown
        self.codes = [r.initiative.code for r in shown]
        from pmodesk.ui import charts

        charts.widen_flat_ranges(self.plot.plotItem, [r.remaining_cost for r in shown],
                                 [r.expected_remaining_value for r in shown])
        self._place_labels()

    def _place_labels(self) -> None:
        """Each bubble's label beside it where it covers nothing else (``labels.place_labels``); for many
        bubbles the placing runs in a background worker and the newest placing is shown."""
        if self.plot is None:
            return
        self._label_generation += 1
        if not self._shown:
            self.code_labels.set_labels([])
            return
        import numpy as np
        from PySide6.QtGui import QFontMetrics

        vb = self.plot.plotItem.vb
        vb.updateMatrix()  # a range just set reaches the view's transform only when it is next drawn
        rect = vb.sceneBoundingRect()
        to_scene = vb.childGroup.sceneTransform()  # view coordinates to scene pixels (affine)
        xs = np.array([float(r.remaining_cost) for r in self._shown])
        ys = np.array([r.expected_remaining_value for r in self._shown], dtype=float)
        px = to_scene.m11() * xs + to_scene.m21() * ys + to_scene.dx() - rect.left()
        py = to_scene.m12() * xs + to_scene.m22() * ys + to_scene.dy() - rect.top()
        bubbles = [(x, y, (10 + (r.risk_score or 0)) / 2) for x, y, r in zip(px.tolist(), py.tolist(), self._shown)]
        metrics = QFontMetrics(self.code_labels.font)
        sizes = [(metrics.horizontalAdvance(code) + 6, metrics.height() + 2) for code in self.codes]
        width, height, codes, generation = rect.width(), rect.height(), list(self.codes), self._label_generation
        to_view, _ = to_scene.inverted()
        origin = (rect.left(), rect.top())
        if len(bubbles) < LABELS_IN_BACKGROUND_FROM:
            self._show_labels(generation, (to_view, origin, codes, place_labels(bubbles, sizes, width, height)))
            return
        if self._steps.pending():  # the tab's charts are still being made, a step per turn: placed after them
            self._label_timer.start(LABELS_AFTER_STEPS_MS)  # (a worker's Python would slow each step down)
            return
        from pmodesk.ui import workers

        def work() -> None:
            answer = (to_view, origin, codes, place_labels(bubbles, sizes, width, height))
            try:
                self._labels_placed.emit(generation, answer)
            except RuntimeError:
                pass  # the window closed meanwhile

        workers.submit(work)

    def _show_labels(self, generation: int, answer) -> None:
        if generation != self._label_generation:
            return  # the chart moved since: a newer placing is on its way
        to_view, (left, top), codes, places = answer
        labels = []
        for place, code in zip(places, codes):
            if place.shown:
                x, y = place.x + left, place.y + top
                labels.append((to_view.m11() * x + to_view.m21() * y + to_view.dx(),
                               to_view.m12() * x + to_view.m22() * y + to_view.dy(), code))
        self.code_labels.set_labels(labels)

    def shown_labels(self) -> list[str]:
        return [code for _, _, code in self.code_labels.labels]
