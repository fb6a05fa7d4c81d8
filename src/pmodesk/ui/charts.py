"""The realisation chart of one benefit (pyqtgraph): plan, actuals, baseline and target, forecast band, go-live.

The plot items are made once and only their data changes when another benefit is shown. Clearing a
pyqtgraph plot and adding items again makes every redraw slower (old views linger) and, on PySide6
6.10–6.12, crashes the interpreter at exit.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from pmodesk.engine.portfolio import BenefitResult

pg.setConfigOptions(antialias=True, background="w", foreground="#1B1F24")


def _x(day: date | int) -> float:
    if isinstance(day, int):
        day = date.fromordinal(day)
    return datetime.combine(day, time(), tzinfo=timezone.utc).timestamp()


class BenefitChart(pg.GraphicsLayoutWidget):
    """The legend sits in its own row above the plot, so it never covers a line or a point."""

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        self.setMinimumHeight(220)
        self.legend = pg.LegendItem(colCount=7, verSpacing=-6, horSpacing=10)
        self.addItem(self.legend, row=0, col=0)
        self.ci.layout.setRowMaximumHeight(0, 26)
        # A step each on a large portfolio: the plot and its axes, the first lines, the others.
        self._to_make = [self._make_plot, self._make_plan_lines, self._make_other_lines]
        self.curves = ()

    def _make_plot(self) -> None:
        self.plot_item = self.addPlot(row=1, col=0, axisItems=axis_items(dates=("bottom",)))
        self.ci.layout.setRowStretchFactor(0, 0)
        self.ci.layout.setRowStretchFactor(1, 10)
        self.plot_item.showGrid(x=True, y=True, alpha=0.15)

    def make_next(self) -> BenefitChart:
        """Make the next part of the chart not made yet (each a step of its own, ``ui.turns``: the whole
        chart took a turn of over 20 ms); the chart."""
        if self._to_make:
            self._to_make.pop(0)()
        return self

    def _curve(self, name, **style):
        item = self.plot_item.plot(**style)
        if name:
            self.legend.addItem(item, name)
        return item

    def _make_plan_lines(self) -> None:
        dotted, dashed = Qt.PenStyle.DotLine, Qt.PenStyle.DashLine
        self.plan = self._curve("Planned trajectory", pen=pg.mkPen("#E08E0B", width=2, style=dashed))
        self.actual = self._curve("Actual", pen=pg.mkPen("#1F3A5F", width=2), symbol="o", symbolSize=5,
                                  symbolBrush="#1F3A5F")
        self.baseline = self._curve("Baseline", pen=pg.mkPen("#5F6B7A", style=dotted))
        self.target = self._curve("Target", pen=pg.mkPen("#2E7D32", style=dotted))

    def _make_other_lines(self) -> None:
        dotted, dashed = Qt.PenStyle.DotLine, Qt.PenStyle.DashLine
        self.go_live = self._curve("Go-live", pen=pg.mkPen("#7B1FA2", style=dashed))
        self.as_of = self._curve("As of", pen=pg.mkPen("#9AA5B1"))
        self.band_low, self.band_high = pg.PlotDataItem(), pg.PlotDataItem()
        self.band = pg.FillBetweenItem(self.band_low, self.band_high, brush=QColor(144, 164, 174, 80))
        self.plot_item.addItem(self.band)
        self.forecast = self._curve("Forecast from as-of date (80% band)",
                                    pen=pg.mkPen("#546E7A", width=1.5, style=dotted))
        self.curves = (self.plan, self.actual, self.baseline, self.target, self.go_live, self.as_of, self.forecast,
                       self.band_low, self.band_high)

    def setTitle(self, text: str, **style) -> None:  # noqa: N802 - pyqtgraph's name
        self.plot_item.setTitle(text, **style)

    def setLabel(self, *args, **kwargs) -> None:  # noqa: N802
        self.plot_item.setLabel(*args, **kwargs)

    def enableAutoRange(self) -> None:  # noqa: N802
        self.plot_item.enableAutoRange()

    def show_benefit(self, result: BenefitResult | None, go_live: date | None, as_of: date) -> None:
        while self._to_make:
            self.make_next()
        for curve in self.curves:
            curve.setData([], [])
        self.band.setVisible(False)  # the fill keeps its last path when its curves are emptied
        if result is None:
            self.setTitle("")
            return
        benefit, series = result.benefit, result.series
        self.setLabel("left", benefit.measure + (f" ({benefit.unit})" if benefit.unit else ""))
        if not series.valid:
            self.setTitle(f"{benefit.code}: no baseline recorded yet", size="10pt")
            return
        self.setTitle(f"{benefit.code} — {benefit.title}", size="10pt")
        end = max(benefit.target_date, as_of) + timedelta(days=15)
        days = sorted({series.b, *series.plan_days, end.toordinal()})
        self.plan.setData([_x(d) for d in days], [series.planned(d) for d in days])
        # Only measurements dated on or before the as-of date are actuals at D: the chart agrees with
        # the table beside it (a later measurement is in the file but not yet true "as of" D).
        cut = as_of.toordinal()
        shown = [(d, v) for d, v in zip(series.actual_days, series.actual_values) if d <= cut]
        if shown:
            self.actual.setData([_x(d) for d, _ in shown], [v for _, v in shown])
        x0, x1 = _x(series.b), _x(end)
        self.baseline.setData([x0, x1], [series.baseline] * 2)
        self.target.setData([x0, x1], [float(benefit.target_value)] * 2)
        values = series.plan_values + [v for _, v in shown] + [float(benefit.target_value)]
        low, high = min(values), max(values)
        if go_live is not None:
            self.go_live.setData([_x(go_live)] * 2, [low, high])
        self.as_of.setData([_x(as_of)] * 2, [low, high])
        forecast = result.forecast
        if forecast is not None and shown:
            start, target = cut, benefit.target_date.toordinal()
            if target > start:  # the forecast starts at the as-of date and runs to the target date
                to_value = lambda f: series.baseline + series.span * f  # noqa: E731
                xs = [_x(start), _x(target)]
                origin = to_value(forecast.at(start))
                self.band_low.setData(xs, [origin, to_value(forecast.interval[0])])
                self.band_high.setData(xs, [origin, to_value(forecast.interval[1])])
                self.forecast.setData(xs, [origin, to_value(forecast.fraction)])
                self.band.setVisible(True)
        self.enableAutoRange()

    def drawn_actual_days(self) -> list[int]:
        """The dates (ordinals) of the actuals on the chart, for checks."""
        if self._to_make:  # the lines are not all made yet: nothing is drawn
            return []
        xs, _ = self.actual.getData()
        if xs is None:
            return []
        return [datetime.fromtimestamp(x, tz=timezone.utc).date().toordinal() for x in xs]


def money_axis(orientation: str, currency) -> pg.AxisItem:
    """An axis whose ticks are money in the window's one format (``GBP 1.25m``); ``currency`` is a
    callable giving the portfolio's currency when the ticks are drawn."""
    from pmodesk.ui import formatting as fmt

    class MoneyAxis(KeptAxis, pg.AxisItem):
        def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph's name
            return [fmt.axis_money(v, spacing, currency()) for v in values]

    axis = MoneyAxis(orientation)
    axis.enableAutoSIPrefix(False)
    if orientation in ("left", "right"):
        axis.setWidth(84)  # room for "GBP 1.25m": pyqtgraph drops tick labels that do not fit
    return axis


