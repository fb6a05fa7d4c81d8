"""Dialogs for portfolios on a PostgreSQL server (DESIGN.md section 16): where the portfolio is, and a
password when the server asks for one.

A location is typed as host, port, database, portfolio and user, or pasted whole as a
``postgresql://`` URL (libpq's other parameters, such as ``sslmode``, are kept). There is no password
field: libpq's ``~/.pgpass``, ``PGPASSWORD`` and service files apply, and only when the server still
asks is the user prompted, once; that password goes to the connection and nowhere else.
"""

from __future__ import annotations

from typing import Callable, TypeVar

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pmodesk.store.errors import FileRefused, StoreError
from pmodesk.store.location import ServerLocation, parse_server

T = TypeVar("T")
FIELDS = (("host", "Host"), ("port", "Port"), ("dbname", "Database"), ("portfolio", "Portfolio"), ("user", "User"))


class ServerLocationDialog(QDialog):
    """Asks where a server portfolio is; with ``new`` also its name and currency (a new portfolio)."""

    def __init__(self, parent: QWidget | None, title: str, *, new: bool = False, initial: str | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._extras: dict[str, str] = {}  # libpq parameters only a pasted URL gives (sslmode, service…)
        layout = QVBoxLayout(self)
        intro = QLabel("A portfolio on a PostgreSQL server. Passwords are never stored: libpq finds them in "
                       "~/.pgpass, PGPASSWORD or a service file, and pmodesk asks only if the server still wants one.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://user@host:5432/database?portfolio=name")
        self.url.setAccessibleName("Server location")
        self.url.textEdited.connect(self._from_url)
        form.addRow("Location:", self.url)
        self.fields: dict[str, QLineEdit] = {}
        hints = {"host": "localhost, db.example.org or a socket folder", "port": "5432",
                 "portfolio": "lower-case letters, digits and _", "user": "your database user"}
        for key, label in FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(hints.get(key, ""))
            edit.setAccessibleName(label)
            edit.textEdited.connect(self._to_url)
            self.fields[key] = edit
            form.addRow(f"{label}:", edit)
        self.name = self.currency = None
        if new:
            self.name = QLineEdit()
            self.name.setAccessibleName("Portfolio name")
            self.currency = QLineEdit("GBP")
            self.currency.setAccessibleName("Currency")
            self.currency.setMaxLength(3)
            form.addRow("Name:", self.name)
            form.addRow("Currency:", self.currency)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("QLabel#problem { color: #9b1c1c; }")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create" if new else "Open")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if initial:
            self.url.setText(initial)
            self._from_url(initial)

    # ----------------------------------------------------------------------------- the two ways of typing it
    def _from_url(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.problem.clear()
            return
        try:
            where = parse_server(text)
        except StoreError as error:
            self.problem.setText(str(error))
            return
        self.problem.clear()
        params = dict(where.params)
        for key, edit in self.fields.items():
            edit.setText(where.portfolio if key == "portfolio" else params.pop(key, ""))
        self._extras = params

    def _to_url(self, _text: str = "") -> None:
        if not self.fields["portfolio"].text().strip():
            self.problem.clear()  # still being typed: the location needs a portfolio
            return
        try:
            self.url.setText(self._location().display())
            self.problem.clear()
        except StoreError as error:
            self.problem.setText(str(error))

    def _location(self) -> ServerLocation:
        from pmodesk.store.location import check_portfolio_name

        values = {k: e.text().strip() for k, e in self.fields.items()}
        portfolio = check_portfolio_name(values.pop("portfolio"))
        params = dict(self._extras)
        params.update({k: v for k, v in values.items() if v})
        for key in ("host", "port", "dbname", "user"):
            if not values.get(key):
                params.pop(key, None)
        if "password" in params:  # cannot come from a parsed URL; belt and braces
            params.pop("password")
        return ServerLocation(portfolio, tuple(sorted(params.items())))

    def location(self) -> str:
        """The location as a ``postgresql://`` URL (never with a password)."""
        return self._location().display()

    def accept(self) -> None:
        try:
            parse_server(self.location())
        except StoreError as error:
            self.problem.setText(str(error))
            return
        if self.name is not None:
            if not self.name.text().strip():
                self.problem.setText("A new portfolio needs a name.")
                return
            from pmodesk.domain.money import MoneyError, minor_unit

            try:
                minor_unit(self.currency.text().strip().upper())
            except MoneyError as error:
                self.problem.setText(str(error))
                return
        super().accept()


def ask_location(parent: QWidget | None, title: str, *, new: bool = False, initial: str | None = None):
    """The dialog's answer: the location (and, with ``new``, name and currency), or None if cancelled."""
    dialog = ServerLocationDialog(parent, title, new=new, initial=initial)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    if new:
        return dialog.location(), dialog.name.text().strip(), dialog.currency.text().strip().upper()
    return dialog.location()


def ask_password(parent: QWidget | None, location: str) -> str | None:
    """Asks once for the password the server wants; it is used for the connection and never stored."""
    where = parse_server(location)
    user = where.param("user") or "your user"
    password, ok = QInputDialog.getText(
        parent, "Server password", f"The server asks for the password of {user} to open {where.label}.\n"
        "It is used for this connection only and never stored.", QLineEdit.EchoMode.Password)
    return password if ok and password else None


def with_password(parent: QWidget | None, location: str, action: Callable[[str | None], T],
                  password: str | None = None) -> tuple[T, str | None]:
    """Run ``action(password)``; if the server asks for a password libpq did not have, ask once and retry.

    Returns the action's answer and the password used (None when libpq's own sources sufficed), so the
    caller can open what it just made without asking again. A refusal after the retry is raised.
    """
    try:
        return action(password), password
    except FileRefused as error:
        if error.why != "password" or password is not None:
            raise
        given = ask_password(parent, location)
        if given is None:
            raise
        return action(given), given
