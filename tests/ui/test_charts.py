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


def test_a_rows_models_cells_answer_every_role_in_one_call_as_one_at_a_time(qtbot, monkeypatch):
    """RowsModel.multiData (what a cell's paint asks, in one call) gives what data() gives role by role;
    a table's paint asks through it, not once per role."""
    from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QTableView

    from pmodesk.ui.models import SORT_ROLE, Field, RowsModel

    columns = [Field("Name", lambda r: f"name {r}", lambda r: -r, tooltip=lambda r: f"tip {r}",
                     background=lambda r: QColor("#FDECEA") if r % 2 else None),
               Field("Amount", lambda r: f"{r * 1.5:.2f}", align_right=True)]
    model = RowsModel(columns)
    model.set_rows(list(range(30)))
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.BackgroundRole,
             Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole,
             Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.CheckStateRole, SORT_ROLE]
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            for role in roles:
                asked = QModelRoleData(int(role))
                model.multiData(index, QModelRoleDataSpan(asked))
                assert asked.data() == model.data(index, role), (row, column, role)
    asked_one_at_a_time: list[int] = []
    data = RowsModel.data

    def counted(self, index, role=Qt.ItemDataRole.DisplayRole):
        asked_one_at_a_time.append(role)
        return data(self, index, role)

    monkeypatch.setattr(RowsModel, "data", counted)  # before the model is made: Qt keeps what it looked up
    shown = RowsModel(columns)
    shown.set_rows(list(range(30)))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(shown)
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    view.grab()  # every visible cell painted
    assert Qt.ItemDataRole.DisplayRole not in asked_one_at_a_time  # the cells' text came through multiData
    assert shown.data(shown.index(0, 0)) == "name 0" and asked_one_at_a_time[-1] == Qt.ItemDataRole.DisplayRole
