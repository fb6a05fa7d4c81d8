"""Untrusted imports cannot hang or exhaust memory (issue 12, item 7).

Numbers are bounded before they are converted; text that is not text, and damaged sheet XML, are
input errors (exit 4) with no traceback and no target. A hypothesis test mutates JSON and workbook
bytes and checks: exit 4 or a valid result, never another exception, never a hang, no target.
"""

from __future__ import annotations

import copy
import io
import json
import signal
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from helpers import run_cli
from pmodesk.interchange.document import InvalidInput
from pmodesk.interchange.files import export_portfolio, import_portfolio, read_portfolio

VALID = {
    "portfolio": {"name": "Acme", "currency": "GBP"},
    "initiatives": [{"code": "I1", "name": "One", "stage": "delivery", "planned_investment": "1000.00",
                     "risk_likelihood": 2, "planned_go_live": "2026-03-31"}],
    "benefits": [{"code": "B1", "initiative": "I1", "title": "Faster", "measure": "days", "direction": "lower",
                  "baseline_value": 10, "baseline_date": "2026-01-01", "target_value": 4, "target_date": "2027-01-01",
                  "attribution_pct": 80}],
    "measurements": [{"benefit": "B1", "date": "2026-02-01", "value": 9.5}],
}


def _json(tmp_path: Path, document, name="in.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


@pytest.mark.parametrize("field, value", [
    ("planned_investment", "1e999999999"),
    ("planned_investment", "9" * 5000),
    ("risk_likelihood", "1e999999999"),
    ("risk_likelihood", "7" * 5000),
])
def test_huge_numbers_as_text_are_input_errors(tmp_path, field, value):
    document = copy.deepcopy(VALID)
    document["initiatives"][0][field] = value
    target = tmp_path / "t.pmodesk"
    result = run_cli("import", _json(tmp_path, document), target)
    assert result.returncode == 4, result.stderr
    assert f"initiatives, 1, {field}:" in result.stderr and "Traceback" not in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("literal", ["1e999999999", "9" * 5000, "-1E-999999999", "0." + "1" * 5000, "NaN",
                                     "Infinity"])
def test_huge_number_literals_in_json_are_input_errors(tmp_path, literal):
    text = json.dumps(VALID).replace('"risk_likelihood": 2', f'"risk_likelihood": {literal}')
    text = text.replace('"value": 9.5', f'"value": {literal}')
    target = tmp_path / "t.pmodesk"
    result = run_cli("import", _json(tmp_path, text), target)
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr and not target.exists()


def test_lone_surrogates_are_input_errors_and_printable(tmp_path):
    text = json.dumps(VALID).replace('"title": "Faster"', '"title": "Fast\\ud800er", "\\udfff": 1')
    target = tmp_path / "t.pmodesk"
    result = run_cli("import", _json(tmp_path, text), target)
    assert result.returncode == 4, result.stderr
    assert "benefits, 1, title: contains a character that is not text" in result.stderr
    assert "Traceback" not in result.stderr and not target.exists()


def _workbook(tmp_path: Path) -> Path:
    data, _ = read_portfolio(_json(tmp_path, VALID, "valid.json"))
    path = tmp_path / "valid.xlsx"
    export_portfolio(data, path)
    return path


def _rewrite(source: Path, destination: Path, member_pattern: str, change) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if member_pattern in item.filename:
                data = change(data)
            new.writestr(item, data)


@pytest.mark.parametrize("change", [
    lambda xml: xml[: len(xml) // 2],  # truncated sheet XML
    lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row r=\"1\"><c r=\"A1\" t=\"n\"><v>" + b"9" * 5000
                            + b"</v></c></row>"),
    lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row r=\"1\"><c r=\"A1\"><v>1e999999999</v></c></row>"),
    lambda xml: b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>"
                b"<!ENTITY c '&b;&b;&b;&b;&b;&b;&b;&b;'><!ENTITY d '&c;&c;&c;&c;&c;&c;&c;&c;'>]><x>&d;&d;&d;</x>",
    lambda xml: b"\xff\xfe not xml at all",
])
def test_damaged_sheet_xml_is_an_input_error(tmp_path, change):
    source = _workbook(tmp_path)
    damaged = tmp_path / "damaged.xlsx"
    _rewrite(source, damaged, "worksheets/sheet", change)
    target = tmp_path / "t.pmodesk"
    result = run_cli("import", damaged, target)
    assert result.returncode in (0, 4), result.stderr
    assert "Traceback" not in result.stderr
    if result.returncode == 4:
        assert not target.exists()


