"""``pmodesk new``, ``demo`` and ``check`` through the real command line, with DESIGN.md's exit codes."""

from __future__ import annotations

import sqlite3

from helpers import run_cli, sha256
from pmodesk.store import APPLICATION_ID, CURRENT_VERSION, Store


def test_new_creates_an_empty_portfolio(tmp_path):
    path = tmp_path / "acme.pmodesk"
    result = run_cli("new", path, "--name", "Acme transformation", "--currency", "eur", "--client", "Acme plc",
                     "--fiscal-year-start", "4")
    assert result.returncode == 0, result.stderr
    with Store.open(path) as store:
        data = store.load()
    assert (data.portfolio.name, data.portfolio.currency, data.portfolio.client, data.portfolio.fiscal_year_start_month) \
        == ("Acme transformation", "EUR", "Acme plc", 4)
    assert data.initiatives == ()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acme.pmodesk"]


def test_new_refuses_to_overwrite_without_replace(demo_file):
    before = sha256(demo_file)
    result = run_cli("new", demo_file, "--name", "X")
    assert result.returncode == 5
    assert "already exists" in result.stderr
    assert sha256(demo_file) == before
    assert run_cli("new", demo_file, "--name", "X", "--replace").returncode == 0
    with Store.open(demo_file) as store:
        assert store.load().portfolio.name == "X"


def test_new_refuses_a_bad_currency_as_a_usage_error(tmp_path):
    for code in ("XAU", "ABC", "pounds"):
        result = run_cli("new", tmp_path / "x.pmodesk", "--name", "X", "--currency", code)
        assert result.returncode == 2, code
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_usage_errors_exit_2():
    assert run_cli("new").returncode == 2
    assert run_cli("no-such-command").returncode == 2


def test_demo_writes_and_refuses_to_overwrite(tmp_path):
    path = tmp_path / "demo.pmodesk"
    assert run_cli("demo", path).returncode == 0
    before = sha256(path)
    again = run_cli("demo", path)
    assert again.returncode == 5 and sha256(path) == before
    assert run_cli("demo", path, "--replace").returncode == 0


def test_demo_is_deterministic(tmp_path):
    first, second = tmp_path / "a.pmodesk", tmp_path / "b.pmodesk"
    run_cli("demo", first)
    run_cli("demo", second)
    with Store.open(first) as a, Store.open(second) as b:
        assert a.load() == b.load()


def test_check_lists_gaps_one_per_line_and_exits_1(demo_file):
    before = sha256(demo_file)
    result = run_cli("check", demo_file)
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == f"{len(lines) - 1} findings"
    assert "CX-02: pivot rule R3 agreed after approval on 2025-01-20" in lines
    assert "CX-02-B2: benefit without a named owner" in lines
    assert "PAY-06: active initiative not linked to an active strategic objective" in lines
    assert "DATA-03: active initiative without an active pivot rule" in lines
    assert sha256(demo_file) == before  # checking never writes


def test_check_of_a_clean_portfolio_exits_0(tmp_path):
    path = tmp_path / "clean.pmodesk"
    run_cli("new", path, "--name", "Clean")
    result = run_cli("check", path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == "0 findings"


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and "pmodesk" in result.stdout
