"""Small widgets shared by the forms."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout


def optional_date(label: str, value: date | None) -> tuple[QCheckBox, QDateEdit]:
    """A date that may be absent: a check box that enables the date field."""
    check = QCheckBox(label)
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    day = value or date.today()
    edit.setDate(QDate(day.year, day.month, day.day))
    check.setChecked(value is not None)
    edit.setEnabled(value is not None)
    check.toggled.connect(edit.setEnabled)
    return check, edit


def optional_date_value(check: QCheckBox, edit: QDateEdit) -> date | None:
    if not check.isChecked():
        return None
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def finish_form(dialog: QDialog, form: QFormLayout, accept) -> None:
    """Lay out a form dialog with OK (which calls ``accept`` to validate) and Cancel."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(buttons)
