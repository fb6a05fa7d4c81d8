"""The window on a generated portfolio large enough for its background work (issue 16): a large file
opens, reads and computes in a worker; the Trade-off and Initiative views fill in from workers with the
same figures as computed directly; a stale answer (an older opening, an older sort) is dropped; a long
register sorts to the right rows. Nothing here asserts time."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from pmodesk.engine.frontier import portfolio_frontier
from pmodesk.engine.portfolio import compute
from pmodesk.engine.risk import value_at_risk
from pmodesk.store import Store
from pmodesk.ui import main_window, workers
from pmodesk.ui.models import COL_CODE, COL_INVESTMENT, COL_REALISED, HEALTH_COLUMNS

from helpers import generated_file


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """60 initiatives, 300 benefits (enough for the background frontier and value at risk), 6,000 measurements."""
    return generated_file(tmp_path_factory.mktemp("generated"), 60, 5, 20)


@pytest.fixture
def large(generated, tmp_path, monkeypatch) -> Path:
    """A private copy, opened the way a large file is: in the background."""
    path = tmp_path / "large.pmodesk"
    shutil.copyfile(generated, path)
    monkeypatch.setattr(main_window, "BACKGROUND_FROM_BYTES", path.stat().st_size)  # the demo opens at once
    return path


def reference(path: Path, as_of):
    with Store.open(path, read_only=True) as store:
        data = store.load()
    return data, compute(data, as_of)


def idle(qtbot) -> None:
    qtbot.waitUntil(lambda: workers.pending() == 0, timeout=60000)
    qtbot.wait(20)


def test_a_large_file_opens_in_the_background_with_the_same_figures(window, large, qtbot):
    assert window.open_file(large) is True
    assert window.store is None and "Opening large.pmodesk" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    data, result = reference(large, window.result.as_of)
    model = window.portfolio_view.model
    assert model.rowCount() == len(result.initiatives) == 60
    expected = sorted(result.initiatives, key=lambda r: r.initiative.code)
    for row, r in enumerate(expected):
        for column, spec in enumerate(HEALTH_COLUMNS):
            assert model.data(model.index(row, column)) == spec.text(r, result.currency)
    assert window.heading.text() == data.portfolio.name and window.statusBar().currentMessage() == ""
    assert window.current_as_of() == window.result.as_of


def test_the_first_figures_of_a_large_file_are_the_full_reads_figures(large):
    from datetime import date

    from pmodesk.engine.presentation import metrics_json

    data, result = main_window.figures_first(large, date.today())
    full_data, full = reference(large, result.as_of)
    assert data.measurements == () and len(full_data.measurements) == 6000
    assert metrics_json(result) == metrics_json(full)


def test_an_older_opening_is_dropped_and_its_file_let_go(window, large, demo_file, qtbot):
    window.open_file(large)  # in the background …
    assert window.open_file(demo_file)  # … overtaken by a small file, opened at once
    idle(qtbot)
    assert window.store.path == demo_file and len(window.data.initiatives) < 60
    with Store.open(large) as again:  # the dropped opening closed its store: nobody holds the file
        assert not again.read_only


def test_a_refused_large_file_is_explained_and_the_current_file_stays(window, large, demo_file, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    said = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: said.append(args[2]))
    window.open_file(demo_file)
    broken = large.with_name("broken.pmodesk")
    broken.write_bytes(b"not a portfolio" * 400_000)
    before = broken.read_bytes()
    window.open_file(broken)
    qtbot.waitUntil(lambda: bool(said), timeout=60000)
    assert said[0].startswith("The file was not opened.") and window.store.path == demo_file
    assert broken.read_bytes() == before


def test_trade_off_fills_in_from_workers_with_the_same_figures(window, large, qtbot, output_dir):
    window.resize(1280, 900)
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    window.tabs.setCurrentWidget(window.trade_off_view)
    view = window.trade_off_view
    panel = view.decisions
    qtbot.waitUntil(lambda: panel.frontier.answer is not None and panel.risk.answer is not None, timeout=60000)
    assert panel.frontier.answer[1] == portfolio_frontier(window.result, window.data.portfolio.risk_weight)[1]
    assert np.array_equal(panel.risk.answer.portfolio_runs, value_at_risk(window.result).portfolio_runs)
    idle(qtbot)
    labels = view.shown_labels()
    assert labels and len(labels) == len(set(labels)) and set(labels) <= set(view.codes)
    # The same labels as placed at once on the UI thread.
    from pmodesk.ui import alignment_view

    threshold = alignment_view.LABELS_IN_BACKGROUND_FROM
    try:
        alignment_view.LABELS_IN_BACKGROUND_FROM = 10**9
        view._place_labels()
        assert view.shown_labels() == labels
    finally:
        alignment_view.LABELS_IN_BACKGROUND_FROM = threshold
    window.grab().save(str(output_dir / "large-generated-trade-off.png"))


def test_a_stale_figure_is_dropped(window, large, qtbot):
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    window.tabs.setCurrentWidget(window.trade_off_view)
    frontier = window.trade_off_view.decisions.frontier
    qtbot.waitUntil(lambda: frontier.answer is not None, timeout=60000)
    shown = frontier.answer
    frontier._deliver(frontier._generation - 1, window.result, ("old", {"points": []}))  # an older answer
    assert frontier.answer is shown
    labels = window.trade_off_view.shown_labels()
    window.trade_off_view._show_labels(window.trade_off_view._label_generation - 1, (None, (0, 0), [], []))
    assert window.trade_off_view.shown_labels() == labels


def test_initiative_view_on_a_large_file_shows_the_chart_of_the_computed_benefit(window, large, qtbot):
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    window.tabs.setCurrentWidget(window.initiative_view)
    view = window.initiative_view
    view.chooser.setCurrentIndex(7)
    qtbot.waitUntil(lambda: view.chart is not None and bool(view.chart.drawn_actual_days()), timeout=60000)
    r = view.current_result()
    _, result = reference(large, window.result.as_of)
    same = next(i for i in result.initiatives if i.initiative.id == r.initiative.id)
    assert (r.planned_value, r.realised_value, r.value_rag) == (same.planned_value, same.realised_value, same.value_rag)
    benefit = view.benefits.benefit_result(view.benefit_table.currentIndex().row())
    cut = window.result.as_of.toordinal()
    assert view.chart.drawn_actual_days() == [d for d in benefit.series.actual_days if d <= cut]


def test_health_table_sorts_and_filters_to_the_right_rows(window, large, qtbot):
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    view = window.portfolio_view
    proxy = view.proxy

    def codes():
        return [proxy.data(proxy.index(r, COL_CODE)) for r in range(proxy.rowCount())]

    rows = sorted(window.result.initiatives, key=lambda r: r.initiative.code)
    # Every filter offers "All" first, the owner's too when no initiative has an owner (none here).
    assert not any(r.initiative.owner for r in rows)
    assert [combo.itemText(0) for combo in (view.stage, view.rag, view.objective, view.owner)] == ["All"] * 4
    view.table.sortByColumn(COL_INVESTMENT, Qt.SortOrder.DescendingOrder)
    assert codes() == [r.initiative.code for r in sorted(rows, key=lambda r: -r.investment)]
    stage = view.stage.itemData(2)
    view.stage.setCurrentIndex(2)
    kept = [r for r in rows if r.initiative.stage.value == stage]
    assert codes() == [r.initiative.code for r in sorted(kept, key=lambda r: -r.investment)]
    view.table.sortByColumn(COL_REALISED, Qt.SortOrder.AscendingOrder)
    assert codes() == [r.initiative.code for r in sorted(kept, key=lambda r: r.realised_value)]
    view.stage.setCurrentIndex(0)
    assert len(codes()) == 60


@pytest.mark.parametrize("descending", [False, True])
def test_the_measurements_register_sorts_every_column_to_the_right_rows(window, large, qtbot, descending):
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    window.tabs.setCurrentWidget(window.register_view)
    view = window.register_view
    view.model.background_sort_from = 1_000  # 6,000 measurements: sorted in the background like 250,000
    view.chooser.setCurrentIndex(view.chooser.findData("measurement"))
    model = view.model
    listed = list(model.rows())
    assert len(listed) == 6000 and model.rowCount() < 6000  # lazy
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    for column in range(model.columnCount()):
        view.table.sortByColumn(column, order)
        assert model.sorting
        qtbot.waitUntil(lambda: not model.sorting, timeout=60000)
        key = model.columns[column].sort_key
        expected = sorted(listed, key=lambda m: (key(m) is None, key(m) if key(m) is not None else 0),
                          reverse=descending)
        assert model.rows() == expected, model.columns[column].title
        texts = [model.data(model.index(r, column)) for r in range(20)]
        assert texts == [model.columns[column].text(m) for m in expected[:20]]
        listed = expected  # the next sort starts from this order, as a person's next click does


def test_a_newer_sort_wins_over_an_older_one(window, large, qtbot):
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    window.tabs.setCurrentWidget(window.register_view)
    view = window.register_view
    view.model.background_sort_from = 1_000
    view.chooser.setCurrentIndex(view.chooser.findData("measurement"))
    model = view.model
    listed = list(model.rows())
    view.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # before the first answer came
    qtbot.waitUntil(lambda: not model.sorting, timeout=60000)
    idle(qtbot)
    key = model.columns[1].sort_key
    assert model.rows() == sorted(listed, key=lambda m: (key(m) is None, key(m) if key(m) is not None else 0))
    shown = list(model.rows())
    model._take_sorted(model._sort_generation - 1, list(reversed(listed)))  # a late, older answer
    assert model.rows() == shown


@pytest.mark.parametrize("background_from", [1_000, 10**9])
def test_the_measurements_register_filters_to_the_right_rows(window, large, qtbot, background_from):
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    window.tabs.setCurrentWidget(window.register_view)
    view = window.register_view
    view.model.background_sort_from = background_from  # in a worker like 250,000 rows, or at once
    view.chooser.setCurrentIndex(view.chooser.findData("measurement"))
    model = view.model
    listed = list(model.rows())
    codes = {b.id: b.code for b in window.data.benefits}
    wanted = sorted({codes[m.benefit_id] for m in listed})[17]
    view.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # by date, newest first …
    view.find.setText(wanted.lower())  # … and only one benefit's rows (any case)
    qtbot.waitUntil(lambda: not model.sorting, timeout=60000)
    expected = [m for m in sorted(listed, key=lambda m: m.date, reverse=True) if codes[m.benefit_id] == wanted]
    assert expected and model.rows() == expected and model.rowCount() == len(expected)
    assert all(model.data(model.index(r, 0)) == wanted for r in range(model.rowCount()))
    view.find.setText("")
    qtbot.waitUntil(lambda: not model.sorting, timeout=60000)
    assert len(model.rows()) == 6000 and model.rows() == sorted(listed, key=lambda m: m.date, reverse=True)
    view.find.setText("no such text anywhere")
    qtbot.waitUntil(lambda: not model.sorting, timeout=60000)
    assert model.rowCount() == 0
    # Each column is searched on its own, as on a short register: the end of the code and the start of
    # the date typed together find no row; a date finds exactly the rows showing it.
    shown = lambda m: [model.columns[c].text(m).casefold() for c in range(model.columnCount())]  # noqa: E731
    first = model.rows()[0] if model.rows() else sorted(listed, key=lambda m: m.date, reverse=True)[0]
    across = shown(first)[0][-2:] + shown(first)[1][:2]
    for text in (across, first.date.isoformat()[:7]):
        view.find.setText(text)
        qtbot.waitUntil(lambda: not model.sorting, timeout=60000)
        assert model.rows() == [m for m in sorted(listed, key=lambda m: m.date, reverse=True)
                                if any(text in cell for cell in shown(m))]
    assert len(model.rows()) > 0
    view.chooser.setCurrentIndex(view.chooser.findData("benefit"))  # another register: its own search
    assert view.find.text() == "" and model.rowCount() > 0


def test_record_actuals_knows_what_is_already_recorded_without_indexing_every_measurement(window, large, qtbot):
    from datetime import timedelta

    from datetime import date

    from PySide6.QtCore import QDate

    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    window.as_of.setDate(QDate(2025, 6, 1))  # while the generated benefits are still measured
    qtbot.waitUntil(lambda: window.result.as_of == date(2025, 6, 1), timeout=60000)
    window.tabs.setCurrentWidget(window.actuals_view)
    model = window.actuals_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0)  # found, then shown, a turn each on a large portfolio
    benefit = model.rows[0].benefit
    recorded = sorted((m for m in window.data.measurements if m.benefit_id == benefit.id), key=lambda m: m.date)
    last = recorded[-1]
    assert model.existing.get((benefit.id, last.date)) == last.value
    free = last.date + timedelta(days=1)
    assert all(m.date != free for m in recorded) and model.existing.get((benefit.id, free)) is None
    model.set_day(last.date)  # the same value typed again is skipped; another one is refused
    model.setData(model.index(0, [c for c in range(model.columnCount())
                                  if model.headerData(c, Qt.Orientation.Horizontal) == "New value"][0]),
                  str(last.value + 1))
    assert 0 in model.problems and "already has" in model.problems[0]


def hold_the_full_read(monkeypatch, at: str = "open_location"):
    """The opening worker waits before its full read (``open_location``) or its quick read of today's figures
    (``figures_first``) until the test sets the event returned: what is shown before can then be checked."""
    import threading

    from pmodesk.store import location
    from pmodesk.ui import main_window

    held = threading.Event()
    owner = location if at == "open_location" else main_window
    real = getattr(owner, at)

    def waiting(*args, **kwargs):
        held.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, at, waiting)
    return held


def test_a_second_opening_shows_the_kept_figures_before_the_full_open(window, large, tmp_path, qtbot, settings,
                                                                    output_dir, monkeypatch):
    """The figure cache: the first opening keeps the health table's figures; the next shows them first
    (read-only, read by a worker before the file itself), then the full open replaces them with equal figures."""
    from pmodesk.ui.main_window import MainWindow

    window.cache_folder = tmp_path / "cache"
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    idle(qtbot)
    assert list((tmp_path / "cache").glob("*.json"))  # kept for the next opening
    window.close()

    again = MainWindow(settings, views_later=True)
    qtbot.addWidget(again)
    again.cache_folder = tmp_path / "cache"
    again.show()
    again.build_views()
    held = hold_the_full_read(monkeypatch)
    assert again.open_file(large) is True
    qtbot.waitUntil(lambda: again.portfolio_view.model.rowCount() == 60)  # the kept figures, read in a worker
    model = again.portfolio_view.model
    assert again.result is None and again.store is None  # before the full open
    assert "register_view" not in again.__dict__  # nor did it wait for the other eight views
    assert not again.portfolio_view.commentary.save.isEnabled()  # shown read-only: no editing yet
    from datetime import date

    with Store.open(large, read_only=True) as store:
        data = store.load()
    result = compute(data, data.portfolio.default_as_of(date.today()))  # what the opening computes
    expected = sorted(result.initiatives, key=lambda r: r.initiative.code)
    shown_first = [[model.data(model.index(row, column)) for column in range(len(HEALTH_COLUMNS))]
                   for row in range(model.rowCount())]
    assert shown_first == [[spec.text(r, result.currency) for spec in HEALTH_COLUMNS] for r in expected]
    tiles = {key: tile.value.text() for key, tile in again.portfolio_view.tiles.items()}
    assert again.heading.text() == data.portfolio.name and again.current_as_of() == result.as_of
    again.resize(1280, 800)
    again.grab().save(str(output_dir / "figure-cache-second-opening.png"))  # what a person sees first
    held.set()
    qtbot.waitUntil(lambda: again.result is not None, timeout=60000)
    assert again.result.as_of == result.as_of and again.store is not None
    model = again.portfolio_view.model  # the full open's figures make a new table
    final = [[model.data(model.index(row, column)) for column in range(len(HEALTH_COLUMNS))]
             for row in range(model.rowCount())]
    assert final == shown_first and tiles == {key: tile.value.text() for key, tile in again.portfolio_view.tiles.items()}
    qtbot.waitUntil(lambda: hasattr(again, "action_export"))  # the menus' items follow the first paint
    assert again.action_export.isEnabled() and again.action_templates.isEnabled()
    assert again.portfolio_view.commentary.save.isEnabled()
    idle(qtbot)


def test_a_morning_opening_shows_yesterdays_kept_figures_as_such_then_todays(window, large, tmp_path, qtbot,
                                                                           monkeypatch):
    """A file whose as-of date is today, kept yesterday: its figures as of yesterday show at once, saying
    so (the as-of date and the heading's line), then today's replace them and are kept in their place."""
    import json
    from datetime import date, timedelta

    window.cache_folder = tmp_path / "cache"
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    idle(qtbot)
    today, yesterday = date.today(), date.today() - timedelta(days=1)
    assert window.result.as_of == today  # the generated file's figures are as of today
    (entry,) = (tmp_path / "cache").glob("*.json")
    kept = json.loads(entry.read_text(encoding="utf-8"))
    data, result = reference(large, yesterday)  # what yesterday's opening kept
    from pmodesk import figure_cache

    kept["key"]["today"] = yesterday.isoformat()
    kept["figures"] = figure_cache.figures_of(data, result)
    entry.write_text(json.dumps(kept), encoding="utf-8")
    window.close_file()

    held = hold_the_full_read(monkeypatch, "figures_first")
    assert window.open_file(large) is True
    qtbot.waitUntil(lambda: window.portfolio_view.model.rowCount() == 60)  # the kept figures first
    assert window.result is None
    assert window.current_as_of() == yesterday
    assert f"kept as of {yesterday.isoformat()}" in window.subheading.text()
    yesterdays = window.portfolio_view.tiles["benefits_realised_pct"].value.text()
    held.set()
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    idle(qtbot)
    assert window.current_as_of() == today and "kept as of" not in window.subheading.text()
    todays = reference(large, today)[1]
    assert window.result.metrics == todays.metrics
    assert json.loads(entry.read_text(encoding="utf-8"))["key"]["today"] == today.isoformat()  # kept anew
    assert yesterdays != "" and figure_cache.read(tmp_path / "cache", large, today)[0].earlier_day is False


def test_a_changed_file_is_not_shown_from_the_cache(window, large, tmp_path, qtbot):
    """Touched since its figures were kept: the second opening waits for the file's own figures."""
    import os

    window.cache_folder = tmp_path / "cache"
    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    idle(qtbot)
    window.close_file()
    status = large.stat()
    os.utime(large, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))
    window.open_file(large)
    assert window.portfolio_view.model.rowCount() == 0  # nothing kept applies: the figures follow the read
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    assert window.portfolio_view.model.rowCount() == 60
    idle(qtbot)


