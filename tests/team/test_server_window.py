"""The window for a team: open from a server, a new portfolio on a server, save a copy to and from a
server, recent server locations, and a password asked for once and never stored (DESIGN.md section 16)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6")

from pmodesk.store.location import copy_portfolio, open_location, parse_server  # noqa: E402

import pg  # noqa: E402


@pytest.fixture
def answers(monkeypatch):
    """Dialogs answered by the test: what the location dialog returns, passwords asked, messages shown."""
    from PySide6.QtWidgets import QMessageBox

    from pmodesk.ui import server_dialogs

    state = {"location": None, "password": None, "asked": [], "critical": [], "question": QMessageBox.StandardButton.No}
    monkeypatch.setattr(server_dialogs, "ask_location", lambda parent, title, **k: state["location"])
    monkeypatch.setattr(server_dialogs, "ask_password",
                        lambda parent, location: state["asked"].append(location) or state["password"])
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text, *a: state["critical"].append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: state["question"])
    return state


def test_the_location_dialog_takes_fields_or_a_pasted_url(qtbot, output_dir):
    from PySide6.QtWidgets import QDialogButtonBox

    from pmodesk.ui.server_dialogs import ServerLocationDialog

    dialog = ServerLocationDialog(None, "Open from a server")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not [w for w in dialog.findChildren(type(dialog.url)) if w.echoMode() != w.EchoMode.Normal]  # no password
    for key, typed in (("host", "db.example.org"), ("port", "5433"), ("dbname", "pmo"), ("portfolio", "acme"),
                       ("user", "alice")):
        qtbot.keyClicks(dialog.fields[key], typed)
    assert dialog.url.text() == "postgresql://alice@db.example.org:5433/pmo?portfolio=acme"
    dialog.grab().save(str(output_dir / "team-open-from-server.png"))

    dialog.url.clear()
    qtbot.keyClicks(dialog.url, "postgresql://bob@/finance?host=/run/postgresql&portfolio=capex&sslmode=disable")
    assert [dialog.fields[k].text() for k in ("host", "port", "dbname", "portfolio", "user")] == \
        ["/run/postgresql", "", "finance", "capex", "bob"]
    assert parse_server(dialog.location()) == parse_server(
        "postgresql://bob@/finance?host=/run/postgresql&portfolio=capex&sslmode=disable")  # sslmode kept

    dialog.url.clear()
    qtbot.keyClicks(dialog.url, "postgresql://bob:secret@db/finance?portfolio=capex")
    assert "must not carry a password" in dialog.problem.text()
    dialog.fields["portfolio"].setText("Not A Name")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.isVisible() and "cannot name a server portfolio" in dialog.problem.text()

    new = ServerLocationDialog(None, "New portfolio on a server", new=True,
                               initial="postgresql://alice@db.example.org/pmo?portfolio=acme")
    qtbot.addWidget(new)
    new.show()
    assert new.fields["portfolio"].text() == "acme" and new.currency.text() == "GBP"
    ok = new.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert ok.text() == "Create"
    ok.click()
    assert new.isVisible() and new.problem.text() == "A new portfolio needs a name."
    new.name.setText("Acme transformation")
    new.currency.setText("XYZ")
    ok.click()
    assert new.isVisible() and "XYZ" in new.problem.text()
    new.grab().save(str(output_dir / "team-new-on-server.png"))
    new.currency.setText("eur")
    ok.click()
    assert not new.isVisible() and new.result() == new.DialogCode.Accepted


def test_open_from_a_server_is_remembered_by_label_and_reopened(window, answers, demo_master, pg_server, tmp_path):
    url = pg_server.url("window_open")
    copy_portfolio(demo_master, url)
    answers["location"] = url
    window.action_open_server.trigger()
    assert window.store is not None and window.store.location.portfolio == "window_open"
    assert "window_open in database pmodesk" in window.windowTitle() and not answers["asked"]
    labels = [a.text() for a in window.recent_menu.actions()]
    assert labels == ["window_open in database pmodesk"]
    window.close_file()
    window.recent_menu.actions()[0].trigger()  # Open Recent reopens the server portfolio
    assert window.store is not None and window.store.location.portfolio == "window_open"
    assert window.settings.value("files/last") is None  # bare `pmodesk` never starts on a server

    answers["location"] = pg_server.url("no_such_portfolio")
    window.action_open_server.trigger()
    assert len(answers["critical"]) == 1 and "There is no portfolio no_such_portfolio" in answers["critical"][0]
    assert window.store.location.portfolio == "window_open"  # the open portfolio stays open


def test_a_password_is_asked_once_used_and_never_stored(window, answers, demo_master, pg_server, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from pmodesk.store.server import server_setup

    admin = pg_server.url("window_pw")
    copy_portfolio(demo_master, admin)
    server_setup(parse_server(admin))
    pg_server.execute(f"GRANT pmodesk_window_pw_editors TO {pg.PASSWORD_ROLE}")
    url = pg_server.url("window_pw", user=pg.PASSWORD_ROLE)

    answers["password"] = "wrong-password"
    assert not window.open_file(url)
    assert len(answers["asked"]) == 1 and len(answers["critical"]) == 1
    assert "password authentication failed" in answers["critical"][0] and "wrong-password" not in answers["critical"][0]

    answers["password"] = "right-password"
    assert window.open_file(url)
    assert len(answers["asked"]) == 2 and not window.store.read_only
    heard = window._server_changes.watcher.poll()  # the change watcher connects with the same password
    assert heard.lost is None
    first = window.data.initiatives[0]
    from pmodesk.commands import UpdateField

    window.push(UpdateField("initiative", first.id, "name", first.name, "Renamed with a password", "Rename"))
    with open_location(admin, read_only=True) as check:
        assert check.load().initiatives[0].name == "Renamed with a password"
        entry = check.audit_entries()[-1]
        assert check.audit_users()[entry.id] == pg.PASSWORD_ROLE
    window.settings.sync()
    stored = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert "right-password" not in stored and "window_pw" in stored

    # Save a copy to a server that asks for the password: asked once per copy, also when replacing.
    pg_server.execute(f"GRANT CREATE ON DATABASE pmodesk TO {pg.PASSWORD_ROLE}")
    answers["asked"].clear()
    answers["location"] = pg_server.url("window_pw_copy", user=pg.PASSWORD_ROLE)
    window.action_save_copy_server.trigger()
    assert len(answers["asked"]) == 1 and len(answers["critical"]) == 1
    answers["question"] = QMessageBox.StandardButton.Yes  # it exists now: replace it
    window.action_save_copy_server.trigger()
    assert len(answers["asked"]) == 2 and len(answers["critical"]) == 1
    assert "window_pw_copy in database pmodesk" in window.statusBar().currentMessage()

    answers["asked"].clear()
    answers["password"] = None  # cancelled: nothing opened, the open portfolio kept
    window.close_file()
    assert not window.open_file(url) and len(answers["asked"]) == 1 and window.store is None


def test_new_portfolio_on_a_server_and_save_a_copy_both_ways(window, answers, demo_master, demo_file, pg_server,
                                                             tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from helpers import run_cli

    url = pg_server.url("window_new")
    answers["location"] = (url, "Team portfolio", "EUR")
    window.action_new_on_server.trigger()
    assert not answers["critical"]
    assert window.data.portfolio.name == "Team portfolio" and window.data.portfolio.currency == "EUR"
    assert window.store.location.portfolio == "window_new"
    window.action_new_on_server.trigger()  # the same location again: refused, nothing changed
    assert len(answers["critical"]) == 1 and "already exists" in answers["critical"][0]

    # File -> server: the demo file saved to a server portfolio; an existing one is replaced only when asked.
    assert window.open_file(demo_file)
    answers["location"] = pg_server.url("window_copy")
    window.action_save_copy_server.trigger()
    assert "window_copy in database pmodesk" in window.statusBar().currentMessage()
    expected = run_cli("metrics", demo_master, "--json").stdout
    assert run_cli("metrics", answers["location"], "--json").stdout == expected
    answers["location"] = url  # window_new exists: the user says no, then yes
    window.action_save_copy_server.trigger()
    with open_location(url, read_only=True) as check:
        assert check.load().portfolio.name == "Team portfolio"
    answers["question"] = QMessageBox.StandardButton.Yes
    window.action_save_copy_server.trigger()
    assert run_cli("metrics", url, "--json").stdout == expected
    assert len(answers["critical"]) == 1

    # Server -> file: the server portfolio saved as a file, over a file that was there (the dialog asked).
    assert window.open_file(url)
    target = tmp_path / "offsite.pmodesk"
    target.write_bytes(demo_file.read_bytes())
    suggested = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: suggested.append(a[2]) or (str(target), ""))
    window.action_save_copy.trigger()
    assert suggested[0].endswith("window_new.pmodesk")
    assert len(answers["critical"]) == 1 and "offsite.pmodesk" in window.statusBar().currentMessage()
    assert run_cli("metrics", target, "--json").stdout == expected
    assert json.loads(expected)["portfolio"]["realised_value"]
    exported = tmp_path / "from-the-server.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: suggested.append(a[2]) or (str(exported), ""))
    window.action_export.trigger()
    assert suggested[1].endswith("window_new.xlsx") and json.loads(exported.read_text())["initiatives"]

    # A copy onto itself is one sentence, nothing changed.
    answers["location"] = url
    window.action_save_copy_server.trigger()
    assert len(answers["critical"]) == 2 and "onto itself" in answers["critical"][1]


def test_a_reader_sees_why_the_window_is_read_only(window, answers, demo_master, pg_server, output_dir):
    from pmodesk.store.server import role_names, server_setup

    url = pg_server.url("window_reader")
    copy_portfolio(demo_master, url)
    server_setup(parse_server(url))
    readers, _ = role_names("window_reader")
    pg_server.execute(f"CREATE ROLE window_reader_frank LOGIN IN ROLE {readers}")
    assert window.open_file(pg_server.url("window_reader", user="window_reader_frank"))
    assert window.store.read_only and "[read-only]" in window.windowTitle()
    assert window.banner.isVisible()
    assert window.banner.text() == ("Read-only: window_reader_frank may only read window_reader in database pmodesk: "
                                    "the server gives window_reader_frank read-only rights.")
    assert not window.action_import_measurements.isEnabled() and not window.action_templates.isEnabled()
    assert window.action_save_copy.isEnabled() and window.action_save_copy_server.isEnabled()
    window.grab().save(str(output_dir / "team-window-reader-banner.png"))


def test_the_history_names_who_changed_what_on_a_server(window, demo_file, pg_server, output_dir, monkeypatch):
    from pmodesk.store.server import role_names, server_setup
    from pmodesk.ui.history_dialog import COL_ACTION, COL_AFTER, COL_FIELD, COL_WHAT, COL_WHO, HistoryDialog

    with open_location(demo_file) as store:  # a change made in the file, before it was published
        objective = store.load().objectives[0]
        store.update("objective", objective.id, title="Edited in the file")
    url = pg_server.url("window_history")
    copy_portfolio(demo_file, url)
    server_setup(parse_server(url))
    _, editors = role_names("window_history")
    pg_server.execute(f"CREATE ROLE history_grace LOGIN IN ROLE {editors}")
    with open_location(pg_server.url("window_history", user="history_grace")) as grace:
        data = grace.load()
        benefit = data.benefits[0]
        grace.update("benefit", benefit.id, owner="Grace Hopper")
    assert window.open_file(url)
    first = window.data.initiatives[0]
    window._server_changes.timer.stop()
    from pmodesk.commands import UpdateField

    window.push(UpdateField("initiative", first.id, "name", first.name, "Renamed by the admin", "Rename"))

    shown = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self) or 0)
    window.action_history.trigger()
    dialog = shown[0]
    model = dialog.model

    def cell(row, column):
        return model.data(model.index(row, column))

    assert not dialog.table.isColumnHidden(COL_WHO)
    assert [cell(0, c) for c in (COL_WHO, COL_ACTION, COL_WHAT, COL_FIELD, COL_AFTER)] == \
        ["pmodesk_admin", "Changed", f"initiative {first.code}", "name", "Renamed by the admin"]
    assert [cell(1, c) for c in (COL_WHO, COL_WHAT, COL_FIELD, COL_AFTER)] == \
        ["history_grace", f"benefit {benefit.code}", "owner", "Grace Hopper"]
    assert model.rowCount() == 3  # the file's own trail, copied in: the server does not know who made it
    assert [cell(2, c) for c in (COL_WHO, COL_WHAT, COL_AFTER)] == \
        ["—", f"objective {objective.code}", "Edited in the file"]

    dialog.filter.setText("grace")
    assert dialog.proxy.rowCount() >= 1
    assert all("grace" in " ".join(dialog.proxy.data(dialog.proxy.index(r, c)) or "" for c in range(7)).lower()
               for r in range(dialog.proxy.rowCount()))
    dialog.filter.clear()
    dialog.show()
    dialog.grab().save(str(output_dir / "team-history-who.png"))
    dialog.close()

    window.show_initiative(first.id)  # from the Initiative tab: that initiative's history
    window.action_history.trigger()
    assert shown[1].filter.text() == first.code
    assert shown[1].proxy.rowCount() == 2  # its rename and its benefit's new owner, not the objective


def test_a_files_history_has_no_who_column(window, demo_file, monkeypatch):
    from pmodesk.commands import UpdateField
    from pmodesk.ui.history_dialog import COL_WHAT, COL_WHO, HistoryDialog

    assert window.open_file(demo_file)
    first = window.data.initiatives[0]
    window.push(UpdateField("initiative", first.id, "name", first.name, "Renamed in the file", "Rename"))
    shown = []
    monkeypatch.setattr(HistoryDialog, "exec", lambda self: shown.append(self) or 0)
    window.action_history.trigger()
    dialog = shown[0]
    assert dialog.table.isColumnHidden(COL_WHO)
    assert dialog.model.data(dialog.model.index(0, COL_WHAT)) == f"initiative {first.code}"


def test_a_reload_that_fails_is_reported_and_retried(window, qtbot, demo_master, pg_server, monkeypatch):
    from pmodesk.store.errors import NotSaved

    url = pg_server.url("window_reload_fails")
    copy_portfolio(demo_master, url)
    assert window.open_file(url)
    window._server_changes.timer.setInterval(100)
    real_load = window.store.load
    failures = []

    def load():
        if not failures:
            failures.append(1)
            raise NotSaved("window_reload_fails in database pmodesk could not be read: the server went away.")
        return real_load()

    monkeypatch.setattr(window.store, "load", load)
    first = window.data.initiatives[0]
    with open_location(url) as colleague:
        colleague.update("initiative", first.id, name="Changed while the server wobbled")
    qtbot.waitUntil(lambda: bool(failures), timeout=15000)
    qtbot.waitUntil(lambda: window.data.initiatives[0].name == "Changed while the server wobbled", timeout=15000)
    assert "Reconnected" in window.statusBar().currentMessage()


def test_the_status_bar_names_who_made_the_changes_heard(window, qtbot, demo_master, pg_server, output_dir):
    from pmodesk.store.server import role_names, server_setup

    url = pg_server.url("window_who")
    copy_portfolio(demo_master, url)
    server_setup(parse_server(url))
    _, editors = role_names("window_who")
    pg_server.execute(f"CREATE ROLE who_ivan LOGIN IN ROLE {editors}", f"CREATE ROLE who_judy LOGIN IN ROLE {editors}")
    assert window.open_file(url)
    window._server_changes.timer.stop()
    first, second = window.data.initiatives[:2]
    with open_location(pg_server.url("window_who", user="who_ivan")) as ivan:
        ivan.update("initiative", first.id, sponsor="Ivan")
    window._server_changes.timer.start(100)
    qtbot.waitUntil(lambda: window.data.initiatives[0].sponsor == "Ivan", timeout=15000)
    assert window.statusBar().currentMessage() == "Updated with changes made by who_ivan."
    window._server_changes.timer.stop()
    with open_location(pg_server.url("window_who", user="who_judy")) as judy, \
            open_location(pg_server.url("window_who", user="who_ivan")) as ivan:
        judy.update("initiative", second.id, sponsor="Judy")
        ivan.update("initiative", first.id, sponsor="Ivan again")
    window._server_changes.timer.start(100)
    qtbot.waitUntil(lambda: window.data.initiatives[0].sponsor == "Ivan again"
                    and window.data.initiatives[1].sponsor == "Judy", timeout=15000)
    both = "Updated with changes made by who_ivan and who_judy."
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == both, timeout=15000)
    window.grab().save(str(output_dir / "team-window-who-changed.png"))
