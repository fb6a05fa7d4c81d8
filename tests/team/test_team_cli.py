"""The commands on a server location give what they give on the file (DESIGN.md sections 13 and 16)."""

from __future__ import annotations

import functools
import json
import subprocess

import pytest

from helpers import run_cli
from pmodesk.store import ReadOnly
from pmodesk.store.location import open_location, parse_location
from pmodesk.store.server import role_names

AS_OF = ("--as-of", "2026-10-31")
SCENARIO = "Stop PAY-06, defer DATA-03, trim CX-02"


def _ok(*args):
    result = _run(*args) if str(args[1]).endswith("demo.pmodesk") and args[0] != "export" else run_cli(*args)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    return result


@functools.cache
def _run(*args):
    """The demo master's answers do not change: each is computed once for the module."""
    return run_cli(*args)


@pytest.fixture(scope="module")
def published(demo_master, pg_server):
    """The demo published to the server with ``pmodesk copy`` (done once: the tests below only read)."""
    url = pg_server.url("published_demo")
    result = run_cli("copy", demo_master, url)
    assert result.returncode == 0, result.stderr
    assert "published_demo in database pmodesk" in result.stdout
    return url


def test_metrics_json_from_the_server_is_identical_to_the_files(demo_master, published):
    assert _ok("metrics", published, "--json").stdout == _ok("metrics", demo_master, "--json").stdout
    assert _ok("metrics", published, *AS_OF).stdout == _ok("metrics", demo_master, *AS_OF).stdout


def test_export_check_scenario_and_optimise_are_identical(demo_master, published, tmp_path):
    for suffix in (".json", ".xlsx"):
        _ok("export", published, tmp_path / f"server{suffix}")
        _ok("export", demo_master, tmp_path / f"file{suffix}")
    assert (tmp_path / "server.json").read_bytes() == (tmp_path / "file.json").read_bytes()
    from openpyxl import load_workbook

    server, file = load_workbook(tmp_path / "server.xlsx"), load_workbook(tmp_path / "file.xlsx")
    assert server.sheetnames == file.sheetnames
    for name in file.sheetnames:
        assert list(server[name].values) == list(file[name].values), name
    on_server, on_file = _ok("check", published), _ok("check", demo_master)
    assert (on_server.returncode, on_server.stdout) == (on_file.returncode, on_file.stdout)
    assert _ok("scenario", published, SCENARIO, *AS_OF, "--json").stdout == \
        _ok("scenario", demo_master, SCENARIO, *AS_OF, "--json").stdout
    assert _ok("optimise", published, "--budget", "800000", *AS_OF, "--json").stdout == \
        _ok("optimise", demo_master, "--budget", "800000", *AS_OF, "--json").stdout


