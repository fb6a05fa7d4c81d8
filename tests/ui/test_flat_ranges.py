"""A chart whose points share one value on an axis shows a readable range there, not a zoom on nothing."""

from __future__ import annotations


def test_one_value_on_an_axis_gets_a_tenth_either_side(qtbot):
    import pyqtgraph as pg

    from pmodesk.ui import charts

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.resize(400, 300)
    plot.show()
    plot.plot([25000.0] * 5, [1.0, 2.0, 3.0, 4.0, 5.0], pen=None, symbol="o")
    charts.widen_flat_ranges(plot.plotItem, [25000.0] * 5, [1.0, 2.0, 3.0, 4.0, 5.0])
    (x_low, x_high), (y_low, y_high) = plot.plotItem.vb.viewRange()
    assert (x_low, x_high) == (22500.0, 27500.0)  # every point at one cost: ±10%
    assert y_low <= 1.0 and y_high >= 5.0 and y_high - y_low < 10  # a real spread keeps its automatic range
    charts.widen_flat_ranges(plot.plotItem, [0.0, 0.0], [58_506_189.0, 58_506_189.5])  # half a pound on £58m
    (x_low, x_high), (y_low, y_high) = plot.plotItem.vb.viewRange()
    assert (x_low, x_high) == (-1.0, 1.0) and y_low < 53_000_000 and y_high > 64_000_000
