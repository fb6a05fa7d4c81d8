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


class BenefitChart(pg.PlotWidget):
    def __init__(self, parent=None):
        super().__init__(parent=parent, axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
        self.setMinimumHeight(220)
        self.showGrid(x=True, y=True, alpha=0.15)
        legend = self.addLegend(offset=(10, 5))
        legend.setColumnCount(4)
        dotted, dashed = Qt.PenStyle.DotLine, Qt.PenStyle.DashLine
        self.plan = self.plot(name="Planned trajectory", pen=pg.mkPen("#E08E0B", width=2, style=dashed))
        self.actual = self.plot(name="Actual", pen=pg.mkPen("#1F3A5F", width=2), symbol="o", symbolSize=5,
                                symbolBrush="#1F3A5F")
        self.baseline = self.plot(name="Baseline", pen=pg.mkPen("#5F6B7A", style=dotted))
        self.target = self.plot(name="Target", pen=pg.mkPen("#2E7D32", style=dotted))
        self.go_live = self.plot(name="Go-live", pen=pg.mkPen("#7B1FA2", style=dashed))
        self.as_of = self.plot(name="As of", pen=pg.mkPen("#9AA5B1"))
        self.band_low, self.band_high = pg.PlotDataItem(), pg.PlotDataItem()
        self.band = pg.FillBetweenItem(self.band_low, self.band_high, brush=QColor(144, 164, 174, 80))
        self.addItem(self.band)
        self.forecast = self.plot(name="Forecast (80% band)", pen=pg.mkPen("#546E7A", width=1.5, style=dotted))
        self.curves = (self.plan, self.actual, self.baseline, self.target, self.go_live, self.as_of, self.forecast,
                       self.band_low, self.band_high)

    def show_benefit(self, result: BenefitResult | None, go_live: date | None, as_of: date) -> None:
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
        if series.actual_days:
            self.actual.setData([_x(d) for d in series.actual_days], series.actual_values)
        x0, x1 = _x(series.b), _x(end)
        self.baseline.setData([x0, x1], [series.baseline] * 2)
        self.target.setData([x0, x1], [float(benefit.target_value)] * 2)
        values = series.plan_values + series.actual_values + [float(benefit.target_value)]
        low, high = min(values), max(values)
        if go_live is not None:
            self.go_live.setData([_x(go_live)] * 2, [low, high])
        self.as_of.setData([_x(as_of)] * 2, [low, high])
        forecast = result.forecast
        if forecast is not None and series.actual_days:
            start, target = series.actual_days[-1], benefit.target_date.toordinal()
            if target > start:
                to_value = lambda f: series.baseline + series.span * f  # noqa: E731
                xs = [_x(start), _x(target)]
                origin = to_value(forecast.at(start))
                self.band_low.setData(xs, [origin, to_value(forecast.interval[0])])
                self.band_high.setData(xs, [origin, to_value(forecast.interval[1])])
                self.forecast.setData(xs, [origin, to_value(forecast.fraction)])
                self.band.setVisible(True)
        self.enableAutoRange()
