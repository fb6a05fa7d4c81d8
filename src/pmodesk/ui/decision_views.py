"""Decisions under uncertainty in the window (DESIGN.md section 17): the efficient frontier with the
current plan marked, and the distribution of forecast value (value at risk).

Both figures come from the engine (``engine.frontier``, ``engine.risk``), the same functions the
command line and the board pack use. A large portfolio's figures are computed off the UI thread (a
worker thread gathers the inputs, the window's child process does the heavy part: ``ui.processes``) and
only the newest answer is shown.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from pmodesk.domain.model import PortfolioData
from pmodesk.engine.portfolio import PortfolioResult
from pmodesk.ui import processes, workers
from pmodesk.ui.turns import Steps

BACKGROUND_FROM_BENEFITS = 200  # below this the figures take a few milliseconds: no thread needed


class _Computed(QWidget):
    """A panel whose figure is computed from a result, at once when small, else off the UI thread."""

    _done = Signal(int, object, object)

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self._generation = 0
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        heading = QLabel(f"<b>{title}</b>")
        self._layout.addWidget(heading)
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._layout.addStretch(1)  # until the plot comes, the caption ("Computing…") sits at the bottom
        self._layout.addWidget(self.caption)
        self.plot = None
        self._done.connect(self._deliver)
        self.answer = None
        self._steps = Steps(self)
        self._pending = None  # (generation, result, answer) waiting for the chart
        self._plot_coming = False  # a caller's step will make the chart

    def _make_plot(self) -> None:
        self._make_widget()
        self._make_items()

    def _make_widget(self) -> None:
        import pyqtgraph as pg

        from pmodesk.ui import charts  # also sets pyqtgraph's colours for the whole window

        if self.plot is not None:
            return
        self.pg = pg
        self.plot = pg.PlotWidget(axisItems=charts.axis_items(lambda: self._currency, money=self.money_axes))
        self.plot.setMinimumHeight(140)
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        stretch = self._layout.itemAt(1)  # the plot takes the stretch's place, above the caption
        self._layout.removeItem(stretch)
        self._layout.insertWidget(1, self.plot, 1)

    def _make_items(self) -> None:
        if not self._built:
            self._build(self.pg)
            self._built = True

    _built = False  # the chart's own items (curves, legend) are made

    money_axes: tuple[str, ...] = ()  # axes that carry money, labelled in the window's one format
    _currency = ""

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, start: bool = True) -> None:
        """Compute the figure of ``result``: at once on a small portfolio; on a large one off the UI thread,
        from now or (``start`` False) from :meth:`start_work`, once the caller's charts are made (made while
        a worker runs Python, each of their steps would wait for the interpreter lock)."""
        self._generation += 1
        self._work_later = None
        self._currency = result.currency if result is not None else ""
        if result is None or data is None:
            if self._built:
                self._clear()
            self.caption.setText("")
            return
        generation = self._generation
        if len(result.benefits) < BACKGROUND_FROM_BENEFITS:
            self._make_plot()
            self._deliver(generation, result, self._compute(data, result, None))  # here
            return
        # A large portfolio: the plot is made by the steps of plot_steps or when the answer comes.
        self.caption.setText("Computing…")

        def work() -> None:
            try:
                answer = self._compute(data, result, processes.run)
            except Exception as error:  # shown in the panel, never lost in a thread
                answer = error
            try:
                self._done.emit(generation, result, answer)
            except RuntimeError:
                pass  # the window closed while this was computing: nobody is waiting for the answer

        if start:
            workers.submit(work)
        else:
            self._work_later = work

    _work_later = None

    def start_work(self) -> None:
        """Start the computation :meth:`set_result` was asked to hold (a step of the caller's, ``ui.turns``)."""
        work, self._work_later = self._work_later, None
        if work is not None:
            workers.submit(work)

    def _deliver(self, generation: int, result, answer) -> None:
        if generation != self._generation:
            return  # a newer result is on its way
        if isinstance(answer, Exception):
            self.caption.setText(f"Could not compute this figure: {answer}")
            return
        if not self._built:  # the answer came before the chart: the chart first, the answer in a later turn
            self._pending = (generation, result, answer)
            if not self._plot_coming:  # (else a step of the view's makes it, then calls show_pending)
                self._steps.start(*self._plot_steps())
            return
        self.answer = answer
        self._show(result, answer)

    def plot_steps(self) -> list:
        """Steps (``ui.turns``) that make the empty chart ahead of the answer and show an answer that came
        before the chart; the caller runs them."""
        self._plot_coming = True
        return self._plot_steps()

    def _plot_steps(self) -> list:
        return [self.make_widget, self.make_plot, self.show_pending]

    def make_widget(self) -> None:
        """The chart's frame, axes and grid (a step of its own on a large portfolio: a turn of over 16 ms
        with its curves)."""
        self._make_widget()

    def make_plot(self):
        """The empty chart, made whole (a step of its own on a large portfolio); the chart."""
        self._make_plot()
        self._plot_coming = False
        return self.plot

    def show_pending(self):
        """An answer that came before its chart, shown (a step of its own); the chart, if anything was shown."""
        if self._pending is None:
            return None
        pending, self._pending = self._pending, None
        self._deliver(*pending)
        return self.plot


class FrontierChart(_Computed):
    """Budget (remaining cost) against the best expected remaining value it buys; the current plan marked."""

    money_axes = ("bottom", "left")

    def __init__(self, parent=None):
        super().__init__("Efficient frontier: what each budget buys", parent)

    def _build(self, pg) -> None:
        self.plot.setLabel("left", "Expected remaining value")
        self.plot.addLegend(offset=(10, 5))
        # The best value holds from one budget to the next, so the frontier is drawn as steps through its points.
        self.steps = self.plot.plot(pen=pg.mkPen("#1F3A5F", width=2))
        self.curve = self.plot.plot(name="Best set for the budget (exact)", pen=None, symbol="o", symbolSize=6,
                                    symbolBrush="#1F3A5F")
        self.current = pg.ScatterPlotItem(name="Current plan", symbol="star", size=16,
                                          brush=pg.mkBrush("#C62828"), pen=pg.mkPen("#7F0000"))
        self.plot.addItem(self.current)

    def _clear(self) -> None:
        self.curve.setData([], [])
        self.steps.setData([], [])
        self.current.setData([])

    def _compute(self, data, result, run):
        from pmodesk.engine.frontier import portfolio_frontier

        return portfolio_frontier(result, data.portfolio.risk_weight, run=run)

    def _show(self, result, answer) -> None:
        from pmodesk.engine.frontier import frontier_sentences

        frontier, payload = answer
        self.plot.setLabel("bottom", f"Budget for remaining cost ({result.currency})")
        xs = [float(Decimal(p["budget"])) for p in payload["points"]]
        ys = [float(Decimal(p["expected_remaining_value"])) for p in payload["points"]]
        self.curve.setData(xs, ys)
        self.steps.setData([x for i, x in enumerate(xs) for x in ([x, xs[i + 1]] if i + 1 < len(xs) else [x])],
                           [y for i, y in enumerate(ys) for y in ([y, y] if i + 1 < len(ys) else [y])])
        current = payload["current"]
        self.current.setData([{"pos": (float(Decimal(current["remaining_cost"])),
                                       float(Decimal(current["expected_remaining_value"]))),
                               "data": "Current plan"}])
        self.caption.setText(" ".join(frontier_sentences(payload)))
        from pmodesk.ui import charts

        charts.widen_flat_ranges(self.plot.plotItem, xs, ys)


class RiskChart(_Computed):
    """The distribution of portfolio forecast value over the Monte Carlo runs, with P10, P50 and P90."""

    money_axes = ("bottom",)

    def __init__(self, parent=None):
        super().__init__("Value at risk: how sure the forecast value is", parent)

    def _build(self, pg) -> None:
        self.plot.setLabel("left", "Runs")
        self.histogram = pg.PlotDataItem(stepMode="center", fillLevel=0, fillOutline=True,
                                         brush=(31, 58, 95, 90), pen=pg.mkPen("#1F3A5F"))
        self.plot.addItem(self.histogram)
        self.lines = {}
        for key, colour in (("P10", "#C62828"), ("P50", "#1B1F24"), ("P90", "#2E7D32")):
            line = pg.InfiniteLine(angle=90, pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine),
                                   label=key, labelOpts={"position": 0.92, "color": colour})
            self.plot.addItem(line)
            self.lines[key] = line

    def _clear(self) -> None:
        self.histogram.setData([], [])
        for line in self.lines.values():
            line.setVisible(False)

    def _compute(self, data, result, run):
        from pmodesk.engine.risk import value_at_risk

        return value_at_risk(result, run=run)

    def _show(self, result, var) -> None:
        import numpy as np

        from pmodesk.engine.risk import largest_downside
        from pmodesk.ui import formatting as fmt

        currency = result.currency
        self.plot.setLabel("bottom", f"Forecast value to the end of tracking ({currency})")
        counts, edges = np.histogram(var.portfolio_runs, bins=40)
        self.histogram.setData(edges, counts)
        for key, value in (("P10", var.forecast_value.p10), ("P50", var.forecast_value.p50),
                           ("P90", var.forecast_value.p90)):
            self.lines[key].setValue(value)
            self.lines[key].setVisible(True)
        money = lambda v: fmt.money(v, currency)  # noqa: E731
        words = [f"P10 {money(var.forecast_value.p10)} · P50 {money(var.forecast_value.p50)} · "
                 f"P90 {money(var.forecast_value.p90)}."]
        roi = var.forecast_roi_pct
        if roi is not None:
            words.append(f"Forecast portfolio ROI P10 {fmt.pct(roi.p10)} · P50 {fmt.pct(roi.p50)} · P90 {fmt.pct(roi.p90)}.")
        if var.probability_roi_target is not None:
            words.append(f"Chance that forecast ROI reaches its target: {100 * var.probability_roi_target:.0f}%.")
        downside = largest_downside(var, 3)
        if downside:
            words.append("Most of the downside: " + ", ".join(f"{i.code} ({money(i.downside_contribution)})"
                                                              for i in downside) + ".")
        if var.held_at_latest_actual:
            words.append(f"{len(var.held_at_latest_actual)} benefit(s) without a forecast held at their latest actual.")
        words.append(f"Method: Monte Carlo over each forecast trend's sampling distribution (Student's t), "
                     f"{var.runs:,} runs, seed {var.seed} — hover for the whole method.")
        self.caption.setText(" ".join(words))
        self.caption.setToolTip(var.method)
        from pmodesk.ui import charts

        charts.widen_flat_ranges(self.plot.plotItem, edges, [0, max(counts.max(), 1)])


class DecisionPanel(QWidget):
    """The frontier and the value-at-risk distribution side by side, under the trade-off chart."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.frontier = FrontierChart()
        self.risk = RiskChart()
        layout.addWidget(self.frontier, 1)
        layout.addWidget(self.risk, 1)

    def set_result(self, data: PortfolioData | None, result: PortfolioResult | None, start: bool = True) -> None:
        self.frontier.set_result(data, result, start)
        self.risk.set_result(data, result, start)

    def plot_steps(self) -> list:
        """Making each empty chart, and showing an answer that came first, a step each (``ui.turns``); then
        the computations held by ``set_result(..., start=False)`` start."""
        return self.frontier.plot_steps() + self.risk.plot_steps() + [self.start_work]

    def start_work(self) -> None:
        self.frontier.start_work()
        self.risk.start_work()
