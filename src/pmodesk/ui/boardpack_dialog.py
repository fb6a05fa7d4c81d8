"""Board pack export: dates, paper, then the build in a worker thread with progress and Cancel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QMessageBox, QProgressBar,
    QPushButton, QVBoxLayout,
)

from pmodesk.boardpack.document import Cancelled, build_board_pack, default_options
from pmodesk.domain.model import PortfolioData


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())



PDF_FILTER = "PDF (*.pdf)"
PPTX_FILTER = "PowerPoint presentation (*.pptx)"


def with_pack_suffix(path: str, chosen_filter: str) -> str:
    """The chosen file with the extension of its format: a typed .pdf or .pptx wins, else the filter's."""
    if path.lower().endswith((".pdf", ".pptx")):
        return path
    return path + (".pptx" if chosen_filter == PPTX_FILTER else ".pdf")

class PackWorker(QObject):
    progress = Signal(float, str)
    finished = Signal(int)
    failed = Signal(str)
    cancelled_signal = Signal()

    def __init__(self, data, destination, options):
        super().__init__()
        self.data, self.destination, self.options = data, destination, options
        self.cancel_requested = False

    @Slot()
    def run(self) -> None:
        try:
            pages = build_board_pack(self.data, self.destination, self.options,
                                     progress=lambda f, m: self.progress.emit(f, m),
                                     cancelled=lambda: self.cancel_requested)
        except Cancelled:
            self.cancelled_signal.emit()
        except Exception as error:  # shown to the user in one sentence; nothing is left at the destination
            self.failed.emit(f"The board pack was not written: {error}")
        else:
            self.finished.emit(pages)


class BoardPackDialog(QDialog):
    def __init__(self, data: PortfolioData, as_of: date, file_name: str, parent=None, destination: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export board pack")
        self.data, self.file_name = data, file_name
        defaults = default_options(data, as_of, file_name=file_name)
        form = QFormLayout()
        self.as_of, self.meeting, self.since = (self._date_edit(d) for d in (
            defaults.as_of, defaults.meeting_date, defaults.decisions_since))
        self.paper = QComboBox()
        self.paper.addItem("A4", "a4")
        self.paper.addItem("US Letter", "letter")
        form.addRow("Figures as of:", self.as_of)
        form.addRow("Meeting date:", self.meeting)
        form.addRow("Decision log since:", self.since)
        form.addRow("Paper:", self.paper)
        self.scenario = QComboBox()
        self.scenario.addItem("No scenario page", None)
        for s in sorted(data.scenarios, key=lambda s: s.name):
            self.scenario.addItem(s.name, s.id)
        form.addRow("Scenario page:", self.scenario)
        self.destination = destination
        self.status = QLabel("")
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export = QPushButton("Export…")
        self.export.setDefault(True)
        self.buttons.addButton(self.export, QDialogButtonBox.ButtonRole.AcceptRole)
        self.export.clicked.connect(self.start)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.thread: QThread | None = None
        self.worker: PackWorker | None = None
        self.pages = 0
        self.result_path: Path | None = None

    @staticmethod
    def _date_edit(day: date) -> QDateEdit:
        edit = QDateEdit(_qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def start(self) -> None:
        if self.destination is None:
            suggested = str(Path.home() / f"{Path(self.file_name).stem} board pack {_date(self.as_of.date())}.pdf")
            path, chosen = QFileDialog.getSaveFileName(self, "Save board pack", suggested,
                                                       f"{PDF_FILTER};;{PPTX_FILTER}")
            if not path:
                return
            self.destination = with_pack_suffix(path, chosen)
        options = default_options(self.data, _date(self.as_of.date()), _date(self.meeting.date()),
                                  _date(self.since.date()), self.paper.currentData(), self.file_name,
                                  self.scenario.currentData())
        self.export.setEnabled(False)
        self.bar.show()
        self.thread = QThread(self)
        self.worker = PackWorker(self.data, self.destination, options)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progress.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        self.worker.cancelled_signal.connect(self._cancelled)
        for signal in (self.worker.finished, self.worker.failed, self.worker.cancelled_signal):
            # Direct: the worker thread ends its own loop, so waiting for it never needs the UI thread.
            signal.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.thread.start()

    def _progress(self, fraction: float, message: str) -> None:
        self.bar.setValue(int(fraction * 1000))
        self.status.setText(message)

    def _finished(self, pages: int) -> None:
        self.pages, self.result_path = pages, Path(self.destination)
        unit = "slides" if Path(self.destination).suffix.lower() == ".pptx" else "pages"
        self.status.setText(f"Wrote {pages} {unit} to {self.destination}.")
        self.accept()
        answer = QMessageBox.question(self.parent(), "Board pack ready",
                                      f"The board pack ({pages} {unit}) was saved to\n{self.destination}\n\nOpen it now?")
        if answer == QMessageBox.StandardButton.Yes:
            from pmodesk.ui.desktop import open_or_reveal

            # No viewer registered for the file: show its folder; neither: say where it is, in words.
            if open_or_reveal(Path(self.destination)) == "neither":
                QMessageBox.information(self.parent(), "Board pack ready",
                                        f"No program here opens this file or its folder. It is at\n{self.destination}")

    def _failed(self, message: str) -> None:
        self.export.setEnabled(True)
        self.bar.hide()
        QMessageBox.critical(self, "pmodesk", message)

    def _cancelled(self) -> None:
        self.status.setText("Cancelled; nothing was written.")
        self.reject()

    def cancel(self) -> None:
        if self.worker is not None and self.thread is not None and self.thread.isRunning():
            self.worker.cancel_requested = True
            self.status.setText("Cancelling…")
        else:
            self.reject()

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.wait()