def widen_flat_ranges(plot_item, xs, ys) -> None:
    """Automatic range, except on an axis where every point has the same value (every bubble at one
    cost, every run at one value): autorange would zoom in on nothing and repeat one tick label, so
    that axis shows a tenth of the value either side (at least 1)."""
    view = plot_item.getViewBox()
    view.enableAutoRange()
    for axis, values in ((view.XAxis, xs), (view.YAxis, ys)):
        values = [float(v) for v in values]
        if not values:
            continue
        low, high = min(values), max(values)
        if high - low <= max(1e-9, 1e-6 * abs(high)):  # one value (or a histogram's unit bin about it)
            pad = max(abs(high) * 0.1, 1.0)
            (view.setXRange if axis == view.XAxis else view.setYRange)(low - pad, high + pad, padding=0)


class CodeLabels(pg.GraphicsObject):
    """Every shown label of a chart in one item, painted in one pass at a fixed size in pixels.

    One pyqtgraph ``TextItem`` per bubble costs a third of a millisecond to make and as much to place;
    500 of them kept the window from answering for a third of a second. Labels are given in view
    coordinates (their top-left corners) and drawn unscaled, like ``TextItem``'s."""

    def __init__(self, colour: str = "#1B1F24"):
        super().__init__()
        from PySide6.QtGui import QFont

        self.labels: list[tuple[float, float, str]] = []
        self.font = QFont()
        self.colour = QColor(colour)

    def set_labels(self, labels: list[tuple[float, float, str]]) -> None:
        self.prepareGeometryChange()
        self.labels = labels
        self.update()

    def boundingRect(self):  # noqa: N802 - Qt's name
        from PySide6.QtCore import QRectF

        view = self.getViewBox()
        return QRectF(view.viewRect()) if view is not None else QRectF()

    def paint(self, painter, *_) -> None:
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QFontMetricsF

        if not self.labels:
            return
        transform = painter.transform()
        painter.save()
        painter.resetTransform()
        painter.setFont(self.font)
        painter.setPen(self.colour)
        ascent = QFontMetricsF(self.font).ascent()
        for x, y, text in self.labels:
            corner = transform.map(QPointF(x, y))
            painter.drawText(QPointF(corner.x() + 3, corner.y() + 1 + ascent), text)
        painter.restore()


