"""The realisation chart of one benefit (pyqtgraph): plan, actuals, baseline and target, forecast band, go-live."""

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

    def show_benefit(self, result: BenefitResult | None, go_live: date | None, as_of: date) -> None:
        self.clear()
        if result is None:
            self.setTitle("")
            return
        benefit, series = result.benefit, result.series
        self.setTitle(f"{benefit.code} — {benefit.title}", size="10pt")
        self.setLabel("left", benefit.measure + (f" ({benefit.unit})" if benefit.unit else ""))
        if not series.valid:
            self.setTitle(f"{benefit.code}: no baseline recorded yet", size="10pt")
            return
        end = max(benefit.target_date, as_of) + timedelta(days=15)
        days = sorted({series.b, *series.plan_days, end.toordinal()})
        self.plot([_x(d) for d in days], [series.planned(d) for d in days], name="Planned trajectory",
                  pen=pg.mkPen("#E08E0B", width=2, style=Qt.PenStyle.DashLine))
        if series.actual_days:
            self.plot([_x(d) for d in series.actual_days], series.actual_values, name="Actual", pen=pg.mkPen("#1F3A5F", width=2),
                      symbol="o", symbolSize=5, symbolBrush="#1F3A5F")
        # Reference lines are plain plot items named in the legend: pyqtgraph's InfiniteLine labels and
        # TextItems, once cleared and re-added, crash PySide6 at interpreter exit (a binding refcount bug).
        x0, x1 = _x(series.b), _x(end)
        for level, name, colour in ((series.baseline, "Baseline", "#5F6B7A"),
                                    (float(benefit.target_value), "Target", "#2E7D32")):
            self.plot([x0, x1], [level, level], name=name, pen=pg.mkPen(colour, style=Qt.PenStyle.DotLine))
        values = series.plan_values + series.actual_values + [float(benefit.target_value)]
        low, high = min(values), max(values)
        if go_live is not None:
            self.plot([_x(go_live)] * 2, [low, high], name="Go-live",
                      pen=pg.mkPen("#7B1FA2", style=Qt.PenStyle.DashLine))
        self.plot([_x(as_of)] * 2, [low, high], name="As of", pen=pg.mkPen("#9AA5B1"))
        forecast = result.forecast
        if forecast is not None and series.actual_days:
            start, target = series.actual_days[-1], benefit.target_date.toordinal()
            if target > start:
                to_value = lambda f: series.baseline + series.span * f  # noqa: E731
                xs = [_x(start), _x(target)]
                lo = pg.PlotDataItem(xs, [to_value(forecast.at(start)), to_value(forecast.interval[0])])
                hi = pg.PlotDataItem(xs, [to_value(forecast.at(start)), to_value(forecast.interval[1])])
                band = pg.FillBetweenItem(lo, hi, brush=QColor(144, 164, 174, 80))
                self.addItem(band)
                self.plot(xs, [to_value(forecast.at(start)), to_value(forecast.fraction)], name="Forecast (80% band)",
                          pen=pg.mkPen("#546E7A", width=1.5, style=Qt.PenStyle.DotLine))