def test_board_pack_text_is_the_files_but_for_the_footer(demo_master, published, tmp_path):
    _ok("boardpack", published, "-o", tmp_path / "server.pdf", *AS_OF)
    _ok("boardpack", demo_master, "-o", tmp_path / "file.pdf", *AS_OF)
    text = {k: subprocess.run(["pdftotext", "-layout", str(tmp_path / f"{k}.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout for k in ("server", "file")}
    label = "published_demo in database pmodesk"
    assert label in text["server"] and demo_master.name not in text["server"]
    assert text["server"].replace(label, "@") .split() == text["file"].replace(demo_master.name, "@").split()


def test_copy_back_to_a_file_and_import_to_the_server(demo_master, published, pg_portfolio, tmp_path):
    back = tmp_path / "back.pmodesk"
    _ok("copy", published, back)
    assert _ok("metrics", back, "--json").stdout == _ok("metrics", demo_master, "--json").stdout
    assert run_cli("copy", published, back).returncode == 5  # exists, no --replace
    _ok("export", demo_master, tmp_path / "demo.json")
    imported = run_cli("import", tmp_path / "demo.json", pg_portfolio)
    assert imported.returncode == 0, imported.stderr
    assert _ok("metrics", pg_portfolio, "--json").stdout == _ok("metrics", demo_master, "--json").stdout
    again = run_cli("import", tmp_path / "demo.json", pg_portfolio)
    assert again.returncode == 5 and "already exists" in again.stderr


def test_refused_locations_are_one_sentence(pg_server, published):
    missing = run_cli("metrics", published.replace("published_demo", "nothing_here"), "--json")
    assert missing.returncode == 3 and missing.stderr.count("\n") == 1 and "There is no portfolio" in missing.stderr
    password = run_cli("metrics", published.replace("pmodesk_admin@", "pmodesk_admin:hunter2@"))
    assert password.returncode == 2 and "hunter2" not in password.stderr + password.stdout


def test_server_setup_roles_readers_read_and_the_server_refuses_their_writes(demo_master, pg_server, tmp_path):
    url = pg_server.url("team_acme")
    for _ in range(2):  # idempotent
        result = run_cli("server-setup", url)
        assert result.returncode == 0, result.stderr
    printed = run_cli("server-setup", url, "--print-sql")
    assert "CREATE ROLE \"pmodesk_team_acme_readers\"" in printed.stdout
    assert run_cli("copy", demo_master, url).returncode == 0  # a set-up schema holds no portfolio: no --replace
    assert run_cli("server-setup", url).returncode == 0  # and again once the portfolio exists
    readers, editors = role_names("team_acme")
    pg_server.execute(f"CREATE ROLE ann LOGIN IN ROLE {readers}", f"CREATE ROLE bob LOGIN IN ROLE {editors}")
    ann, bob = pg_server.url("team_acme", user="ann"), pg_server.url("team_acme", user="bob")

    assert _ok("metrics", ann, "--json").stdout == _ok("metrics", demo_master, "--json").stdout
    csv = tmp_path / "ops.csv"
    csv.write_text("benefit,date,value,source,note\nDIG-01-B1,2026-11-30,6.1,MI pack,\n")
    refused = run_cli("measurements", "import", ann, csv)
    assert refused.returncode == 5 and "ann may only read" in refused.stderr
    with open_location(ann) as store:
        assert store.read_only and "ann may only read" in store.status.messages()[0]
        store.status.read_only = False  # past the store's own check: the server itself must refuse
        initiative = store.load().initiatives[0]
        with pytest.raises(ReadOnly, match="server refused"):
            store.update("initiative", initiative.id, name="Not allowed")
    assert pg_server.execute('SELECT name FROM "team_acme".initiative WHERE id = %d' % initiative.id)[0][0] \
        == initiative.name

    added = run_cli("measurements", "import", bob, csv)
    assert added.returncode == 0, added.stderr
    with open_location(bob) as store:
        assert not store.read_only
        store.update("initiative", initiative.id, name="Renamed by Bob")
        users = store.audit_users()
        last = store.audit_entries()[-1]
    assert last.new_value == "Renamed by Bob" and users[last.id] == "bob"

    other = pg_server.url("published_demo", user="ann")  # a role granted one portfolio cannot read another
    denied = run_cli("metrics", other)
    assert denied.returncode == 3 and "Traceback" not in denied.stderr


def test_import_update_on_a_server_is_an_audited_edit(demo_master, pg_portfolio, tmp_path):
    _ok("copy", demo_master, pg_portfolio)
    _ok("export", demo_master, tmp_path / "demo.json")
    document = json.loads((tmp_path / "demo.json").read_text(encoding="utf-8"))
    document["initiatives"][0]["name"] = "Renamed through --update"
    (tmp_path / "changed.json").write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("import", "--update", tmp_path / "changed.json", pg_portfolio)
    assert result.returncode == 0, result.stderr
    with open_location(pg_portfolio, read_only=True) as store:
        code = document["initiatives"][0]["code"]
        assert next(i.name for i in store.load().initiatives if i.code == code) == "Renamed through --update"
        entry = store.audit_entries()[-1]
        assert entry.new_value == "Renamed through --update" and store.audit_users()[entry.id] == "pmodesk_admin"


def test_frontier_and_risk_are_identical(demo_master, published):
    assert _ok("frontier", published, *AS_OF, "--json", "--steps", "5").stdout == \
        _ok("frontier", demo_master, *AS_OF, "--json", "--steps", "5").stdout
    assert _ok("risk", published, *AS_OF, "--json", "--runs", "200").stdout == \
        _ok("risk", demo_master, *AS_OF, "--json", "--runs", "200").stdout


def _database(pg_server, name: str) -> None:
    if not pg_server.execute(f"SELECT 1 FROM pg_database WHERE datname = '{name}'", database="postgres"):
        pg_server.execute(f"CREATE DATABASE {name}", database="postgres")


def test_a_portfolio_name_taken_in_another_database_is_refused_by_server_setup(demo_master, pg_server):
    _database(pg_server, "pmo_east")
    _database(pg_server, "pmo_west")
    east = pg_server.url("twin", database="pmo_east")
    west = pg_server.url("twin", database="pmo_west")
    assert run_cli("server-setup", east).returncode == 0
    readers, editors = role_names("twin")
    assert pg_server.execute(f"SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = '{readers}'") \
        == [("pmodesk: portfolio twin in database pmo_east",)]

    refused = run_cli("server-setup", west)
    assert refused.returncode == 3 and refused.stderr.count("\n") == 1, refused.stderr
    assert "database pmo_east" in refused.stderr and readers in refused.stderr and "Traceback" not in refused.stderr
    assert pg_server.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'twin'", database="pmo_west") == [(0,)]
    printed = run_cli("server-setup", west, "--print-sql")  # the SQL for an administrator is still printed
    assert printed.returncode == 0 and "COMMENT ON ROLE \"pmodesk_twin_readers\" IS 'pmodesk: portfolio twin in " \
        "database pmo_west'" in printed.stdout

    statements = [line.rstrip(";") for line in printed.stdout.splitlines() if line and not line.startswith("--")]
    import psycopg

    with pytest.raises(psycopg.errors.RaiseException, match="already serve database pmo_east"):
        with psycopg.connect(pg_server.conninfo(database="pmo_west")) as conn:  # as one transaction
            for statement in statements:
                conn.execute(statement)
    assert pg_server.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'twin'", database="pmo_west") == [(0,)]

    # A portfolio of the same name created in the other database is not granted to the first one's roles,
    # so a reader of twin in pmo_east cannot read twin in pmo_west.
    assert run_cli("copy", demo_master, east).returncode == 0
    assert run_cli("copy", demo_master, west).returncode == 0
    pg_server.execute(f"CREATE ROLE twin_reader LOGIN IN ROLE {readers}")
    assert _ok("metrics", pg_server.url("twin", user="twin_reader", database="pmo_east"), "--json").stdout == \
        _ok("metrics", demo_master, "--json").stdout
    denied = run_cli("metrics", pg_server.url("twin", user="twin_reader", database="pmo_west"))
    assert denied.returncode == 3 and "Traceback" not in denied.stderr and denied.stderr.count("\n") == 1
    assert pg_server.execute("SELECT has_schema_privilege('twin_reader', 'twin', 'USAGE')", database="pmo_west") \
        == [(False,)]

    # Roles set up before comments were written (or by hand) are judged by their grants in the other database.
    pg_server.execute(f"COMMENT ON ROLE {readers} IS NULL", f"COMMENT ON ROLE {editors} IS NULL")
    again = run_cli("server-setup", west)
    assert again.returncode == 3 and "database pmo_east" in again.stderr
    assert run_cli("server-setup", east).returncode == 0  # its own database: still repeatable


def test_demo_and_new_write_to_a_server_too(demo_master, pg_server):
    url = pg_server.url("cli_demo")
    result = run_cli("demo", url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Wrote the demo portfolio to cli_demo in database pmodesk"
    assert _ok("metrics", url, "--json").stdout == _ok("metrics", demo_master, "--json").stdout
    again = run_cli("demo", url)
    assert again.returncode == 5 and "already exists" in again.stderr
    created = run_cli("new", pg_server.url("cli_new"), "--name", "Empty", "--currency", "JPY")
    assert created.returncode == 0 and created.stdout.strip() == "Created cli_new in database pmodesk"
    with open_location(pg_server.url("cli_new"), read_only=True) as store:
        assert store.load().portfolio.currency == "JPY"
