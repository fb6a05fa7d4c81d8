"""File ▸ Import: a wizard over the same reading and mapping as ``pmodesk import`` (DESIGN.md section 12).

Pick a file (a portfolio workbook or JSON, or a measurement CSV), say how to read it, map a
workbook's columns to fields (pre-filled by name), and see every problem and what would be created
or updated in a preview before anything is written. The mapping can be saved for next month's
register and used again here or with ``pmodesk import --map``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup, QComboBox, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
    QMessageBox, QPushButton, QRadioButton, QSpinBox, QTableView, QVBoxLayout, QWidget, QWizard, QWizardPage,
)

from pmodesk.interchange import fields
from pmodesk.interchange.document import InvalidInput
from pmodesk.interchange.mapping import ListMap, ReadOptions, load_map
from pmodesk.interchange.rows import _LINE, safe_text
from pmodesk.store.errors import StoreError
from pmodesk.store.tables import DECIMAL, MONEY
from pmodesk.ui.models import Field, RowsModel

BY_NAME = "(matched by name)"
IGNORED = "(not imported)"
NOT_READ = "(none)"
PREVIEW_ROWS = 8
VALUE_ROWS = 500  # rows read to find the values a sheet uses for each enumeration
AS_TYPED = "(as typed)"
NEW, UPDATE, MEASUREMENTS = "new", "update", "measurements"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return safe_text(str(value))


def _table(titles: list[str]) -> tuple[QTableView, RowsModel]:
    """A read-only table over a list of tuples: column ``n`` shows item ``n`` of each row."""
    view = QTableView()
    model = RowsModel(_columns(titles), view)
    view.setModel(model)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    return view, model


def _columns(titles: list[str]) -> list[Field]:
    return [Field(title, lambda row, n=n: row[n] if n < len(row) else "",
                  tooltip=lambda row, n=n: row[n] if n < len(row) else None) for n, title in enumerate(titles)]


class SourcePage(QWizardPage):
    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self.setTitle("What to import")
        self.setSubTitle("A portfolio workbook (.xlsx) or JSON file, or a measurement CSV "
                         "(benefit, date, value, source, note).")
        self.owner = wizard
        form = QFormLayout(self)
        row = QHBoxLayout()
        self.source = QLineEdit()
        self.source.textChanged.connect(self._source_changed)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.source, 1)
        row.addWidget(browse)
        form.addRow("File:", row)
        self.date_order = QComboBox()
        self.date_order.addItem("YYYY-MM-DD only", None)
        self.date_order.addItem("day/month/year (31/03/2027)", "dmy")
        self.date_order.addItem("month/day/year (03/31/2027)", "mdy")
        form.addRow("Text dates:", self.date_order)
        self.into_new = QRadioButton("A new portfolio file:")
        self.into_open = QRadioButton("Update the open portfolio by code (nothing is deleted)")
        group = QButtonGroup(self)
        group.addButton(self.into_new)
        group.addButton(self.into_open)
        self.into_new.setChecked(True)
        self.into_open.setEnabled(wizard.store is not None)
        self.target = QLineEdit()
        self.target.textChanged.connect(self.completeChanged)
        self.into_new.toggled.connect(self._mode_changed)
        target_row = QHBoxLayout()
        target_row.addWidget(self.into_new)
        target_row.addWidget(self.target, 1)
        form.addRow("Into:", target_row)
        form.addRow("", self.into_open)
        mapping_row = QHBoxLayout()
        self.mapping_label = QLabel("No saved mapping loaded.")
        load = QPushButton("Load mapping…")
        load.clicked.connect(self._load_mapping)
        mapping_row.addWidget(self.mapping_label, 1)
        mapping_row.addWidget(load)
        form.addRow("Mapping:", mapping_row)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import", self.owner.folder,
                                              "Registers (*.xlsx *.json *.csv)")
        if path:
            self.source.setText(path)

    def _load_mapping(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load mapping", self.owner.folder, "Mappings (*.json)")
        if path:
            self.owner.load_mapping(path)

    def _source_changed(self, text: str) -> None:
        path = Path(text)
        if path.suffix.lower() in (".xlsx", ".json"):
            self.target.setText(str(path.with_suffix(".pmodesk")))
        self._mode_changed()
        self.completeChanged.emit()

    def _mode_changed(self) -> None:
        csv = self.source_path().suffix.lower() == ".csv"
        self.into_new.setEnabled(not csv)
        self.target.setEnabled(self.into_new.isChecked() and not csv)
        if csv and self.owner.store is not None:
            self.into_open.setChecked(True)

    def source_path(self) -> Path:
        return Path(self.source.text().strip())

    def mode(self) -> str:
        if self.source_path().suffix.lower() == ".csv":
            return MEASUREMENTS
        return UPDATE if self.into_open.isChecked() else NEW

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        path = self.source_path()
        if not path.is_file() or path.suffix.lower() not in (".xlsx", ".json", ".csv"):
            return False
        if self.mode() == NEW:
            return bool(self.target.text().strip())
        return self.owner.store is not None

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.mode() == NEW and Path(self.target.text().strip()).exists():
            QMessageBox.warning(self, "pmodesk", f"{Path(self.target.text()).name} already exists; choose another "
                                                 "name, or update the open portfolio instead.")
            return False
        self.owner.options.date_order = self.date_order.currentData()
        self.owner.options.update = self.mode() == UPDATE
        return True

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return ImportWizard.COLUMNS if self.source_path().suffix.lower() == ".xlsx" else ImportWizard.PREVIEW


class ColumnsPage(QWizardPage):
    """Per list: the sheet, the header row and which column feeds which field."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self.setTitle("Columns")
        self.setSubTitle("For each list, pick its sheet and header row, then the field each column feeds. "
                         "Columns whose header is a field name are matched already.")
        self.owner = wizard
        self.sheets: dict[str, list[list[Any]]] = {}
        self.current: str | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.list_name = QComboBox()
        self.list_name.addItems(list(fields.SHEETS))
        self.sheet = QComboBox()
        self.header_row = QSpinBox()
        self.header_row.setRange(0, 1000)
        self.header_row.setSpecialValueText("found by name")
        for label, widget in (("List:", self.list_name), ("Sheet:", self.sheet), ("Header row:", self.header_row)):
            top.addWidget(QLabel(label))
            top.addWidget(widget)
        top.addStretch(1)
        layout.addLayout(top)
        self.sample, self.sample_rows = _table([])
        self.sample.setMaximumHeight(150)
        layout.addWidget(QLabel("The first rows under the header:"))
        layout.addWidget(self.sample)
        # One line per column of the sheet: its header, and a field picker and a money scale beside it.
        self.columns, self.column_lines = _table(["Column in the sheet", "Field", "Money scale (×)"])
        self.pickers: list[tuple[str, QComboBox, QLineEdit]] = []
        self.columns.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.columns.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.columns.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.columns.setMinimumHeight(200)
        layout.addWidget(self.columns, 3)
        layout.addWidget(QLabel("Values the sheet uses that are not pmodesk's words (pick what each means):"))
        # One line per value the sheet uses that is not one of its field's words, and what it means.
        self.values, self.value_lines = _table(["Field", "In the sheet", "Means"])
        self.meanings: list[tuple[str, str, QComboBox]] = []
        self.values.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.values.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.values.setMaximumHeight(110)
        layout.addWidget(self.values)
        self.list_name.currentTextChanged.connect(self._switch_list)
        self.sheet.currentTextChanged.connect(self._sheet_changed)
        self.header_row.valueChanged.connect(self._header_changed)
        self._loading = False

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        from pmodesk.interchange.xlsx_format import sheet_preview

        try:
            self.sheets = sheet_preview(self.owner.source, rows=VALUE_ROWS)
        except InvalidInput as error:
            self.sheets = {}
            QMessageBox.warning(self, "pmodesk", "\n".join(error.errors))
        self.current = None
        self._switch_list(self.list_name.currentText())

    # the matching the reader itself uses: which sheet a list would be read from
    def _default_sheet(self, list_name: str) -> str | None:
        from pmodesk.interchange.xlsx_format import _match_sheets

        found, _ = _match_sheets(list(self.sheets), self.owner.options)
        return found.get(list_name)

    def _switch_list(self, list_name: str) -> None:
        if self.current is not None:
            self.store_current()
        self.current = list_name
        mapped = self.owner.options.lists.get(list_name, ListMap())
        self._loading = True
        self.sheet.clear()
        self.sheet.addItem(NOT_READ)
        self.sheet.addItems(list(self.sheets))
        chosen = self._default_sheet(list_name)
        self.sheet.setCurrentText(chosen if chosen else NOT_READ)
        self.header_row.setValue(mapped.header_row or 0)
        self._loading = False
        self._refresh()

    def _sheet_changed(self, _text: str) -> None:
        if not self._loading:
            self.store_current()
            self._refresh()

    def _header_changed(self, _value: int) -> None:
        if not self._loading:
            self.store_current(columns_too=False)
            self._refresh()

    def _rows(self) -> list[list[Any]]:
        return self.sheets.get(self.sheet.currentText(), [])

    def _refresh(self) -> None:
        from pmodesk.interchange.xlsx_format import column_matcher, find_header

        rows = self._rows()
        mapped = self.owner.options.lists.get(self.current, ListMap())
        header_at = find_header(rows, self.current, mapped, self.owner.options.update) if rows else None
        headers = [h for h in (rows[header_at] if header_at is not None else []) if h is not None]
        body = rows[header_at + 1: header_at + 1 + PREVIEW_ROWS] if header_at is not None else []
        width = max([len(rows[header_at]) if header_at is not None else 0] + [len(r) for r in body])
        titles = [_cell_text(h) for h in (rows[header_at] if header_at is not None else [])]
        self.sample_rows.set_rows([tuple(_cell_text(v) for v in values) for values in body],
                                  _columns(titles + [""] * (width - len(titles))))
        matcher = column_matcher(self.current, mapped)
        for _, choice, scale in self.pickers:  # the previous sheet's pickers go at once, not later
            choice.deleteLater()
            scale.deleteLater()
        self.pickers = []
        texts = [_cell_text(header).strip() for header in headers]
        self.column_lines.set_rows([(text,) for text in texts])
        for r, (header, text) in enumerate(zip(headers, texts)):
            choice = QComboBox()
            choice.addItems([IGNORED, *fields.SHEETS[self.current]])
            target = matcher(header)
            choice.setCurrentText(target if target else IGNORED)
            self.columns.setIndexWidget(self.column_lines.index(r, 1), choice)
            target_field = fields.field(self.current, target) if target else None
            factor = mapped.scale.get(target) if target else None
            scale = QLineEdit("" if factor is None else format(factor, "f"))
            scale.setPlaceholderText("1")
            scale.setEnabled(target_field is not None and target_field.kind in (MONEY, DECIMAL))
            choice.currentTextChanged.connect(lambda name, edit=scale: edit.setEnabled(
                (fields.field(self.current, name) or _NONE).kind in (MONEY, DECIMAL)))
            choice.currentTextChanged.connect(lambda _name: self._refresh_values())
            self.columns.setIndexWidget(self.column_lines.index(r, 2), scale)
            self.pickers.append((text, choice, scale))
        self._header_at = header_at
        self._refresh_values()

    def _refresh_values(self) -> None:
        """One line per value a column holds that is not an allowed word of its field."""
        from pmodesk.interchange.rows import normal_value

        rows = self._rows()
        header_at = getattr(self, "_header_at", None)
        mapped = self.owner.options.lists.get(self.current, ListMap())
        for _, _, means in self.meanings:
            means.deleteLater()
        self.meanings = []
        lines: list[tuple[str, str, tuple[str, ...]]] = []
        if header_at is not None:
            header = rows[header_at]
            for source, choice, _ in self.pickers:
                target = choice.currentText()
                spec = fields.field(self.current, target)
                if spec is None or not spec.choices:
                    continue
                index = next((i for i, h in enumerate(header) if _cell_text(h).strip() == source), None)
                if index is None:
                    continue
                allowed = {normal_value(c) for c in spec.choices}
                seen: list[str] = []
                for values in rows[header_at + 1:]:
                    value = values[index] if index < len(values) else None
                    text = _cell_text(value).strip()
                    if text and normal_value(text) not in allowed and text.lower() not in ("n/a", "tbc", "tbd", "-",
                                                                                          "—") and text not in seen:
                        seen.append(text)
                lines.extend((target, text, spec.choices) for text in seen)
        self.value_lines.set_rows([(target, text) for target, text, _ in lines])
        for r, (target, text, choices) in enumerate(lines):
            means = QComboBox()
            means.addItems([AS_TYPED, *choices])
            known = {normal_value(k): v for k, v in mapped.values.get(target, {}).items()}
            means.setCurrentText(known.get(normal_value(text), AS_TYPED))
            self.values.setIndexWidget(self.value_lines.index(r, 2), means)
            self.meanings.append((target, text, means))

    def set_value(self, field_name: str, text: str, meaning: str) -> None:
        """Translate one value the sheet uses (as a person picks it from the list)."""
        for target, seen, means in self.meanings:
            if target == field_name and seen == text:
                means.setCurrentText(meaning)
                return
        raise KeyError((field_name, text))

    def set_field(self, header: str, field_name: str) -> None:
        """Map a column (as a person picks it from the list)."""
        self._picker(header)[0].setCurrentText(field_name)

    def set_scale(self, header: str, factor: str) -> None:
        self._picker(header)[1].setText(factor)

    def _picker(self, header: str) -> tuple[QComboBox, QLineEdit]:
        for text, choice, scale in self.pickers:
            if text == header:
                return choice, scale
        raise KeyError(header)

    def store_current(self, columns_too: bool = True) -> None:
        """Write what the page shows for the current list into the wizard's mapping."""
        if self.current is None:
            return
        options = self.owner.options
        mapped = options.lists.get(self.current, ListMap())
        sheet = self.sheet.currentText()
        by_name, _ = _match_sheets_by_name(list(self.sheets))
        mapped.sheet = None if sheet in (NOT_READ, by_name.get(self.current)) else sheet
        mapped.header_row = self.header_row.value() or None
        if columns_too:
            known = {fields.normal(f) for f in fields.SHEETS[self.current]}
            columns: dict[str, str | None] = {}
            scale: dict[str, Decimal] = {}
            for header, choice, scale_edit in self.pickers:
                target = choice.currentText()
                if target == IGNORED:
                    if fields.normal(header) in known:
                        columns[header] = None
                elif fields.normal(header) != fields.normal(target):
                    columns[header] = target
                factor = scale_edit.text().strip()
                if factor and target != IGNORED:
                    try:
                        scale[target] = Decimal(factor.replace(",", ""))
                    except InvalidOperation:
                        pass
            mapped.columns = columns
            mapped.scale = scale
            translations = {name: dict(table) for name, table in mapped.values.items()}
            for target, text, means in self.meanings:
                meaning = means.currentText()
                table = translations.setdefault(target, {})
                if meaning == AS_TYPED:
                    table.pop(text, None)
                else:
                    table[text] = meaning
            mapped.values = {name: table for name, table in translations.items() if table}
        if mapped.sheet or mapped.header_row or mapped.columns or mapped.scale or mapped.values:
            options.lists[self.current] = mapped
        else:
            options.lists.pop(self.current, None)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        self.store_current()
        return True


