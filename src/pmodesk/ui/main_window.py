"""The main window: a thin shell that opens files, places the views and routes the undo stack.

Each view owns its room (its widgets and its model) and asks for edits as commands; the window
pushes them on the one undo stack. The store is the only way into the file; a refused file is
explained in a dialog and left untouched; a file locked by someone else opens read-only with a
banner saying who holds it, and every editing control is disabled.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

# Only what the frame needs: Qt's namespace (``Qt``, a hundred enumerations made on first touch), the menus'
# actions and key sequences, hashlib and the views are imported after the first paint.
from PySide6.QtCore import QDate, QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pmodesk.store.errors import StoreError

if TYPE_CHECKING:  # the engine and the domain are imported when a portfolio opens, after the first paint
    from pmodesk.domain.model import PortfolioData
    from pmodesk.engine.portfolio import PortfolioResult
    from PySide6.QtGui import QAction, QKeySequence

    from pmodesk.store import Store

def _engine():
    """The value engine's figures (``compute``, ``recompute``), imported on first use."""
    from pmodesk.engine import portfolio

    return portfolio


def _portfolio(**fields):
    from pmodesk.domain.model import Portfolio

    return Portfolio(**fields)


VIEWS = (  # (attribute, module, class, tab title), in the tabs' order
    ("portfolio_view", "pmodesk.ui.portfolio_view", "PortfolioView", "&Portfolio"),
    ("decisions_view", "pmodesk.ui.decisions_view", "DecisionsRequiredView", "&Decisions required"),
    ("actuals_view", "pmodesk.ui.actuals_view", "ActualsView", "Record &actuals"),
    ("decision_log_view", "pmodesk.ui.decisions_view", "DecisionLogView", "Decision &log"),
    ("initiative_view", "pmodesk.ui.initiative_view", "InitiativeView", "&Initiative"),
    ("alignment_view", "pmodesk.ui.alignment_view", "AlignmentView", "&Objectives"),
    ("trade_off_view", "pmodesk.ui.alignment_view", "TradeOffView", "&Trade-off"),
    ("scenario_view", "pmodesk.ui.scenario_view", "ScenarioView", "&Scenarios"),
    ("register_view", "pmodesk.ui.register_view", "RegisterView", "&Registers"),
)
VIEW_NAMES = tuple(view[0] for view in VIEWS)
FILE_FILTER = "pmodesk portfolios (*.pmodesk);;All files (*)"
MAX_RECENT = 8


BACKGROUND_FROM_MEASUREMENTS = 20_000
BACKGROUND_FROM_BYTES = 4_000_000  # a file this large is opened and computed in a background thread


