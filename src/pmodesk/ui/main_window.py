"""The main window: files, the read-only banner, and the portfolio's initiatives.

A first cut of the desktop application (issue 7 builds the full views); it already follows the
rules: the store is the only way into the file, a refused file is explained in a dialog and left
untouched, a file locked by someone else opens read-only with a banner saying who holds it.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
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
from pmodesk.engine.rules import decision_from_trigger
from pmodesk.store.errors import StoreError

if TYPE_CHECKING:
    from pmodesk.store import Store
from pmodesk.ui.commands import StoreCommand
from pmodesk.ui.alignment_view import AlignmentView, TradeOffView
from pmodesk.ui.initiative_view import InitiativeView
from pmodesk.ui.register_view import RegisterView
from pmodesk.ui.scenario_view import ScenarioView
from pmodesk.ui.portfolio_view import PortfolioView

FILE_FILTER = "pmodesk portfolios (*.pmodesk);;All files (*)"
MAX_RECENT = 8


BACKGROUND_FROM_MEASUREMENTS = 20_000


class MainWindow(QMainWindow):
    _finished = Signal(int, object, object)
    _failed = Signal(int, str)

    def __init__(self, settings: QSettings | None = None):
        super().__init__()
        self._generation = 0
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
        self.portfolio_view = PortfolioView()
        self.initiative_view = InitiativeView()
        self.tabs.addTab(self.portfolio_view, "&Portfolio")
        self.tabs.addTab(self.initiative_view, "&Initiative")
        self.alignment_view = AlignmentView()
        self.trade_off_view = TradeOffView()
        self.tabs.addTab(self.alignment_view, "&Objectives")
        self.tabs.addTab(self.trade_off_view, "&Trade-off")
        self.register_view = RegisterView()
        self.register_view.command_requested.connect(self.push)
        self.tabs.addTab(self.register_view, "&Registers")
        self.scenario_view = ScenarioView()
        self.scenario_view.action_requested.connect(self.scenario_action)
        self.tabs.addTab(self.scenario_view, "&Scenarios")
        self._stale: set[int] = set()
        self.tabs.currentChanged.connect(lambda _: self._refresh_current_tab())
        self.portfolio_view.initiative_chosen.connect(self.show_initiative)
        self.initiative_view.benefits.edit_requested.connect(self.edit_benefit)
        self.initiative_view.benefits.invalid_edit.connect(self.explain)
        self.initiative_view.decision_requested.connect(self.record_decision)
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
                                "columns/benefits": self.initiative_view.benefit_table.horizontalHeader()}
        self._restored_columns = False

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
        self.action_export = self._action(file_menu, "&Export…", None, self.export_file)
        self.action_boardpack = self._action(file_menu, "&Board Pack…", QKeySequence("Ctrl+P"), self.export_board_pack)
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        edit_menu = self.menuBar().addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.StandardKey.Redo])
        edit_menu.addAction(undo)
        edit_menu.addAction(redo)
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
        """Open ``path``; on refusal show why in a dialog and keep the current file open."""
        from pmodesk.store import Store

        try:
            store = Store.open(path)
            data = store.load()
        except StoreError as error:
            QMessageBox.critical(self, "pmodesk", f"The file was not opened.\n\n{error}")
            return False
        self.close_file()
        self.store, self.data = store, data
        self.undo_stack.clear()
        self._remember(Path(path))
        as_of = data.portfolio.default_as_of(date.today())
        self.as_of.blockSignals(True)
        self.as_of.setDate(QDate(as_of.year, as_of.month, as_of.day))
        self.as_of.blockSignals(False)
        self._show_portfolio()
        return True

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
        if self.store is not None:
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
        for action in (self.action_save_copy, self.action_close, self.action_export, self.action_boardpack):
            action.setEnabled(False)
        self.data, self.result = None, None
        self._stale = set(range(self.tabs.count()))
        self._refresh_current_tab()

    def _show_portfolio(self) -> None:
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
        self.recompute(reload=False)
        if not self._restored_columns:  # column widths the user chose last time win over the automatic fit
            for key, header in self._column_headers.items():
                state = self.settings.value(key)
                if state is not None:
                    header.restoreState(state)
            self._restored_columns = True

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
                    self._finished.emit(generation, fresh, compute(fresh, as_of))
                except Exception as error:  # reported in the window, never lost in a thread
                    self._failed.emit(generation, str(error))

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
        view = self.tabs.widget(index)
        if view is self.initiative_view:
            view.set_result(self.data, self.result, self.store.read_only if self.store else True)
        elif view is self.register_view:
            view.set_data(self.data, self.store.read_only if self.store else True)
        else:
            view.set_result(self.data, self.result)

    def show_initiative(self, initiative_id: int) -> None:
        self.tabs.setCurrentWidget(self.initiative_view)
        self.initiative_view.show_initiative(initiative_id)

    # ----------------------------------------------------------------------------- edits
    def push(self, command) -> None:
        if self.store is None:
            return
        if self.store.read_only:
            self.explain(self.store.read_only_message())
            return
        self.undo_stack.push(StoreCommand(self.store, command, self.recompute, self.explain))

    def edit_benefit(self, benefit, field: str, value) -> None:
        from pmodesk.commands import UpdateField

        label = f"Change {benefit.code} {field.replace('_', ' ')}"
        self.push(UpdateField("benefit", benefit.id, field, getattr(benefit, field), value, label))

    def record_decision(self, rule_result) -> None:
        from pmodesk.commands import record_decision

        decision = decision_from_trigger(rule_result, self.current_as_of())
        self.push(record_decision(decision))
        self.statusBar().showMessage(f"Recorded a decision for rule {rule_result.rule.code} of "
                                     f"{rule_result.initiative.code}.", 5000)

    def scenario_action(self, action: str) -> None:
        """New, Copy, Rename, Delete, Override or Optimise, each one undoable edit."""
        from pmodesk.commands import (
            DeleteScenario, SaveScenario, SetOverride, UpdateField, copy_scenario, optimised_scenario,
        )
        from pmodesk.ui.scenario_dialogs import OptimiseDialog, OverrideDialog

        if self.data is None:
            return
        scenarios = {s.id: s for s in self.data.scenarios}
        current = scenarios.get(self.scenario_view.current_id())
        names = {s.name for s in self.data.scenarios}

        def ask_name(title: str, start: str = "") -> str | None:
            name, ok = QInputDialog.getText(self, title, "Scenario name:", text=start)
            name = name.strip()
            if not ok or not name:
                return None
            if name in names:
                self.explain(f"There is already a scenario called {name!r}.")
                return None
            return name

        if action == "New":
            name = ask_name("New scenario")
            if name:
                self.push(SaveScenario(name))
        elif action == "Copy" and current:
            name = ask_name("Copy scenario", f"{current.name} (copy)")
            if name:
                self.push(copy_scenario(self.data, current.id, name))
        elif action == "Rename" and current:
            name = ask_name("Rename scenario", current.name)
            if name:
                self.push(UpdateField("scenario", current.id, "name", current.name, name, f"Rename scenario {name}"))
        elif action == "Delete" and current:
            overrides = tuple(o for o in self.data.scenario_overrides if o.scenario_id == current.id)
            self.push(DeleteScenario(current, overrides))
        elif action == "Override" and current:
            existing = {o.initiative_id: o for o in self.data.scenario_overrides if o.scenario_id == current.id}
            dialog = OverrideDialog(self.data.initiatives, self.data.portfolio.currency, existing, current.id, self)
            if dialog.exec() and dialog.result_override is not None:
                new = dialog.result_override
                empty = not (new.stop_from or new.pause_from or new.budget_change)
                self.push(SetOverride(existing.get(new.initiative_id), None if empty else new))
        elif action == "Optimise":
            dialog = OptimiseDialog(self.result, self.data.portfolio.risk_weight, self)
            if dialog.exec() and dialog.choice is not None:
                name = ask_name("Save the answer as a scenario", "Optimised")
                if name:
                    self.push(optimised_scenario(self.result, dialog.choice, name))

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

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/tab", self.tabs.currentIndex())
        for key, header in self._column_headers.items():
            self.settings.setValue(key, header.saveState())
        self.close_file()
        super().closeEvent(event)