def _match_sheets_by_name(titles: list[str]):
    from pmodesk.interchange.xlsx_format import _match_sheets

    return _match_sheets(titles, ReadOptions())


class _NoField:
    kind = None


_NONE = _NoField()


PROBLEM_COLOURS = {"error": QColor("#f6d5da"), "warning": QColor("#f7ecc4")}  # pale red and amber, read in grey too


def _problem_columns() -> list[Field]:
    columns = _columns(["", "Sheet or list", "Row", "Field", "What"])
    kind = columns[0]
    columns[0] = Field(kind.title, kind.text, tooltip=kind.tooltip, background=lambda row: PROBLEM_COLOURS.get(row[0]))
    return columns


class PreviewPage(QWizardPage):
    """Everything read and checked, nothing written: what would change, and every problem."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__()
        self.setTitle("Preview")
        self.owner = wizard
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.problems, self.problem_lines = _table([])
        self.problem_lines.set_rows([], _problem_columns())
        self.problems.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        save = QPushButton("Save mapping…")
        save.clicked.connect(self._save_mapping)
        buttons.addWidget(save)
        layout.addLayout(buttons)
        self.errors: list[str] = []

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.owner.check()
        self.errors = self.owner.errors
        lines = [("error", e) for e in self.owner.errors] + [("warning", w) for w in self.owner.warnings]
        rows = []
        for kind, line in lines:
            match = _LINE.match(line)
            parts = [match["where"], match["row"], match["field"], match["message"]] if match else ["", "", "", line]
            rows.append((kind, *parts))
        self.problem_lines.set_rows(rows)
        self.problems.resizeColumnsToContents()
        self.problems.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.problems.resizeRowsToContents()
        self.summary.setText(self.owner.summary)
        self.setSubTitle("Nothing has been written yet. " + (
            f"Fix the {len(self.errors)} problem{'s' if len(self.errors) != 1 else ''} below in the file (or the "
            "columns) before importing." if self.errors else "Finish imports exactly this."))
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.owner.ready

    def _save_mapping(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save mapping", str(self.owner.source.with_suffix(".map.json")),
                                              "Mappings (*.json)")
        if path:
            self.owner.save_mapping(path)


class ImportWizard(QWizard):
    SOURCE, COLUMNS, PREVIEW = range(3)

    def __init__(self, parent: QWidget | None = None, store=None, folder: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.store = store if store is not None and not store.read_only else None
        self.folder = folder
        self.options = ReadOptions()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.summary = ""
        self.ready = False
        self.plan = None
        self.measurements = None
        self.created_path: Path | None = None
        self.changed_store = False
        self.source_page = SourcePage(self)
        self.columns_page = ColumnsPage(self)
        self.preview_page = PreviewPage(self)
        self.setPage(self.SOURCE, self.source_page)
        self.setPage(self.COLUMNS, self.columns_page)
        self.setPage(self.PREVIEW, self.preview_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "Import")
        self.resize(960, 720)

    @property
    def source(self) -> Path:
        return self.source_page.source_path()

    @property
    def mode(self) -> str:
        return self.source_page.mode()

    def load_mapping(self, path: str | Path) -> None:
        try:
            options = load_map(path)
        except InvalidInput as error:
            QMessageBox.warning(self, "pmodesk", "The mapping was not loaded:\n\n" + "\n".join(error.errors))
            return
        options.update = self.options.update
        self.options = options
        if options.date_order:
            self.source_page.date_order.setCurrentIndex(self.source_page.date_order.findData(options.date_order))
        self.source_page.mapping_label.setText(f"Using {Path(path).name}.")

    def save_mapping(self, path: str | Path) -> None:
        Path(path).write_text(self.options.to_json(), encoding="utf-8")

    # ------------------------------------------------------------------------ read, check, write
    def check(self) -> None:
        """Read and check everything, write nothing; fill errors, warnings, summary and the plan."""
        from pmodesk.interchange.files import read_portfolio, read_raw
        from pmodesk.interchange.update import plan_create, plan_update

        self.errors, self.warnings, self.plan, self.measurements = [], [], None, None
        try:
            if self.mode == MEASUREMENTS:
                from pmodesk.interchange.measurements_csv import read_measurements

                found = read_measurements(self.source, self.store.load(), date_order=self.options.date_order)
                self.measurements = found
                self.warnings = list(found.warnings)
                self.summary = (f"Would add {len(found.added)} measurement{'s' if len(found.added) != 1 else ''} "
                                f"to {self.store.path.name}, skip {found.skipped} already present.")
            elif self.mode == UPDATE:
                self.plan = plan_update(self.store.load(), read_raw(self.source, self.options))
                self.warnings = list(self.plan.warnings)
                changes = self.plan.change_lines()
                self.summary = (f"Would add: {_counts(self.plan.created())}. Would update: "
                                f"{_counts(self.plan.updated())} ({len(changes)} fields changed) in "
                                f"{self.store.path.name}.")
            else:
                self.plan = plan_create(*read_portfolio(self.source, self.options))
                self.warnings = list(self.plan.warnings)
                self.summary = f"Would create {Path(self.source_page.target.text()).name} with: " \
                               f"{_counts(self.plan.created())}."
        except InvalidInput as error:
            self.errors, self.warnings = list(error.errors), list(error.warnings)
            self.summary = f"The import would fail: {len(self.errors)} problem{'s' if len(self.errors) != 1 else ''}."
        except StoreError as error:
            self.errors = [str(error)]
            self.summary = "The portfolio could not be read."
        self.ready = not self.errors

    def accept(self) -> None:
        if not self.ready:
            return
        try:
            if self.mode == MEASUREMENTS:
                with self.store.edit() as edit:
                    edit.insert_many(list(self.measurements.added))
                self.changed_store = True
            elif self.mode == UPDATE:
                from pmodesk.interchange.update import apply_plan

                apply_plan(self.store, self.plan)
                self.changed_store = True
            else:
                from pmodesk.interchange.files import import_portfolio

                target = Path(self.source_page.target.text().strip())
                if target.suffix.lower() != ".pmodesk":
                    target = target.with_name(target.name + ".pmodesk")
                import_portfolio(self.source, target, options=self.options)
                self.created_path = target
        except (StoreError, InvalidInput) as error:
            text = "\n".join(error.errors) if isinstance(error, InvalidInput) else str(error)
            QMessageBox.critical(self, "pmodesk", f"Nothing was imported.\n\n{text}")
            return
        super().accept()


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()) or "nothing"


def run_import_wizard(window) -> None:
    """File ▸ Import: the wizard, then open what it created or show what it changed."""
    wizard = ImportWizard(window, store=window.store, folder=window._last_folder())
    if wizard.exec() != QDialog.DialogCode.Accepted:
        return
    if wizard.created_path is not None:
        window.open_file(wizard.created_path)
    elif wizard.changed_store:
        window.undo_stack.clear()  # the import is not undoable edit by edit; its changes are audited
        window.recompute()
        window.statusBar().showMessage(wizard.summary.replace("Would ", "Did "), 8000)


__all__ = ["ImportWizard", "run_import_wizard"]