def _file_size(path: str | Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # opened at once, and refused with the store's own words


def figure_cache_folder() -> Path | None:
    """Where the figures of large files are kept between sessions (:mod:`pmodesk.figure_cache`): the
    user's cache folder (Qt's CacheLocation), or ``PMODESK_CACHE_DIR`` where tests and the bench set
    one; None where there is neither."""
    import os

    chosen = os.environ.get("PMODESK_CACHE_DIR")
    if chosen:
        return Path(chosen)
    from PySide6.QtCore import QStandardPaths

    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(folder) / "figures" if folder else None


def figures_first(path: str | Path, today: date):
    """(data, result) of a file from the column-wise read the ``metrics`` command uses (a third of the
    full read's time; identical figures), or None where only the full read can answer. ``data`` lacks
    the measurement, planned spend and cost actual records: it only fills the health table."""
    from pmodesk.engine.arrays import compute_columns
    from pmodesk.store.columns import read_for_figures

    try:
        read = read_for_figures(path)
    except StoreError:
        return None  # the full read refuses it, in its own words
    if read is None:
        return None
    data, measurements, amounts = read
    return data, compute_columns(data, measurements, data.portfolio.default_as_of(today), amounts)


@contextmanager
def quiet_collector():
    """Reading a large portfolio makes hundreds of thousands of long-lived objects: the cyclic garbage
    collector would walk them all, again and again, holding the interpreter lock for a tenth of a second
    each time (the UI thread waits). It rests while they are made, and then leaves them out of every
    later collection (``gc.freeze``); they are still freed when no longer used."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class PaintWatch(QObject):
    """Calls ``then`` once, when ``widget`` next paints."""

    def __init__(self, widget: QWidget, then):
        super().__init__(widget)
        from PySide6.QtCore import QEvent

        self._widget, self._then, self._paint = widget, then, QEvent.Type.Paint
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == self._paint:
            self._then()
        return False

    def stop(self) -> None:
        self._widget.removeEventFilter(self)
        self.deleteLater()


class MainWindow(QMainWindow):
    _finished = Signal(int, object, object)
    _failed = Signal(int, str)
    _incremental_failed = Signal(int)
    _opened = Signal(int, str, object, object, object)
    _figures_first = Signal(int, str, object, object)
    _workers_idle = Signal()  # emitted from a worker: no work is left (ui.workers.when_idle)
    _open_failed = Signal(int, str)

    def __init__(self, settings: QSettings | None = None, views_later: bool = False):
        """The window; with ``views_later`` only its frame (the menu bar's titles, heading, as-of date), so
        it paints at once: :meth:`build_views` adds the menus' items and the views a moment later (the
        launcher calls it from the event loop, after the first paint), and opening a file builds them
        first if need be."""
        super().__init__()
        self._generation = 0
        self._working: int | None = None  # the generation whose figures a worker thread is computing
        self.loads = 0  # whole-portfolio reads since the portfolio was opened (incremental edits add none)
        self._opening = 0  # only the newest opening of a file is shown
        self._opened.connect(self._open_done)
        self._figures_first.connect(self._show_figures_first)
        self._workers_idle.connect(self._build_next_view)
        self._when_workers_idle = self._workers_idle.emit  # one callable: asked for once however often it waits
        self._previewing: int | None = None  # the opening whose first figures the health table shows (still opening)
        self._open_failed.connect(self._open_refused)
        self._finished.connect(self._show_result)
        self._failed.connect(self._show_failure)
        self._incremental_failed.connect(
            lambda generation: generation == self._generation and self.recompute(reload=True))
        self.settings = settings or QSettings()
        self.cache_folder = figure_cache_folder()  # the figures of large files between sessions
        self.store: Store | None = None
        self.data: PortfolioData | None = None
        self.undo_stack = QUndoStack(self)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.banner = QLabel(central)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.heading = QLabel(central)
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.subheading = QLabel(central)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.heading)
        titles.addWidget(self.subheading)
        header.addLayout(titles, 1)
        header.addWidget(QLabel("As of:"))
        self.as_of = QDateEdit()
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setAccessibleName("As-of date")
        self.as_of.setDate(QDate.currentDate())
        self.as_of.dateChanged.connect(lambda _: self.recompute(reload=self._others_may_write()))
        header.addWidget(self.as_of)
        self.tabs = QTabWidget(central)
        self.tabs.setDocumentMode(True)
        self._stale: set[int] = set()
        layout.addWidget(self.banner)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.result: PortfolioResult | None = None
        self.setCentralWidget(central)
        bar = self.menuBar()  # the titles now; their items after the first paint (_finish_frame)
        self._menus = [bar.addMenu(title) for title in ("&File", "&Edit", "&Help")]
        self._frame_finished = False
        self._views_built = False
        self._placeholders: dict[str, QWidget] = {}  # tabs whose view is not built yet
        for name, _, _, title in VIEWS:  # the tab bar as it will be: each view takes its place when built
            placeholder = self._placeholders[name] = QWidget()
            self.tabs.addTab(placeholder, title)
        self._preloaded: set[str] = set()  # views' modules a worker was asked to import
        self._awaiting_figures = False  # a large file opens and none of its figures is shown yet
        self._show_empty()
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 640)
        if not views_later:
            self.build_views(all_now=True)

    def _finish_frame(self) -> None:
        """What the frame does not need to paint: the menus' items and shortcuts, the focus ring, the
        labels' plain-text format, the recent files, the bundled fonts (once)."""
        if self._frame_finished:
            return
        self._frame_finished = True
        self._plain_text_labels()
        self.banner.setStyleSheet("QLabel#banner { background: #fff4ce; color: #5c4400; border: 1px solid #e0c36a;"
                                  " padding: 6px 10px; border-radius: 3px; }")
        self._ring_focus()
        self._build_menus()
        self._enable_actions()

    def _ring_focus(self) -> None:
        """A ring round the widget with the keyboard focus (``ui.focus_ring``)."""
        from pmodesk.ui.focus_ring import FocusRing

        self._focus_ring = FocusRing(self)

    def _plain_text_labels(self) -> None:
        """A portfolio's name is shown as typed, never read as markup."""
        from PySide6.QtCore import Qt

        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.subheading.setTextFormat(Qt.TextFormat.PlainText)

    def build_views(self, all_now: bool = False) -> None:
        """The nine tabs, wired to the window (once): the Portfolio view now, each other view in a later
        turn of the event loop (or when first asked for: ``window.register_view`` builds it), so a file's
        figures need not wait for all nine; the menus' items once the Portfolio view has painted. ``all_now``
        builds every one at once."""
        self._plain_text_labels()
        if all_now:
            self._finish_frame()
        if not self._views_built:
            self._views_built = True
            from pmodesk.ui import workers

            # Before any file opens (here, not in the frame: ctypes and glibc are not needed to paint it).
            workers.keep_large_blocks_returnable()  # a large portfolio's freed lists and arrays leave the process
            self._column_headers: dict[str, tuple[str, object]] = {
                "columns/health": ("portfolio_view", lambda v: v.table.horizontalHeader()),
                "columns/benefits": ("initiative_view", lambda v: v.benefit_table.horizontalHeader()),
                "columns/decisions": ("decisions_view", lambda v: v.table.horizontalHeader()),
                "columns/log": ("decision_log_view", lambda v: v.table.horizontalHeader()),
                "columns/actuals": ("actuals_view", lambda v: v.table.horizontalHeader())}
            self._restored_columns = False
            self._pending_columns: set[str] = set()
            self.tabs.currentChanged.connect(lambda _: self._refresh_current_tab())
            self._build_view("portfolio_view")
            if self.store is None:
                self._show_empty()
            from pmodesk.ui.app import font_steps
            from pmodesk.ui.turns import Steps

            # Once the Portfolio view has painted, one a turn: the menus' items, the bundled fonts, the other views.
            self._starting = Steps(self)
            self._starting.start(self._finish_frame, *font_steps(),
                                 *([] if all_now else [self._build_next_view]), after=self.portfolio_view.table)
        if all_now:
            for name in list(self._placeholders):
                self._build_view(name)

    def _after_paint(self, work) -> None:
        """Run ``work`` in a turn of the event loop after the Portfolio view's table has painted and stopped
        painting (what a person sees first: a large file's first figures; a table paints again once its
        rows are laid out), or soon at the latest (a hidden or minimised window does not paint)."""
        from pmodesk.ui.turns import Steps

        steps = Steps(self)

        def run() -> None:
            steps.deleteLater()
            work()

        steps.start(run, after=self.portfolio_view.table)

    def when_painted(self, widget: QWidget, work, at_latest_ms: int = 100) -> None:
        """Run ``work`` once, in a turn of the event loop after ``widget`` has painted, or ``at_latest_ms``
        from now (a hidden or minimised window does not paint). The launcher builds the views and opens
        the file once the frame has painted."""
        from PySide6.QtCore import QTimer

        done: list[bool] = []

        def painted() -> None:
            if done:
                return
            done.append(True)
            watch.stop()
            QTimer.singleShot(0, self, work)

        watch = PaintWatch(widget, painted)
        QTimer.singleShot(at_latest_ms, self, painted)

    def _build_next_view(self) -> None:
        """One view not yet built, then the next in a later turn: each turn of the event loop stays short.
        A view's module is imported by a worker first (the engine's modules with it), so the turn that
        builds the view only makes its widgets."""
        import sys

        from PySide6.QtCore import QTimer

        from pmodesk.ui import workers

        if not self._placeholders:
            return
        # A large file's first figures are being computed, or a worker runs Python (reading the file,
        # computing its figures): they come first. Building a view meanwhile would make each of its calls
        # into Python wait for the interpreter lock (the turn ten times as long as the building).
        if self._awaiting_figures or workers.pending():
            if workers.busy():  # once the workers are idle (a timer's poll would wait for the interpreter lock)
                workers.when_idle(self._when_workers_idle)
            else:  # the window's own steps (ui.turns), or a file's opening about to start
                QTimer.singleShot(20, self, self._build_next_view)
            return
        name = next(iter(self._placeholders))
        module = VIEWS[VIEW_NAMES.index(name)][1]
        if workers.loading(module) or (module not in sys.modules and module not in self._preloaded):
            self._preloaded.add(module)  # asked once: an import that failed there fails here, as it would
            workers.preload(module)
            QTimer.singleShot(5, self, self._build_next_view)  # until it is imported
            return
        self._build_view(name)
        if self._placeholders:
            QTimer.singleShot(0, self, self._build_next_view)

    def __getattr__(self, name: str):
        """A view asked for before its turn is built at once (``window.register_view``)."""
        if name in VIEW_NAMES and self.__dict__.get("_views_built"):
            return self._build_view(name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _build_view(self, name: str):
        if name in self.__dict__:
            return self.__dict__[name]
        import importlib

        _, module, class_name, title = VIEWS[VIEW_NAMES.index(name)]
        view = getattr(importlib.import_module(module), class_name)()
        self.__dict__[name] = view
        placeholder = self._placeholders.pop(name)
        index = self.tabs.indexOf(placeholder)
        current = self.tabs.currentIndex()
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, title)
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        placeholder.deleteLater()
        self._wire(name, view)
        if current == index:
            self._refresh_current_tab()
        return view

    def _wire(self, name: str, view) -> None:
        """Connect a new view's requests to the window."""
        if name in ("register_view", "actuals_view"):
            view.command_requested.connect(self.push)
        if name in ("portfolio_view", "initiative_view"):
            view.commentary.command_requested.connect(self.push)
        if name in ("portfolio_view", "decisions_view", "decision_log_view", "alignment_view", "trade_off_view"):
            view.initiative_chosen.connect(self.show_initiative)
        if name == "scenario_view":
            view.action_requested.connect(self.scenario_action)
        elif name == "initiative_view":
            view.benefits.edit_requested.connect(self.edit_benefit)
            view.benefits.invalid_edit.connect(self.explain)
            view.decision_requested.connect(self.record_decision)
            view.decision_chosen.connect(self.show_decision)
        elif name == "decisions_view":
            view.record_requested.connect(self.record_decision)
            view.decision_chosen.connect(self.show_decision)
        elif name == "decision_log_view":
            view.edit_requested.connect(self.edit_decision)
            view.add_requested.connect(self.add_decision)

    def _view_at(self, index: int):
        """The view of tab ``index``, built if it was not yet."""
        widget = self.tabs.widget(index)
        for name, placeholder in list(self._placeholders.items()):
            if placeholder is widget:
                return self._build_view(name)
        return widget

    def _showing(self, *names: str) -> bool:
        """Whether the tab on screen is one of the views ``names`` (building none of them)."""
        current = self.tabs.currentWidget()
        return current is not None and any(self.__dict__.get(name) is current for name in names)

    def _header(self, key: str):
        """A table header whose widths are kept per file, or None while its view is not built."""
        name, header = self._column_headers[key]
        view = self.__dict__.get(name)
        return None if view is None else header(view)

    # ----------------------------------------------------------------------------- menus
    def _build_menus(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut

        file_menu, edit_menu, help_menu = self._menus
        self.action_new = self._action(file_menu, "&New…", QKeySequence.StandardKey.New, self.new_file)
        self.action_new_on_server = self._action(file_menu, "New Portfolio on a Ser&ver…", None, self.new_on_server)
        self.action_open = self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self.choose_file)
        self.action_open_server = self._action(file_menu, "Open from a &Server…", None, self.open_from_server)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.action_save_copy = self._action(file_menu, "Save a &Copy…", QKeySequence.StandardKey.SaveAs,
                                             self.save_copy)
        self.action_save_copy_server = self._action(file_menu, "Save a Copy &to a Server…", None,
                                                    self.save_copy_to_server)
        self.action_close = self._action(file_menu, "&Close", QKeySequence.StandardKey.Close, self.close_file)
        file_menu.addSeparator()
        self.action_import = self._action(file_menu, "&Import…", None, self.import_file)
        self.action_import_measurements = self._action(file_menu, "Import &measurements (CSV)…", None,
                                                       self.import_measurements)
        self.action_import_measurements.setProperty("edits", True)
        self.action_export = self._action(file_menu, "&Export…", None, self.export_file)
        self.action_boardpack = self._action(file_menu, "&Board Pack…", QKeySequence("Ctrl+P"), self.export_board_pack)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        self.action_undo = undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.action_redo = redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(redo_shortcuts())
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self.action_templates = self._action(edit_menu, "Apply a pivot-rule &template…", None, self.apply_template)
        self.action_templates.setProperty("edits", True)
        self.action_history = self._action(edit_menu, "&History of Changes…", None, self.show_history)
        self.action_help = self._action(help_menu, "pmodesk &Help", QKeySequence.StandardKey.HelpContents,
                                        self.show_help)
        self.action_about = self._action(help_menu, "&About pmodesk", None, self.show_about)
        # Between tabs from anywhere in the window: Ctrl+Tab / Ctrl+Shift+Tab and Ctrl+PgDn / Ctrl+PgUp.
        for keys, step in (("Ctrl+Tab", 1), ("Ctrl+PgDown", 1), ("Ctrl+Shift+Tab", -1), ("Ctrl+Backtab", -1),
                           ("Ctrl+PgUp", -1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda step=step: self.tabs.setCurrentIndex(
                (self.tabs.currentIndex() + step) % self.tabs.count()))
        self._refresh_recent()

    def _action(self, menu, text, shortcut, slot) -> QAction:
        from PySide6.QtGui import QAction

        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _refresh_recent(self) -> None:
        from pmodesk.store.location import is_server, location_label

        if not self._frame_finished:
            return  # the menus' items are made a moment later, with the recent files
        self.recent_menu.clear()
        recent = self.recent_files()
        for path in recent:
            action = self.recent_menu.addAction(location_label(path) if is_server(path) else Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        self.recent_menu.setEnabled(bool(recent))

    def recent_files(self) -> list[str]:
        """Recent files that still exist, and recent server locations (URLs without a password)."""
        from pmodesk.store.location import is_server

        value = self.settings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [p for p in (value or []) if is_server(p) or Path(p).exists()]

    def _remember(self, path: Path | str) -> None:
        from pmodesk.store.location import is_server, parse_server

        if is_server(path):  # as the location displays itself: never a password (section 16)
            text = parse_server(str(path)).display()
        else:
            text = str(Path(path).resolve())
            self.settings.setValue("files/last", text)  # bare `pmodesk` reopens files only, never a server
        recent = [text] + [p for p in self.recent_files() if p != text]
        self.settings.setValue("files/recent", recent[:MAX_RECENT])
        self._refresh_recent()

    # ----------------------------------------------------------------------------- files
    def open_file(self, path: str | Path, password: str | None = None) -> bool:
        """Open ``path`` (a file or a server location); on refusal show why in a dialog and keep the current
        portfolio open. A server that asks for a password libpq did not have gets it asked for once.

        A large file is opened, read and computed in a background thread (the window stays
        responsive and shows the current file meanwhile; only the newest opening is shown): this
        returns True at once, and a refusal is explained when it comes."""
        from pmodesk.store.location import is_server, open_location

        self.build_views()

        self._opening += 1
        self._awaiting_figures = False  # an older opening's figures are no longer awaited
        if not is_server(path) and _file_size(path) >= BACKGROUND_FROM_BYTES:
            self._open_in_background(path, self._opening)
            return True

        def opened(given: str | None):
            store = open_location(path, password=given)
            try:
                return store, store.load()
            except BaseException:
                store.close()
                raise

        try:
            if is_server(path):  # a postgresql:// server portfolio (DESIGN.md section 16)
                from pmodesk.ui.server_dialogs import with_password

                (store, data), _ = with_password(self, str(path), opened, password)
            else:
                store, data = opened(None)
        except StoreError as error:
            what = "portfolio" if is_server(path) else "file"
            QMessageBox.critical(self, "pmodesk", f"The {what} was not opened.\n\n{error}")
            return False
        self._adopt(path, store, data)
        return True

    def _open_in_background(self, path: str | Path, opening: int) -> None:
        from pmodesk import figure_cache
        from pmodesk.store.location import open_location
        from pmodesk.ui import processes, workers

        self.statusBar().showMessage(f"Opening {Path(path).name}…")
        today = date.today()
        folder = self.cache_folder
        painted = self._figures_painted = threading.Event()

        def show_first(data, result) -> None:
            """Figures before the full read: shown, then the read goes on once they are painted (the
            worker would hold the interpreter lock while the window lays them out and paints them)."""
            self._make_table_ahead(data, result)
            painted.clear()
            self._figures_first.emit(opening, str(path), data, result)
            painted.wait(0.5)

        def work() -> None:
            store = None
            try:
                with quiet_collector():
                    cached = figure_cache.read(folder, path, today)  # this file's figures kept from a last opening
                    if cached is not None:
                        show_first(*cached)
                    todays = cached is None or cached[0].earlier_day  # today's figures are not shown yet
                    key = figure_cache.cache_key(path, today) if todays else None  # taken before reading
                    first = figures_first(path, today) if todays else None  # today's, from a quick read
                    if first is not None:
                        show_first(*first)
                        figure_cache.write(folder, key, *first)  # for the next opening
                    # Meanwhile, on the other worker: the charts of a large file are then ready at once.
                    workers.preload("pmodesk.ui.charts")
                    workers.preload("pmodesk.engine.risk")  # the Trade-off tab's value at risk (NumPy's random)
                    workers.preload("pmodesk.engine.frontier")
                    processes.start()  # the child that computes value at risk and the frontier (starts meanwhile)
                    store = open_location(path)
                    data = store.load()
                    result = _engine().compute(data, data.portfolio.default_as_of(today))
                    if key is not None and first is None:
                        figure_cache.write(folder, key, data, result)
                    prepare_reload(data)  # the first edit then as quick as the next
                    self._make_table_ahead(data, result)
                workers.give_back_memory()
                answer = (self._opened, (opening, str(path), store, data, result))
            except Exception as error:  # a StoreError is explained; nothing is lost in a thread
                if store is not None:
                    store.close()
                answer = (self._open_failed, (opening, str(error)))
            try:
                answer[0].emit(*answer[1])
            except RuntimeError:  # the window was closed meanwhile
                if answer[0] is self._opened:
                    store.close()

        self._awaiting_figures = True
        # After the window has painted what it shows now (a Portfolio view just built is polished and laid
        # out in that turn) and finished its frame (the menus' items and the bundled fonts relay out and
        # repaint the whole window): meanwhile the worker would hold the interpreter lock.
        start = lambda: opening == self._opening and workers.submit(work)  # noqa: E731
        if self._starting.pending():
            self._starting.then(start)
        else:
            self._after_paint(start)

    def _make_table_ahead(self, data, result) -> None:
        """In the worker that computed ``result``: the health table, so that showing it takes the UI
        thread a moment."""
        view = self.__dict__.get("portfolio_view")
        if view is not None:
            view.make_table_ahead(data, result)

    def _show_figures_first(self, opening: int, path: str, data, result) -> None:
        """The health table's figures of a file still opening, before its full read: the Portfolio tab
        shows them read-only; everything else follows with the full read."""
        if opening != self._opening:
            return
        self._awaiting_figures = False
        if self._previewing != opening:  # else: today's figures after the kept ones, in their place
            self.close_file()
        self.as_of.blockSignals(True)  # the date these figures are for (a file may fix its as-of date)
        self.as_of.setDate(QDate(result.as_of.year, result.as_of.month, result.as_of.day))
        self.as_of.blockSignals(False)
        self.heading.setText(data.portfolio.name)
        if getattr(data, "earlier_day", False):
            self.subheading.setText(f"Opening {Path(path).name}… these are the figures kept as of "
                                    f"{result.as_of.isoformat()}; today's follow in a moment, then editing.")
        else:
            self.subheading.setText(f"Opening {Path(path).name}… the figures are shown; editing follows in a moment.")
        self.tabs.setCurrentWidget(self.portfolio_view)
        index = self.tabs.indexOf(self.portfolio_view)
        if index in self._placed:
            from pmodesk.ui.keep_place import kept_place

            with kept_place(self.portfolio_view):  # the rows a person selected meanwhile, the scroll
                self.portfolio_view.show_first_figures(data, result)
        else:
            self.portfolio_view.show_first_figures(data, result)
        self._placed.add(index)
        self._stale = set(range(self.tabs.count())) - {index}
        self._previewing = opening
        self._after_paint(self._figures_painted.set)  # the worker's full read goes on

    def _open_done(self, opening: int, path: str, store, data, result) -> None:
        if opening != self._opening:
            store.close()  # a newer opening was asked for
            return
        self._awaiting_figures = False
        self.statusBar().clearMessage()
        self._adopt(path, store, data, result, opening)

    def _open_refused(self, opening: int, message: str) -> None:
        if opening != self._opening:
            return
        self._awaiting_figures = False
        self.statusBar().clearMessage()
        if self._previewing is not None:  # its figures were shown already: the window shows no file after all
            self._previewing = None
            self._show_empty()
        QMessageBox.critical(self, "pmodesk", f"The file was not opened.\n\n{message}")

    def _adopt(self, path: str | Path, store, data, result=None, opening: int | None = None) -> None:
        """Show ``store`` (opened and read) as the window's portfolio, in place of the current one (or of
        the first figures ``opening`` showed of it: the health table keeps its widths, the rows selected and
        the scroll, with no empty window between)."""
        previewed, self._previewing = self._previewing, None
        if previewed is None or previewed != opening:
            self.close_file()
        self.store, self.data = store, data
        from pmodesk.ui.server_changes import watch

        self._server_changes = watch(self, store)  # a server portfolio: hear other people's changes
        self.undo_stack.clear()
        self._remember(path)
        self._restored_columns = False
        as_of = data.portfolio.default_as_of(date.today())
        self.as_of.blockSignals(True)
        self.as_of.setDate(QDate(as_of.year, as_of.month, as_of.day))
        self.as_of.blockSignals(False)
        self._show_portfolio(result if result is not None and result.as_of == as_of else None)

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open portfolio", self._last_folder(), FILE_FILTER)
        if path:
            self.open_file(path)

    def new_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New portfolio", self._last_folder(), FILE_FILTER)
        if not path:
            return
        if not path.endswith(".pmodesk"):
            path += ".pmodesk"
        name, ok = QInputDialog.getText(self, "New portfolio", "Portfolio name:")
        if not ok or not name.strip():
            return
        from pmodesk.store import Store

        try:
            Store.create(path, _portfolio(name=name.strip(), currency="GBP"), replace_existing=True).close()
        except StoreError as error:
            QMessageBox.critical(self, "pmodesk", f"The portfolio was not created.\n\n{error}")
            return
        self.open_file(path)

    def save_copy(self) -> None:
        if self.store is None:
            return
        location = getattr(self.store, "location", None)
        if location is not None:  # a server portfolio: a file named after it, in the last folder
            suggested = str(Path(self._last_folder()) / f"{location.portfolio}.pmodesk")
        else:
            suggested = str(self.store.path.with_name(self.store.path.stem + " (copy).pmodesk"))
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy", suggested, FILE_FILTER)
        if not path:
            return
        try:
            self.store.save_copy(path)
        except StoreError as error:
            QMessageBox.critical(self, "pmodesk", f"The copy was not saved.\n\n{error}")
            return
        self.statusBar().showMessage(f"Saved a copy to {path}", 5000)

    def open_from_server(self) -> None:
        from pmodesk.ui.server_dialogs import ask_location

        location = ask_location(self, "Open from a server", initial=self._last_server())
        if location:
            self.open_file(location)

    def new_on_server(self) -> None:
        """A new, empty portfolio on a server (like ``pmodesk new URL``), then opened."""
        from pmodesk.store.location import create_at
        from pmodesk.ui.server_dialogs import ask_location, with_password

        answer = ask_location(self, "New portfolio on a server", new=True, initial=self._last_server())
        if not answer:
            return
        location, name, currency = answer
        try:
            _, password = with_password(self, location, lambda given: create_at(
                location, _portfolio(name=name, currency=currency), password=given).close())
        except StoreError as error:
            QMessageBox.critical(self, "pmodesk", f"The portfolio was not created.\n\n{error}")
            return
        self.open_file(location, password)

    def save_copy_to_server(self) -> None:
        """The open portfolio (from a file or a server) copied whole to a server portfolio."""
        from pmodesk.store.errors import TargetExists
        from pmodesk.store.location import copy_open, location_label
        from pmodesk.ui.server_dialogs import ask_location, with_password

        if self.store is None:
            return
        location = ask_location(self, "Save a copy to a server", initial=self._last_server())
        if not location:
            return
        used: list[str | None] = [None]  # the password that reached the server, if one was asked for

        def copy(given: str | None, replace: bool = False) -> None:
            used[0] = given
            copy_open(self.store, location, replace=replace, password=given)

        try:
            try:
                with_password(self, location, copy)
            except TargetExists as exists:
                answer = QMessageBox.question(self, "Replace the portfolio on the server?",
                                              f"{exists}\n\nReplace it with a copy of this portfolio?")
                if answer != QMessageBox.StandardButton.Yes:
                    return
                copy(used[0], replace=True)
        except StoreError as error:
            QMessageBox.critical(self, "pmodesk", f"The copy was not saved.\n\n{error}")
            return
        self._remember(location)
        self.statusBar().showMessage(f"Saved a copy to {location_label(location)}", 5000)

    def _last_server(self) -> str | None:
        """The most recent server location, to start the dialog from (users seldom change servers)."""
        from pmodesk.store.location import is_server

        return next((p for p in self.recent_files() if is_server(p)), None)

    def close_file(self) -> None:
        if getattr(self, "_server_changes", None) is not None:
            self._server_changes.stop()
            self._server_changes = None
        if self.store is not None:
            self._save_view_settings()
            self.store.close()
        self.store, self.data = None, None
        self.undo_stack.clear()
        self._show_empty()

    def _last_folder(self) -> str:
        last = self.settings.value("files/last")
        return str(Path(last).parent) if last else str(Path.home())

    # ----------------------------------------------------------------------------- display
    def _show_empty(self) -> None:
        self.setWindowTitle("pmodesk")
        self.heading.setText("No portfolio open")
        self.subheading.setText("Use File ▸ Open… or File ▸ New… to start.")
        self.banner.hide()
        self.data, self.result = None, None
        self._enable_actions()
        self._stale = set(range(self.tabs.count()))
        self._placed: set[int] = set()  # tabs filled for this portfolio: a refill keeps the user's place
        self._filled_with: dict[int, PortfolioData | None] = {}  # each tab's data when it was last filled
        self.loads = 0
        if self._views_built:
            self.portfolio_view.clear_table()  # the next portfolio's first fill fits its columns
            self._refresh_current_tab()

    def _enable_actions(self) -> None:
        """The actions on an open portfolio are enabled with one (those that edit, unless read-only)."""
        if not self._frame_finished:
            return  # the menus' items come after the first paint, and are enabled then
        opened = self.store is not None and self.data is not None
        for action in (self.action_save_copy, self.action_save_copy_server, self.action_close, self.action_export,
                       self.action_boardpack, self.action_history):
            action.setEnabled(opened)
        for action in (self.action_import_measurements, self.action_templates):
            action.setEnabled(opened and not self.store.read_only)

    def _show_portfolio(self, result: PortfolioResult | None = None) -> None:
        assert self.store is not None and self.data is not None
        portfolio = self.data.portfolio
        read_only = " [read-only]" if self.store.read_only else ""
        self.setWindowTitle(f"{portfolio.name} — {self.store.path.name}{read_only} — pmodesk")
        self.heading.setText(portfolio.name)
        parts = [portfolio.client or "", f"Currency {portfolio.currency}",
                 f"{len(self.data.initiatives)} initiatives", f"{len(self.data.benefits)} benefits"]
        self.subheading.setText("  ·  ".join(p for p in parts if p))
        messages = self.store.status.messages()
        self.banner.setText("\n".join(messages))
        self.banner.setVisible(bool(messages))
        self._enable_actions()
        if not self._restored_columns:
            self._pending_columns = set(self._column_headers)
            tab = self.settings.value(self._view_key("tab"))
            if tab is not None and 0 <= int(tab) < self.tabs.count():
                self.tabs.blockSignals(True)
                self.tabs.setCurrentIndex(int(tab))
                self.tabs.blockSignals(False)
        if result is None:
            self.recompute(reload=False)
        else:  # computed with the opening, in the background
            self._generation += 1
            self._show_result(self._generation, self.data, result)
        self._restored_columns = True

    # ----------------------------------------------------------------------------- view settings, per file
    def _view_key(self, name: str) -> str:
        """Settings of one file (column widths, sort, last tab) live under a key made from its path."""
        import hashlib

        path = self._where()
        return f"views/{hashlib.sha256(path.encode()).hexdigest()[:16]}/{name}"

    def _where(self) -> str:
        """Where the portfolio is: the resolved file path, or the server location's label."""
        if self.store is None:
            return ""
        location = getattr(self.store, "location", None)
        return location.label if location is not None else str(self.store.path.resolve())

    def _save_view_settings(self) -> None:
        if self.store is None:
            return
        self.settings.setValue(self._view_key("tab"), self.tabs.currentIndex())
        for key in self._column_headers:
            header = self._header(key)
            if header is not None and header.count() and key not in self._pending_columns:
                self.settings.setValue(self._view_key(key), header.saveState())

    # ----------------------------------------------------------------------------- figures
    def current_as_of(self) -> date:
        value = self.as_of.date()
        return date(value.year(), value.month(), value.day())

    def recompute(self, reload: bool = True) -> None:
        """Reload the whole portfolio (``reload``) and recompute every figure at the as-of date.

        Small portfolios are recomputed at once; large ones in a background thread, so the window
        stays responsive, and only the newest answer is shown. An edit goes the quicker way of
        :meth:`after_edit`.
        """
        if self.store is None:
            return
        self._generation += 1
        self._working = None
        as_of = self.current_as_of()
        if reload:
            self.store.take_changes()  # the whole read below sees them all
        if self.data is not None and len(self.data.measurements) > BACKGROUND_FROM_MEASUREMENTS:
            generation, store, data = self._generation, self.store, self.data
            self._working = generation
            self.statusBar().showMessage("Recomputing…")

            def work() -> None:
                try:
                    fresh = store.load() if reload else data
                    result = _engine().compute(fresh, as_of)
                    self._make_table_ahead(fresh, result)
                    answer = (self._finished, (generation, fresh, result))
                except Exception as error:  # reported in the window, never lost in a thread
                    answer = (self._failed, (generation, str(error)))
                try:
                    answer[0].emit(*answer[1])
                except RuntimeError:
                    return  # the window was closed while the figures were being computed
                if answer[0] is self._finished:
                    prepare_reload(fresh)  # here, after the figures, not in the first edit

            if reload:
                self.loads += 1

            threading.Thread(target=work, daemon=True).start()
            return
        if reload:
            self.data = self.store.load()
            self.loads += 1
        prepare_reload(self.data)
        self._show_result(self._generation, self.data, _engine().compute(self.data, as_of))

    def _others_may_write(self) -> bool:
        """Whether the open portfolio may change other than through this window's edits: a file opened
        read-only because someone else edits it. (This window's own edits keep its data current, and a
        server portfolio hears others' changes through :mod:`pmodesk.ui.server_changes`.)"""
        return self.store is not None and self.store.read_only and getattr(self.store, "location", None) is None

    def after_edit(self, full: bool = False) -> None:
        """An edit, undo or redo was committed: read back only the rows it touched and recompute only
        the initiatives it touched and the portfolio sums (``engine.portfolio.recompute``).

        The edited cell shows its new value at once; on a large portfolio the figures follow from a
        worker thread. Edits that reach every initiative (the portfolio row, objectives, scenarios,
        imports), an edit while other figures are still being computed, and any failure of the quick
        way read and compute everything again: the window never shows figures that a whole
        recomputation would not give.
        """
        if self.store is None:
            return
        changes = self.store.take_changes()
        previous, data = self.result, self.data
        if full or changes.everything or previous is None or data is None or previous.prepared is None \
                or self._working is not None or previous.as_of != self.current_as_of():
            self.recompute(reload=True)
            return
        if changes.empty:
            return
        try:
            reloaded = self.store.reload(data, changes)
        except StoreError:
            self.recompute(reload=True)
            return
        if reloaded.initiative_ids is None:  # the store read everything after all
            self.loads += 1
            self.data = reloaded.data
            self.recompute(reload=False)
            return
        self._generation += 1
        generation, fresh, ids = self._generation, reloaded.data, reloaded.initiative_ids
        if len(fresh.measurements) <= BACKGROUND_FROM_MEASUREMENTS:
            try:
                result = _engine().recompute(previous, fresh, ids)
            except Exception:  # noqa: BLE001 - any failure of the quick way: the whole way instead
                self.recompute(reload=True)
                return
            self._show_result(generation, fresh, result)
            return
        from pmodesk.ui.provisional import provisional

        self._working = generation

        def work() -> None:
            try:
                answer = (self._finished, (generation, fresh, _engine().recompute(previous, fresh, ids)))
            except Exception:  # noqa: BLE001 - the window falls back to the whole recomputation
                answer = (self._incremental_failed, (generation,))
            try:
                answer[0].emit(*answer[1])  # queued: shown after the provisional figures below
            except RuntimeError:
                pass  # the window was closed meanwhile

        threading.Thread(target=work, daemon=True).start()  # first: it works while the cell is shown
        if self._shows_edited_records(changes):
            self._show_result(generation, fresh, provisional(previous, fresh, ids), final=False)
        else:  # nothing on screen but figures changes: they follow, shown once
            self.data, self.result = fresh, provisional(previous, fresh, ids)

    def _shows_edited_records(self, changes) -> bool:
        """Whether the tab on screen shows records of the kinds an edit changed (not only figures made
        from them): then the edit is shown at once, before its figures. Measurements, trajectory
        points, planned spend and cost actuals appear as records only in the registers."""
        if self._showing("portfolio_view", "alignment_view", "trade_off_view"):
            return False  # figures only
        figures_only = {"measurement", "trajectory_point", "planned_spend", "cost_actual"}
        return self._showing("register_view") or not changes.entities or bool(changes.entities - figures_only)

    def _show_failure(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._working = None
            self.explain(message)

    def _show_result(self, generation: int, data, result, final: bool = True) -> None:
        if generation != self._generation or self.store is None:
            return  # a newer recomputation is on its way
        self.data, self.result = data, result
        if final:
            self._working = None
            self.statusBar().clearMessage()
        self._stale = set(range(self.tabs.count()))
        index = self.tabs.currentIndex()
        if self._showing("register_view") and self._filled_with.get(index) is data:
            self._stale.discard(index)  # it lists records, not figures, and shows these very records
            return
        self._refresh_current_tab()

    def redisplay(self) -> None:
        """Show the current figures again (a cancelled edit puts its cell back), computing nothing."""
        if self.result is not None:
            self._stale = set(range(self.tabs.count()))
            self._refresh_current_tab()

    def _refresh_current_tab(self) -> None:
        """Only the visible tab is brought up to date; the others when they are shown."""
        index = self.tabs.currentIndex()
        if index not in self._stale:
            return
        self._stale.discard(index)
        read_only = self.store.read_only if self.store else True
        view = self._view_at(index)
        if index in self._placed:
            from pmodesk.ui.keep_place import kept_place

            with kept_place(view):  # the same records selected, the same scroll, after every refill
                view.set_result(self.data, self.result, read_only)
        else:  # a new portfolio (or none): nothing of the last one's place applies
            view.set_result(self.data, self.result, read_only)
            if self.data is not None:
                self._placed.add(index)
        self._filled_with[index] = self.data
        if self.store is not None:  # the widths chosen for this file win over the view's automatic fit
            for key in [k for k in self._pending_columns if self._column_headers[k][0] in self.__dict__
                        and self.__dict__[self._column_headers[k][0]] is view]:
                state = self.settings.value(self._view_key(key))
                if state is not None:
                    self._header(key).restoreState(state)
                self._pending_columns.discard(key)

    def show_initiative(self, initiative_id: int) -> None:
        self.tabs.setCurrentWidget(self.initiative_view)
        self.initiative_view.show_initiative(initiative_id)

    def show_decision(self, decision_id: int) -> None:
        self.tabs.setCurrentWidget(self.decision_log_view)
        self.decision_log_view.show_decision(decision_id)

    # ----------------------------------------------------------------------------- edits
    def push(self, command) -> None:
        if self.store is None:
            return
        if self.store.read_only:
            self.explain(self.store.read_only_message())
            return
        from pmodesk.ui.commands import StoreCommand

        self.undo_stack.push(StoreCommand(self.store, command, self.after_edit, self.explain))

    def edit_benefit(self, benefit, field: str, value) -> None:
        """One field of a benefit; a new target offers to move the trajectory's last point with it."""
        from pmodesk.commands import Batch, UpdateField

        label = f"Change {benefit.code} {field.replace('_', ' ')}"
        command = UpdateField("benefit", benefit.id, field, getattr(benefit, field), value, label)
        points = sorted((t for t in self.data.trajectory if t.benefit_id == benefit.id), key=lambda t: t.date) \
            if self.data else []
        if field == "target_value" and points and points[-1].value != value and not \
                (self.store is not None and self.store.read_only):
            last = points[-1]
            answer = QMessageBox.question(
                self, "Move the trajectory too?",
                f"The trajectory of {benefit.code} ends at {last.value} on {last.date.isoformat()}, the old target was "
                f"{benefit.target_value}.\n\nMove the trajectory's last point to the new target {value} as well?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Yes)
            if answer == QMessageBox.StandardButton.Cancel:
                self.redisplay()
                return
            if answer == QMessageBox.StandardButton.Yes:
                command = Batch((command, UpdateField("trajectory_point", last.id, "value", last.value, value)),
                                f"{label} and the trajectory's end")
        self.push(command)

    def record_decision(self, rule_result) -> None:
        from pmodesk.ui.decision_forms import record_decision

        record_decision(self, rule_result)

    def add_decision(self) -> None:
        from pmodesk.ui.decision_forms import add_decision

        add_decision(self)

    def edit_decision(self, decision) -> None:
        from pmodesk.ui.decision_forms import edit_decision

        edit_decision(self, decision)

    def scenario_action(self, action: str) -> None:
        from pmodesk.ui.scenario_dialogs import scenario_action

        scenario_action(self, action)

    def explain(self, message: str) -> None:
        QMessageBox.warning(self, "pmodesk", message)

    # ----------------------------------------------------------------------------- import, export, board pack
    def import_file(self) -> None:
        from pmodesk.ui.import_wizard import run_import_wizard

        run_import_wizard(self)

    def export_file(self) -> None:
        from pmodesk.interchange.files import export_portfolio

        if self.data is None:
            return
        location = getattr(self.store, "location", None)  # a server portfolio: named after it, in the last folder
        suggested = Path(self._last_folder()) / f"{location.portfolio}.xlsx" if location is not None \
            else self.store.path.with_suffix(".xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Export portfolio", str(suggested),
                                              "Excel workbook (*.xlsx);;JSON (*.json)")
        if not path:
            return
        try:
            export_portfolio(self.data, path)
        except (StoreError, ValueError) as error:
            QMessageBox.critical(self, "pmodesk", str(error))
            return
        self.statusBar().showMessage(f"Exported to {path}", 5000)

    def export_board_pack(self) -> None:
        from pmodesk.ui.boardpack_dialog import BoardPackDialog

        if self.data is None:
            return
        dialog = BoardPackDialog(self.data, self.current_as_of(), self.store.path.name, self)
        dialog.exec()

    def import_measurements(self) -> None:
        """File ▸ Import measurements: a CSV checked and previewed, then added as one undoable edit."""
        from pmodesk.ui.measurements_dialog import MeasurementsImportDialog

        if self.data is None or self.store is None:
            return
        if self.store.read_only:
            self.explain(self.store.read_only_message())
            return
        source, _ = QFileDialog.getOpenFileName(self, "Import measurements", self._last_folder(),
                                                "Measurements (*.csv *.txt);;All files (*)")
        if not source:
            return
        dialog = MeasurementsImportDialog(Path(source), self.data, self)
        if dialog.exec() and dialog.command is not None:
            self.push(dialog.command)

    def apply_template(self) -> None:
        from pmodesk.ui.templates import TemplateDialog

        if self.data is None or (self.store is not None and self.store.read_only):
            return
        dialog = TemplateDialog(self.data, self.current_as_of(), self)
        if dialog.exec() and dialog.command is not None:
            self.push(dialog.command)

    def show_history(self) -> None:
        """Edit ▸ History of Changes: the audit trail, with the database user of each change on a server."""
        from pmodesk.ui.history_dialog import HistoryDialog

        if self.store is None:
            return
        shown = self.initiative_view.current_result() if self._showing("initiative_view") else None
        try:
            dialog = HistoryDialog(self.store, self.data, self, shown.initiative.code if shown is not None else "")
        except StoreError as error:
            self.explain(str(error))
            return
        dialog.exec()

    def show_help(self) -> None:
        from pmodesk.ui.help import HelpDialog

        HelpDialog(self).exec()

    def show_about(self) -> None:
        from pmodesk.ui.help import about_text

        QMessageBox.about(self, "About pmodesk", about_text(self._where() or None))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.close_file()
        from pmodesk.ui import processes

        processes.shutdown()
        super().closeEvent(event)


def redo_shortcuts() -> list[QKeySequence]:
    """Ctrl+Shift+Z and Ctrl+Y (and the platform's own), each once: a key sequence registered twice on
    one action is ambiguous to Qt, which then does nothing at all."""
    from PySide6.QtGui import QKeySequence

    shortcuts: list[QKeySequence] = []
    for sequence in [*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z"),
                     QKeySequence("Ctrl+Y")]:
        if sequence.toString() and all(sequence != s for s in shortcuts):
            shortcuts.append(sequence)
    return shortcuts


def prepare_reload(data) -> None:
    """The owner indexes :meth:`Store.reload` uses, made ahead of the first edit."""
    from pmodesk.store.loader import prepare_reload as prepare  # SQLAlchemy: not at start-up

    prepare(data)