# ------------------------------------------------------------------------------ mutation fuzzing
class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: int):
    def fire(*_):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _attempt(source: Path, target: Path) -> None:
    """Import; only a valid result or InvalidInput may come out, and a refused import leaves no target."""
    with deadline(20):
        try:
            import_portfolio(source, target, replace=True)
        except InvalidInput as error:
            assert error.errors
            assert not target.exists()
            return
    assert target.exists()
    target.unlink()


HOSTILE = [b"1e999999999", b"9" * 5000, b'"\\ud800"', b"[" * 5000, b"null", b"-", b'"n/a"', b"{}", b"\x00",
           b'"31/03/2026"', b"1e-999999999", b"true", b"\xff\xfe"]


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_json_is_refused_or_imported_never_anything_else(tmp_path, data):
    text = json.dumps(VALID).encode()
    for _ in range(data.draw(st.integers(1, 4))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        insert = data.draw(st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=8)))
        text = text[:start] + insert + text[end:]
    source = tmp_path / "fuzz.json"
    source.write_bytes(text)
    _attempt(source, tmp_path / "fuzz.pmodesk")


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_workbooks_are_refused_or_imported_never_anything_else(tmp_path, data):
    base = tmp_path / "valid.xlsx"  # made once per test: a workbook exported again carries a new timestamp,
    if not base.exists():           # and replaying an example must see the same bytes
        base = _workbook(tmp_path)
    with zipfile.ZipFile(base) as archive:
        members = {item.filename: archive.read(item) for item in archive.infolist()}
    names = sorted(members)
    name = data.draw(st.sampled_from(names))
    xml = members[name]
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(xml)))
        end = data.draw(st.integers(start, min(len(xml), start + 16)))
        insert = data.draw(st.one_of(st.sampled_from(HOSTILE + [b"<v>", b"</c>", b"<f>1+1</f>", b"t=\"s\""]),
                                     st.binary(max_size=8)))
        xml = xml[:start] + insert + xml[end:]
    members[name] = xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, content in members.items():  # a fixed date: the same draw gives the same bytes
            archive.writestr(zipfile.ZipInfo(member, date_time=(2026, 1, 1, 0, 0, 0)), content,
                             compress_type=zipfile.ZIP_DEFLATED)
    raw = buffer.getvalue()
    if data.draw(st.booleans()):  # and sometimes damage the zip itself
        at = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1:]
    source = tmp_path / "fuzz.xlsx"
    source.write_bytes(raw)
    _attempt(source, tmp_path / "fuzz.pmodesk")


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_json_updates_are_refused_or_applied_never_anything_else(tmp_path, data):
    """``--update`` reads the same untrusted input: a refused update leaves the portfolio byte for byte."""
    from helpers import sha256
    from pmodesk.interchange.files import read_raw
    from pmodesk.interchange.mapping import ReadOptions
    from pmodesk.interchange.update import apply_plan, plan_update
    from pmodesk.store import Store

    portfolio = tmp_path / "base.pmodesk"
    if not portfolio.exists():
        import_portfolio(_json(tmp_path, VALID, "base.json"), portfolio)
    update = {"initiatives": [{"code": "I1", "stage": "transition", "owner": "Kim"},
                              {"code": "I2", "name": "Two", "stage": "proposed"}],
              "measurements": [{"benefit": "B1", "date": "2026-03-01", "value": "8.5"}]}
    text = json.dumps(update).encode()
    for _ in range(data.draw(st.integers(1, 3))):
        start = data.draw(st.integers(0, len(text)))
        end = data.draw(st.integers(start, min(len(text), start + 12)))
        text = text[:start] + data.draw(st.one_of(st.sampled_from(HOSTILE), st.binary(max_size=8))) + text[end:]
    source = tmp_path / "update.json"
    source.write_bytes(text)
    copy_path = tmp_path / "work.pmodesk"
    copy_path.write_bytes(portfolio.read_bytes())
    before = sha256(copy_path)
    with deadline(20), Store.open(copy_path) as store:
        try:
            plan = plan_update(store.load(), read_raw(source, ReadOptions(update=True)))
        except InvalidInput as error:
            assert error.errors
        else:
            apply_plan(store, plan)
            store.load()
            return
    assert sha256(copy_path) == before