def test_the_kept_figures_are_shown_before_the_engine_or_sqlalchemy_is_imported(window, large, tmp_path, qtbot):
    """A second launch, as `pmodesk` starts: the frame, the Portfolio view, the kept figures in the health
    table, and only then the engine, the records, SQLAlchemy and NumPy (for the full open that follows)."""
    import os
    import subprocess
    import sys

    window.cache_folder = tmp_path / "cache"
    window.open_file(large)  # the first launch keeps the figures
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    idle(qtbot)
    probe = f"""
import sys, time
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
app = QApplication([])
from pmodesk.ui import main_window
main_window.BACKGROUND_FROM_BYTES = 0
seen = []  # the moment the kept figures are shown (the opening worker waits for their paint to go on)
show = main_window.MainWindow._show_figures_first
def shown(self, *args):
    show(self, *args)
    seen.append((self.portfolio_view.model.rowCount(), sorted(m for m in sys.modules if m.startswith(
        ('sqlalchemy', 'numpy', 'pmodesk.engine.portfolio', 'pmodesk.engine.cycle', 'pmodesk.domain.model',
         'pmodesk.store.store', 'pmodesk.ui.register_view')))))
main_window.MainWindow._show_figures_first = shown
window = main_window.MainWindow(QSettings({str(tmp_path / 'probe.ini')!r}, QSettings.Format.IniFormat), views_later=True)
window.cache_folder = main_window.Path({str(tmp_path / 'cache')!r})
window.show()
app.processEvents()
window.build_views()
window.open_file({str(large)!r})
deadline = time.monotonic() + 60
while not seen and time.monotonic() < deadline:
    app.processEvents()
    time.sleep(0.001)
print(*seen[0])
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.stdout.strip() == "60 []"


def test_the_other_views_wait_for_a_large_files_first_figures(large, tmp_path, qtbot, monkeypatch, settings):
    """On a first opening (nothing kept) the worker computing the first figures has the machine to itself:
    the other eight views are built once those figures are shown."""
    import threading

    from pmodesk.ui.main_window import VIEW_NAMES, MainWindow

    release, computing = threading.Event(), threading.Event()
    first = main_window.figures_first

    def held(path, today):
        computing.set()
        release.wait(30)
        return first(path, today)

    monkeypatch.setattr(main_window, "figures_first", held)
    window = MainWindow(settings, views_later=True)
    qtbot.addWidget(window)
    window.cache_folder = tmp_path / "cache"
    window.show()
    window.build_views()
    window.open_file(large)
    qtbot.waitUntil(computing.is_set, timeout=30000)
    qtbot.wait(400)  # the Portfolio view has painted (and the 100 ms fallback passed): nothing else is built
    assert [name for name in VIEW_NAMES if name in window.__dict__] == ["portfolio_view"]
    release.set()
    qtbot.waitUntil(lambda: window.portfolio_view.model.rowCount() == 60, timeout=60000)
    qtbot.waitUntil(lambda: all(name in window.__dict__ for name in VIEW_NAMES), timeout=60000)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    idle(qtbot)


def test_trade_off_of_a_large_file_comes_from_the_child_process_with_the_same_captions(window, large, qtbot):
    """Above the background threshold value at risk and the frontier are computed in the child process;
    the charts and captions are the ones the in-process computation shows."""
    from pmodesk.ui import decision_views, processes

    window.open_file(large)
    qtbot.waitUntil(lambda: window.result is not None, timeout=60000)
    assert len(window.result.benefits) >= decision_views.BACKGROUND_FROM_BENEFITS
    before = processes.ran_in_child
    window.tabs.setCurrentWidget(window.trade_off_view)
    panel = window.trade_off_view.decisions
    qtbot.waitUntil(lambda: panel.frontier.answer is not None and panel.risk.answer is not None, timeout=60000)
    assert processes.ran_in_child == before + 2  # both figures came from the child
    shown = {"frontier": panel.frontier.caption.text(), "risk": panel.risk.caption.text(),
             "method": panel.risk.caption.toolTip(), "histogram": panel.risk.histogram.getData()[1].tolist(),
             "steps": panel.frontier.curve.getData()[1].tolist()}
    assert "current plan" in shown["frontier"] and shown["risk"].startswith("P10 GBP")
    assert sum(shown["histogram"]) == 10_000
    decision_views.BACKGROUND_FROM_BENEFITS, threshold = 10**9, decision_views.BACKGROUND_FROM_BENEFITS
    try:
        panel.set_result(window.data, window.result)  # now at once, in this process
    finally:
        decision_views.BACKGROUND_FROM_BENEFITS = threshold
    assert processes.ran_in_child == before + 2
    assert shown == {"frontier": panel.frontier.caption.text(), "risk": panel.risk.caption.text(),
                     "method": panel.risk.caption.toolTip(), "histogram": panel.risk.histogram.getData()[1].tolist(),
                     "steps": panel.frontier.curve.getData()[1].tolist()}
