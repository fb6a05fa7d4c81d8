"""The main window: a thin shell that opens files, places the views and routes the undo stack.

Each view owns its room (its widgets and its model) and asks for edits as commands; the window
pushes them on the one undo stack. The store is the only way into the file; a refused file is
explained in a dialog and left untouched; a file locked by someone else opens read-only with a
banner saying who holds it, and every editing control is disabled.
"""

from __future__ import annotations

import gc
import hashlib
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
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

from pmodesk.domain.model import Portfolio, PortfolioData
from pmodesk.engine.portfolio import PortfolioResult, compute
from pmodesk.store.errors import StoreError

if TYPE_CHECKING:
    from pmodesk.store import Store
from pmodesk.ui.actuals_view import ActualsView
from pmodesk.ui.alignment_view import AlignmentView, TradeOffView
from pmodesk.ui.commands import StoreCommand
from pmodesk.ui.decisions_view import DecisionLogView, DecisionsRequiredView
from pmodesk.ui.initiative_view import InitiativeView
from pmodesk.ui.portfolio_view import PortfolioView
from pmodesk.ui.register_view import RegisterView
from pmodesk.ui.scenario_view import ScenarioView

FILE_FILTER = "pmodesk portfolios (*.pmodesk);;All files (*)"
MAX_RECENT = 8
FOCUS_RING = ("QTableView:focus, QListWidget:focus, QLineEdit:focus, QComboBox:focus, QDateEdit:focus, "
              "QPushButton:focus, QGraphicsView:focus { outline: none; border: 2px solid #2B6CB0; }")


BACKGROUND_FROM_MEASUREMENTS = 20_000
BACKGROUND_FROM_BYTES = 4_000_000  # a file this large is opened and computed in a background thread


def _file_size(path: str | Path) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0  # opened at once, and refused with the store's own words


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


