"""Bad values inside a received file are refused as one sentence, never truncated or crashed on
(issue 12, item 4). Each file is tampered with behind pmodesk's back, as a sender's tool would."""

from __future__ import annotations

import sqlite3

import pytest

from helpers import run_cli, sha256
from pmodesk.store import FileRefused, Store


def _tamper(path, *statements) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for statement in statements:
        conn.execute(statement)
    conn.close()


CASES = {
    "REAL in a money column": ("UPDATE initiative SET planned_investment = 1234.5 WHERE code = 'BR-04'",
                               "demo.pmodesk is damaged: an initiative holds an invalid value (1234.5 is not a "
                               "whole number of minor units)."),
    "text in a money column": ("UPDATE cost_actual SET amount = 'lots' WHERE id = (SELECT min(id) FROM cost_actual)",
                               "demo.pmodesk is damaged: a cost actual holds an invalid value ('lots' is not a "
                               "whole number of minor units)."),
    "blob in a money column": ("UPDATE benefit SET annual_value = X'0102' WHERE id = (SELECT min(id) FROM benefit)",
                               "demo.pmodesk is damaged: a benefit holds an invalid value (b'\\x01\\x02' is not a "
                               "whole number of minor units)."),
    "blob in a text column": ("UPDATE initiative SET name = X'41' WHERE code = 'BR-04'",
                              "demo.pmodesk is damaged: an initiative holds an invalid value (b'A' is not text)."),
    "text in a flag": ("UPDATE objective SET active = 'yes' WHERE id = (SELECT min(id) FROM objective)",
                       "demo.pmodesk is damaged: an objective holds an invalid value ('yes' is not true or false)."),
    "invalid UTF-8": ("UPDATE initiative SET name = CAST(X'4272616e64C328' AS TEXT) WHERE code = 'BR-04'",
                      "demo.pmodesk is damaged: it holds text that is not valid UTF-8."),
    "oversized text": ("UPDATE initiative SET description = printf('%.*c', 4500000, 'x') WHERE code = 'BR-04'",
                       "demo.pmodesk was refused because it contains oversized data (a text or value larger "
                       "than 4 MB)."),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_value_is_refused_with_one_sentence_and_the_file_unchanged(demo_file, case):
    statement, sentence = CASES[case]
    _tamper(demo_file, statement)
    before = sha256(demo_file)
    with pytest.raises(FileRefused) as refused:
        with Store.open(demo_file, read_only=True) as store:
            store.load()
    assert str(refused.value) == sentence
    result = run_cli("metrics", demo_file)
    assert result.returncode == 3
    assert result.stderr.strip() == sentence and result.stdout == ""
    assert sha256(demo_file) == before


def test_a_real_money_value_is_never_truncated(demo_file):
    _tamper(demo_file, "UPDATE initiative SET planned_investment = 1234.0 WHERE code = 'BR-04'")
    # SQLite's INTEGER affinity stores 1234.0 as the integer 1234: that one is exact and fine.
    with Store.open(demo_file, read_only=True) as store:
        initiative = next(i for i in store.load().initiatives if i.code == "BR-04")
    assert str(initiative.planned_investment) == "12.34"  # 1234 minor units of GBP


def _corrupt_index(path) -> None:
    """Change one key in the initiative code index so it no longer matches its table, keeping the
    index's order and page structure: quick_check cannot see it, integrity_check can."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'sqlite_autoindex_initiative_1'").fetchone()[0]
    last = conn.execute("SELECT max(code) FROM initiative").fetchone()[0].encode()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    at = data.find(last, (root - 1) * page_size, root * page_size)
    assert at > 0
    data[at + len(last) - 1] = ord("~")
    path.write_bytes(bytes(data))


def test_index_damage_only_integrity_check_sees_is_exit_3_from_check(demo_file):
    _corrupt_index(demo_file)
    conn = sqlite3.connect(demo_file)
    assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
    before = sha256(demo_file)
    result = run_cli("check", demo_file)
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stderr.strip() == ("demo.pmodesk is damaged: the full database check found row 9 missing from "
                                     "index sqlite_autoindex_initiative_1.")
    assert "Traceback" not in result.stderr
    assert sha256(demo_file) == before