class KeptAxis:
    """An axis (mixed into a pyqtgraph axis class) painted from a pixmap kept until pyqtgraph draws the
    axis anew (new ticks, a new size): replaying an axis's drawing (antialiased tick labels) took a few
    milliseconds an axis on every paint of a chart, a tab shown again included. Qt's own item cache
    (``DeviceCoordinateCache``) was dropped whenever the chart's tab was hidden."""

    _kept: tuple | None = None  # (bounding rect, pixel ratio, pixmap)

    def paint(self, painter, option, widget=None) -> None:
        from math import ceil

        from PySide6.QtGui import QPainter, QPixmap, QTransform

        if painter.transform().type().value > QTransform.TransformationType.TxTranslate.value:  # scaled or turned
            self._kept = self.picture = None  # pyqtgraph's own way: a picture, made again
            super().paint(painter, option, widget)
            return
        rect = self.boundingRect()
        ratio = painter.device().devicePixelRatioF()
        kept = self._kept
        if kept is None or self.picture is not kept[2] or kept[0] != rect or kept[1] != ratio:
            pixmap = QPixmap(max(1, ceil(rect.width() * ratio)), max(1, ceil(rect.height() * ratio)))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            inner = QPainter(pixmap)
            try:
                inner.setRenderHints(painter.renderHints())
                inner.translate(-rect.topLeft())
                if self.style["tickFont"]:
                    inner.setFont(self.style["tickFont"])
                specs = self.generateDrawSpecs(inner)  # as pyqtgraph's paint does, straight into the pixmap
                if specs is not None:
                    self.drawPicture(inner, *specs)
            finally:
                inner.end()
            self._kept = kept = (rect, ratio, pixmap)
            self.picture = pixmap  # pyqtgraph sets it to None when the axis must be drawn anew
        painter.drawPixmap(rect.topLeft(), kept[2])

    def drawPicture(self, p, axisSpec, tickSpecs, textSpecs) -> None:  # noqa: N802, N803 - pyqtgraph's names
        """pyqtgraph's drawing of an axis, its lines across the plot (the grid) filled as one-pixel
        rectangles: Qt's raster engine draws a long translucent line fifty times slower."""
        from PySide6.QtCore import QRectF

        p.setRenderHint(p.RenderHint.Antialiasing, False)
        p.setRenderHint(p.RenderHint.TextAntialiasing, True)
        for pen, start, end in [axisSpec, *tickSpecs]:
            thin = pen.style() == Qt.PenStyle.SolidLine and (pen.isCosmetic() or pen.widthF() <= 1) and pen.widthF() <= 1
            if thin and start.y() == end.y():
                left, right = sorted((start.x(), end.x()))
                p.fillRect(QRectF(left, start.y() - 0.5, right - left + 1, 1.0), pen.color())
            elif thin and start.x() == end.x():
                top, bottom = sorted((start.y(), end.y()))
                p.fillRect(QRectF(start.x() - 0.5, top, 1.0, bottom - top + 1), pen.color())
            else:
                p.setPen(pen)
                p.drawLine(start, end)
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        p.setClipRect(self.boundingRect().toAlignedRect())
        for rect, flags, text in textSpecs:
            p.drawText(rect, int(flags), text)


class Axis(KeptAxis, pg.AxisItem):
    pass


class _UtcZoomLevel(pg.graphicsItems.DateAxisItem.ZoomLevel):
    """pyqtgraph's zoom level, without its per-tick round trip through local time when the axis shows UTC:
    for days and longer it adds ``applyOffsetToUtc(tick, 0)``, which is 0 for every tick, after converting
    each tick to local time and back (a tenth of a millisecond each: most of a date axis's drawing)."""

    def moveTicksToLocalTimeCoords(self, ticks, spacing, skipFactor):  # noqa: N802 - pyqtgraph's name
        hour = pg.graphicsItems.DateAxisItem.HOUR_SPACING
        if self.utcOffset == 0 and len(ticks) and ((spacing == hour and skipFactor > 1) or spacing > hour):
            return ticks
        return super().moveTicksToLocalTimeCoords(ticks, spacing, skipFactor)


class DateAxis(KeptAxis, pg.DateAxisItem):
    def __init__(self, *args, **kwargs):
        import copy

        super().__init__(*args, **kwargs)
        for limit, level in list(self.zoomLevels.items()):  # this axis's own copies: pyqtgraph's are shared
            own = copy.copy(level)
            own.__class__ = _UtcZoomLevel
            self.zoomLevels[limit] = own


def axis_items(currency=None, money: tuple[str, ...] = (), dates: tuple[str, ...] = ()) -> dict:
    """A chart's two axes (left and bottom: pyqtgraph shows every axis it is given), each a
    :class:`KeptAxis`: ``money`` sides show money in the window's one format (``currency`` is a callable
    giving the currency), ``dates`` sides show dates."""
    return {side: money_axis(side, currency) if side in money else DateAxis(side, utcOffset=0) if side in dates
            else Axis(side) for side in ("left", "bottom")}
