"""The window's chart pieces: axes painted from a kept pixmap, and the date axis's ticks."""

from __future__ import annotations


def test_the_date_axis_gives_pyqtgraphs_own_ticks(qtbot):
    """charts.DateAxis skips pyqtgraph's per-tick trip through local time (it adds nothing at UTC): the
    ticks and their labels are pyqtgraph's own, over a month, a year and ten years."""
    from datetime import datetime, timedelta, timezone

    import pyqtgraph as pg

    from pmodesk.ui import charts

    for days in (30, 400, 3650):
        first = datetime(2024, 1, 1, tzinfo=timezone.utc)
        xs = [(first + timedelta(days=d)).timestamp() for d in range(0, days, max(1, days // 40))]
        shown = []
        for axis in (pg.DateAxisItem("bottom", utcOffset=0), charts.DateAxis("bottom", utcOffset=0)):
            plot = pg.PlotWidget(axisItems={"bottom": axis})
            qtbot.addWidget(plot)
            plot.plot(xs, list(range(len(xs))))
            plot.resize(800, 300)
            plot.show()
            qtbot.waitExposed(plot)
            qtbot.waitUntil(lambda axis=axis: hasattr(axis, "fontMetrics"))  # set as it first paints
            ticks = axis.tickValues(xs[0], xs[-1], 800)
            shown.append((repr(ticks), [axis.tickStrings(values, 1, spacing) for spacing, values in ticks]))
        assert shown[0] == shown[1] and shown[0][1], days


def test_an_axis_is_drawn_again_only_when_its_ticks_or_size_change(qtbot):
    """charts.KeptAxis: repaints, and the chart's tab hidden and shown again, reuse the axis's pixmap;
    a new range (new ticks) or a new size draws it anew."""
    import pyqtgraph as pg

    from pmodesk.ui import charts

    plot = pg.PlotWidget(axisItems=charts.axis_items(lambda: "GBP", money=("left",)))
    qtbot.addWidget(plot)
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.plot([1, 2, 3], [4_000, 5_000, 6_000])
    plot.resize(600, 400)
    plot.show()
    qtbot.waitExposed(plot)
    axis = plot.plotItem.axes["left"]["item"]
    drawn: list[int] = []
    specs = axis.generateDrawSpecs
    axis.generateDrawSpecs = lambda painter: drawn.append(1) or specs(painter)
    qtbot.waitUntil(lambda: axis._kept is not None)
    drawn.clear()
    for _ in range(3):
        plot.viewport().repaint()
    plot.hide()
    plot.show()
    qtbot.waitExposed(plot)
    plot.viewport().repaint()
    assert drawn == []  # the kept pixmap, each time
    image = plot.grab().toImage()
    assert any(image.pixelColor(x, y).red() < 100 for x in range(0, 60) for y in range(0, 380, 4))  # its labels
    plot.setYRange(0, 100_000)
    plot.viewport().repaint()
    qtbot.waitUntil(lambda: len(drawn) >= 1)
    drawn.clear()
    plot.resize(500, 300)
    qtbot.waitUntil(lambda: len(drawn) >= 1)
