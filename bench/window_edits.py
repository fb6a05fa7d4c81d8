"""An edit in the window on the large portfolio, for ``make bench`` (run in its own process, offscreen).

On a copy of the large file, the Initiative tab open: a benefit's baseline is typed over in the
benefit table (as a person does). Timed from the typing (``setData``) to

- the edited cell showing the new value;
- the dependent figures being up to date: the benefit's "vs plan" and the initiative's figures in
  the window's result, computed incrementally (only that initiative and the portfolio sums);
- the initiative's row in the health table showing its new realised value: with the health table on
  screen (the same kind of edit made there), and after switching to the Portfolio tab (the switch
  included);
- and, for a new measurement recorded (as Record actuals does), its figures.

Also timed: the store's commit alone (one committed transaction: the disk's own floor), and the whole
way the window took before edits were incremental (read the whole file, compute every figure).
Prints one line of numbers (milliseconds, best of the runs):
``cell figures health health-after-switch measurement commit whole runs``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RUNS = 5


def _wait(app, done, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit("the window did not finish in time")
        app.processEvents()
        time.sleep(0.0005)


def main(source: str) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from pmodesk.ui.main_window import MainWindow
    from pmodesk.ui.models import BCOL_BASELINE, COL_CODE, COL_REALISED

    folder = Path(tempfile.mkdtemp(prefix="pmodesk-bench-edits-"))
    path = folder / "large.pmodesk"
    shutil.copyfile(source, path)  # the edits go to a copy: the bench file stays as generated
    app = QApplication(sys.argv[:1])
    window = MainWindow(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()
    window.open_file(path)
    _wait(app, lambda: window.store is not None)  # a large file opens in the background
    from datetime import date

    from PySide6.QtCore import QDate

    sys.path.insert(0, str(Path(__file__).parent))
    from generate import AS_OF

    window.as_of.setDate(QDate(AS_OF.year, AS_OF.month, AS_OF.day))
    settled = lambda: window._working is None and window.result is not None and window.result.prepared is not None  # noqa: E731
    _wait(app, lambda: settled() and window.result.as_of == AS_OF)
    initiative = window.data.initiatives[len(window.data.initiatives) // 2]
    from pmodesk.commands import UpdateField
    from pmodesk.ui import formatting

    cells, figures, visible, switched = [], [], [], []

    def health_row_shows(result) -> Callable[[], bool]:
        expected = formatting.money(result.initiative(initiative.code).realised_value, result.currency)

        def shown() -> bool:
            model = window.portfolio_view.model  # new figures of every initiative make a new table
            row = next((r for r in range(model.rowCount())
                        if model.data(model.index(r, COL_CODE)) == initiative.code), None)
            return row is not None and model.data(model.index(row, COL_REALISED)) == expected
        return shown

    for run in range(RUNS):
        # Typed over in the Initiative tab's benefit table; then the Portfolio tab is opened.
        window.show_initiative(initiative.id)
        app.processEvents()
        benefits = window.initiative_view.benefits
        before = window.result.initiative(initiative.code).realised_value
        value = f"{90 + run}"
        start = time.perf_counter()
        benefits.setData(benefits.index(0, BCOL_BASELINE), value)
        _wait(app, lambda: benefits.data(benefits.index(0, BCOL_BASELINE)) == value)
        cells.append(time.perf_counter() - start)
        _wait(app, settled)
        figures.append(time.perf_counter() - start)
        assert window.result.initiative(initiative.code).realised_value != before
        window.tabs.setCurrentWidget(window.portfolio_view)
        _wait(app, health_row_shows(window.result))
        switched.append(time.perf_counter() - start)
        # The same kind of edit with the health table on screen: its row follows.
        benefit = window.result.benefits_of(initiative.id)[1].benefit
        start = time.perf_counter()
        window.push(UpdateField("benefit", benefit.id, "baseline_value", benefit.baseline_value,
                                Decimal(90 + run)))
        _wait(app, settled)
        _wait(app, health_row_shows(window.result))
        visible.append(time.perf_counter() - start)
    measured = []
    window.show_initiative(initiative.id)
    app.processEvents()
    owned = {b.id for b in window.data.benefits if b.initiative_id == initiative.id}
    from pmodesk.commands import record_measurements
    from pmodesk.domain.model import Measurement

    for run in range(RUNS):  # a month's reading recorded (as Record actuals does), the Initiative tab on screen
        benefit_id = sorted(owned)[run]
        start = time.perf_counter()
        window.push(record_measurements([Measurement(benefit_id, AS_OF, Decimal(150 + run))]))
        _wait(app, settled)
        measured.append(time.perf_counter() - start)
        assert any(m.benefit_id == benefit_id and m.date == AS_OF for m in window.data.measurements)
    benefit = window.data.benefits[0]
    commits = []
    for run in range(RUNS):
        start = time.perf_counter()
        window.store.update("benefit", benefit.id, baseline_value=Decimal(80 + run))
        commits.append(time.perf_counter() - start)
    window.store.take_changes()
    wholes = []
    for _ in range(2):
        start = time.perf_counter()
        window.recompute(reload=True)
        _wait(app, settled)
        wholes.append(time.perf_counter() - start)
    assert window.result.as_of == AS_OF and isinstance(AS_OF, date)
    window.close()
    shutil.rmtree(folder, ignore_errors=True)
    print(" ".join(f"{min(times) * 1000:.1f}" for times in (cells, figures, visible, switched, measured, commits,
                                                             wholes)), RUNS)


if __name__ == "__main__":
    main(sys.argv[1])