class MainWindow(QMainWindow):
    _finished = Signal(int, object, object)
    _failed = Signal(int, str)
    _opened = Signal(int, str, object, object, object)
    _figures_first = Signal(int, str, object, object)
    _open_failed = Signal(int, str)

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self._generation = 0
        self._opening = 0  # only the newest opening of a file is shown
        self._opened.connect(self._open_done)
        self._figures_first.connect(self._show_figures_first)
        self._previewing = False  # the health table shows a file's first figures while it still opens
        self._open_failed.connect(self._open_refused)
        self._finished.connect(self._show_result)
        self._failed.connect(lambda generation, message: generation == self._generation and self.explain(message))
        self.settings = settings or QSettings()
        self.store: Store | None = None
        self.data: PortfolioData | None = None
        self.undo_stack = QUndoStack(self)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.banner = QLabel(central)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel#banner { background: #fff4ce; color: #5c4400; border: 1px solid #e0c36a;"
                                  " padding: 6px 10px; border-radius: 3px; }")
        self.banner.hide()
        self.heading = QLabel(central)
        self.heading.setObjectName("heading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.subheading = QLabel(central)
        self.subheading.setTextFormat(Qt.TextFormat.PlainText)
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
        self.as_of.dateChanged.connect(lambda _: self.recompute())
        header.addWidget(self.as_of)
        self.tabs = QTabWidget(central)
        self.tabs.setDocumentMode(True)
        self.portfolio_view = PortfolioView()
        self.decisions_view = DecisionsRequiredView()
        self.actuals_view = ActualsView()
        self.decision_log_view = DecisionLogView()
        self.initiative_view = InitiativeView()
        self.alignment_view = AlignmentView()
        self.trade_off_view = TradeOffView()
        self.scenario_view = ScenarioView()
        self.register_view = RegisterView()
        for view, title in ((self.portfolio_view, "&Portfolio"), (self.decisions_view, "&Decisions required"),
                            (self.actuals_view, "Record &actuals"), (self.decision_log_view, "Decision &log"),
                            (self.initiative_view, "&Initiative"), (self.alignment_view, "&Objectives"),
                            (self.trade_off_view, "&Trade-off"), (self.scenario_view, "&Scenarios"),
                            (self.register_view, "&Registers")):
            self.tabs.addTab(view, title)
        for view in (self.register_view, self.actuals_view, self.portfolio_view.commentary,
                     self.initiative_view.commentary):
            view.command_requested.connect(self.push)
        self.scenario_view.action_requested.connect(self.scenario_action)
        self._stale: set[int] = set()
        self.tabs.currentChanged.connect(lambda _: self._refresh_current_tab())
        for view in (self.portfolio_view, self.decisions_view, self.decision_log_view, self.alignment_view,
                     self.trade_off_view):
            view.initiative_chosen.connect(self.show_initiative)
        self.initiative_view.benefits.edit_requested.connect(self.edit_benefit)
        self.initiative_view.benefits.invalid_edit.connect(self.explain)
        self.initiative_view.decision_requested.connect(self.record_decision)
        self.initiative_view.decision_chosen.connect(self.show_decision)
        self.decisions_view.record_requested.connect(self.record_decision)
        self.decisions_view.decision_chosen.connect(self.show_decision)
        self.decision_log_view.edit_requested.connect(self.edit_decision)
        self.decision_log_view.add_requested.connect(self.add_decision)
        self.setStyleSheet(FOCUS_RING)
        layout.addWidget(self.banner)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.result: PortfolioResult | None = None
        self.setCentralWidget(central)
        self._build_menus()
        self._show_empty()
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1100, 640)
        self._column_headers = {"columns/health": self.portfolio_view.table.horizontalHeader(),
                                "columns/benefits": self.initiative_view.benefit_table.horizontalHeader(),
                                "columns/decisions": self.decisions_view.table.horizontalHeader(),
                                "columns/log": self.decision_log_view.table.horizontalHeader(),
                                "columns/actuals": self.actuals_view.table.horizontalHeader()}
        self._restored_columns = False
        self._pending_columns: set[str] = set()
        from PySide6.QtCore import QTimer

        from pmodesk.ui.app import register_bundled_fonts

        QTimer.singleShot(0, register_bundled_fonts)  # after the first paint: start-up stays quick

    # ----------------------------------------------------------------------------- menus
    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.action_new = self._action(file_menu, "&New…", QKeySequence.StandardKey.New, self.new_file)
        self.action_open = self._action(file_menu, "&Open…", QKeySequence.StandardKey.Open, self.choose_file)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.action_save_copy = self._action(file_menu, "Save a &Copy…", QKeySequence.StandardKey.SaveAs,
                                             self.save_copy)
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
        edit_menu = self.menuBar().addMenu("&Edit")
        self.action_undo = undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Undo))
        self.action_redo = redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(redo_shortcuts())
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
        edit_menu.addSeparator()
        self.action_templates = self._action(edit_menu, "Apply a pivot-rule &template…", None, self.apply_template)
        self.action_templates.setProperty("edits", True)
        help_menu = self.menuBar().addMenu("&Help")
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
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for path in recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_file(p))
        self.recent_menu.setEnabled(bool(recent))

    def recent_files(self) -> list[str]:
        value = self.settings.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [p for p in (value or []) if Path(p).exists()]

    def _remember(self, path: Path) -> None:
        text = str(path.resolve())
        recent = [text] + [p for p in self.recent_files() if p != text]
        self.settings.setValue("files/recent", recent[:MAX_RECENT])
        self.settings.setValue("files/last", text)
        self._refresh_recent()

    # ----------------------------------------------------------------------------- files
    def open_file(self, path: str | Path) -> bool:
        """Open ``path``; on refusal show why in a dialog and keep the current file open.

        A large file is opened, read and computed in a background thread (the window stays
        responsive and shows the current file meanwhile; only the newest opening is shown): this
        returns True at once, and a refusal is explained when it comes."""
        from pmodesk.store.location import is_server, open_location

        self._opening += 1
        if not is_server(path) and _file_size(path) >= BACKGROUND_FROM_BYTES:
            self._open_in_background(path, self._opening)
            return True
        try:
            store = open_location(path)  # a file, or a postgresql:// server portfolio (DESIGN.md section 16)
            data = store.load()
        except StoreError as error:
            QMessageBox.critical(self, "pmodesk", f"The file was not opened.\n\n{error}")
            return False
        self._adopt(path, store, data)
        return True

    def _open_in_background(self, path: str | Path, opening: int) -> None:
        from pmodesk.store.location import open_location
        from pmodesk.ui import workers

        self.statusBar().showMessage(f"Opening {Path(path).name}…")
        today = date.today()

        def work() -> None:
            store = None
            try:
                with quiet_collector():
                    first = figures_first(path, today)  # the health table's figures, from a quick read
                    if first is not None:
                        self._figures_first.emit(opening, str(path), *first)
                    # Meanwhile, on the other worker: the charts of a large file are then ready at once.
                    workers.preload("pmodesk.ui.charts")
                    store = open_location(path)
                    data = store.load()
                    result = compute(data, data.portfolio.default_as_of(today))
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

        workers.submit(work)

    def _show_figures_first(self, opening: int, path: str, data, result) -> None:
        """The health table's figures of a file still opening, before its full read: the Portfolio tab
        shows them read-only; everything else follows with the full read."""
        if opening != self._opening:
            return
        self.close_file()
        self.heading.setText(data.portfolio.name)
        self.subheading.setText(f"Opening {Path(path).name}… the figures are shown; editing follows in a moment.")
        self.tabs.setCurrentWidget(self.portfolio_view)
        self.portfolio_view.set_result(data, result, True)
        self._stale = set(range(self.tabs.count())) - {self.tabs.indexOf(self.portfolio_view)}
        self._previewing = True

    def _open_done(self, opening: int, path: str, store, data, result) -> None:
        if opening != self._opening:
            store.close()  # a newer opening was asked for
            return
        self.statusBar().clearMessage()
        self._adopt(path, store, data, result)

    def _open_refused(self, opening: int, message: str) -> None:
        if opening != self._opening:
            return
        self.statusBar().clearMessage()
        if self._previewing:  # its figures were shown already: the window shows no file after all
            self._previewing = False
            self._show_empty()
        QMessageBox.critical(self, "pmodesk", f"The file was not opened.\n\n{message}")

    def _adopt(self, path: str | Path, store, data, result=None) -> None:
        """Show ``store`` (opened and read) as the window's portfolio, in place of the current one."""
        from pmodesk.store.location import is_server

        self._previewing = False
        self.close_file()
        self.store, self.data = store, data
        from pmodesk.ui.server_changes import watch

        self._server_changes = watch(self, store)  # a server portfolio: hear other people's changes
        self.undo_stack.clear()
        if not is_server(path):
            self._remember(Path(path))
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
            Store.create(path, Portfolio(name=name.strip(), currency="GBP"), replace_existing=True).close()
        except StoreError as error:
            QMessageBox.critical(self, "pmodesk", f"The portfolio was not created.\n\n{error}")
            return
        self.open_file(path)

    def save_copy(self) -> None:
        if self.store is None:
            return
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
        for action in (self.action_save_copy, self.action_close, self.action_export, self.action_boardpack,
                       self.action_import_measurements, self.action_templates):
            action.setEnabled(False)
        self.data, self.result = None, None
        self._stale = set(range(self.tabs.count()))
        self._refresh_current_tab()

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
        for action in (self.action_save_copy, self.action_close, self.action_export, self.action_boardpack):
            action.setEnabled(True)
        for action in (self.action_import_measurements, self.action_templates):
            action.setEnabled(not self.store.read_only)
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
        for key, header in self._column_headers.items():
            if header.count():
                self.settings.setValue(self._view_key(key), header.saveState())

    # ----------------------------------------------------------------------------- figures
    def current_as_of(self) -> date:
        value = self.as_of.date()
        return date(value.year(), value.month(), value.day())

    def recompute(self, reload: bool = True) -> None:
        """Reload the file (after an edit) and recompute every figure at the as-of date.

        Small portfolios are recomputed at once; large ones in a background thread, so the window
        stays responsive, and only the newest answer is shown.
        """
        if self.store is None:
            return
        self._generation += 1
        as_of = self.current_as_of()
        if self.data is not None and len(self.data.measurements) > BACKGROUND_FROM_MEASUREMENTS:
            generation, store, data = self._generation, self.store, self.data
            self.statusBar().showMessage("Recomputing…")

            def work() -> None:
                try:
                    fresh = store.load() if reload else data
                    answer = (self._finished, (generation, fresh, compute(fresh, as_of)))
                except Exception as error:  # reported in the window, never lost in a thread
                    answer = (self._failed, (generation, str(error)))
                try:
                    answer[0].emit(*answer[1])
                except RuntimeError:
                    pass  # the window was closed while the figures were being computed

            threading.Thread(target=work, daemon=True).start()
            return
        if reload:
            self.data = self.store.load()
        self._show_result(self._generation, self.data, compute(self.data, as_of))

    def _show_result(self, generation: int, data, result) -> None:
        if generation != self._generation or self.store is None:
            return  # a newer recomputation is on its way
        self.data, self.result = data, result
        self.statusBar().clearMessage()
        self._stale = set(range(self.tabs.count()))
        self._refresh_current_tab()

    def _refresh_current_tab(self) -> None:
        """Only the visible tab is brought up to date; the others when they are shown."""
        index = self.tabs.currentIndex()
        if index not in self._stale:
            return
        self._stale.discard(index)
        read_only = self.store.read_only if self.store else True
        view = self.tabs.widget(index)
        view.set_result(self.data, self.result, read_only)
        if self.store is not None:  # the widths chosen for this file win over the view's automatic fit
            for key in [k for k in self._pending_columns if view.isAncestorOf(self._column_headers[k])]:
                state = self.settings.value(self._view_key(key))
                if state is not None:
                    self._column_headers[key].restoreState(state)
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
        self.undo_stack.push(StoreCommand(self.store, command, self.recompute, self.explain))

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
                self.recompute(reload=False)
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
        path, _ = QFileDialog.getSaveFileName(self, "Export portfolio", str(self.store.path.with_suffix(".xlsx")),
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

    def show_help(self) -> None:
        from pmodesk.ui.help import HelpDialog

        HelpDialog(self).exec()

    def show_about(self) -> None:
        from pmodesk.ui.help import about_text

        QMessageBox.about(self, "About pmodesk", about_text(self._where() or None))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.close_file()
        super().closeEvent(event)


def redo_shortcuts() -> list[QKeySequence]:
    """Ctrl+Shift+Z and Ctrl+Y (and the platform's own), each once: a key sequence registered twice on
    one action is ambiguous to Qt, which then does nothing at all."""
    shortcuts: list[QKeySequence] = []
    for sequence in [*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z"),
                     QKeySequence("Ctrl+Y")]:
        if sequence.toString() and all(sequence != s for s in shortcuts):
            shortcuts.append(sequence)
    return shortcuts
