"""File ▸ Import measurements: a ``benefit,date,value,source,note`` CSV read by the same reader as
``pmodesk measurements import``, previewed row by row, then added as one undoable edit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QTableView, QVBoxLayout

from pmodesk.domain.model import PortfolioData
from pmodesk.ui import formatting as fmt
from pmodesk.ui.models import FIT_ROWS, Field, RowsModel


class MeasurementsImportDialog(QDialog):
    def __init__(self, path: Path, data: PortfolioData, parent=None):
        super().__init__(parent)
        from pmodesk.commands import record_measurements
        from pmodesk.interchange.document import InvalidInput
        from pmodesk.interchange.measurements_csv import read_measurements

        self.setWindowTitle(f"Import measurements — {path.name}")
        self.resize(820, 520)
        self.command = None
        layout = QVBoxLayout(self)
        codes = {b.id: b for b in data.benefits}
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        try:
            found = read_measurements(path, data)
        except InvalidInput as error:
            layout.addWidget(QLabel(f"Nothing can be imported: {len(error.errors)} problem(s) in {path.name}. "
                                    "Correct them in the file and import it again."))
            problems = QPlainTextEdit("\n".join(error.errors))
            problems.setReadOnly(True)
            problems.setAccessibleName("Problems")
            layout.addWidget(problems, 1)
            self.problems = list(error.errors)
        except OSError as error:
            layout.addWidget(QLabel(f"{path.name} could not be read: {error.strerror or error}."))
            self.problems = [str(error)]
        else:
            self.problems = []
            count = len(found.added)
            summary = (f"{count} new measurement{'s' if count != 1 else ''} to add; {found.skipped} already "
                       "recorded (skipped). They are added as one edit, undone in one step.")
            layout.addWidget(QLabel(summary))
            model = RowsModel([
                Field("Benefit", lambda m: f"{codes[m.benefit_id].code} — {codes[m.benefit_id].title}"),
                Field("Date", lambda m: m.date.isoformat()),
                Field("Value", lambda m: fmt.measure(m.value, codes[m.benefit_id].unit), align_right=True),
                Field("Source", lambda m: m.source or "—"),
                Field("Note", lambda m: m.note or "—"),
            ], self)
            model.set_rows(sorted(found.added, key=lambda m: (codes[m.benefit_id].code, m.date)))
            self.preview = QTableView()
            self.preview.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
            self.preview.setModel(model)
            self.preview.verticalHeader().hide()
            self.preview.setAccessibleName("Measurements to add")
            self.preview.resizeColumnsToContents()
            layout.addWidget(self.preview, 1)
            for warning in found.warnings[:10]:
                layout.addWidget(QLabel(f"Note: {warning}"))
            if count:
                self.command = record_measurements(found.added, label=f"Import {count} measurements from {path.name}")
                buttons.addButton(f"Add {count} measurement{'s' if count != 1 else ''}",
                                  QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
