"""The JSON form of the interchange document."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pmodesk.interchange.document import FORMAT, LISTS, VERSION, InvalidInput, RawDocument, read_head
from pmodesk.interchange.mapping import ReadOptions
from pmodesk.interchange.rows import Row, bounded_json_float, bounded_json_int

MAX_JSON_BYTES = 200 * 1024 * 1024
NESTED = {"initiatives": ("objectives", "business_case"), "outcomes": ("outputs",), "benefits": ("outputs",),
          "scenarios": ("overrides",)}


def read_json(path: Path, options: ReadOptions | None = None) -> RawDocument:
    name = path.name
    head = read_head(path, MAX_JSON_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"{"):
        raise InvalidInput([f"{name}: the file is not JSON (a pmodesk portfolio is one JSON object)"])
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"), parse_float=bounded_json_float,
                              parse_int=bounded_json_int, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise InvalidInput([f"{name}: the file is not UTF-8 text"]) from None
    except json.JSONDecodeError as error:
        raise InvalidInput([f"{name}: the file is not valid JSON (line {error.lineno}, column {error.colno}: "
                            f"{error.msg})"]) from None
    except RecursionError:
        raise InvalidInput([f"{name}: the JSON is nested too deeply"]) from None
    except ValueError as error:  # NaN, Infinity
        raise InvalidInput([f"{name}: the file is not valid JSON ({error})"]) from None
    raw = from_object(document, name, update=options is not None and options.update)
    if options is not None:
        raw.problems.date_order = options.date_order
    return raw


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def from_object(document: Any, name: str = "input", update: bool = False) -> RawDocument:
    """The rows of a JSON document; with ``update`` the portfolio object may be absent."""
    if not isinstance(document, dict):
        raise InvalidInput([f"{name}: the JSON is not an object"])
    raw = RawDocument(portfolio=None)
    problems = raw.problems
    if document.get("format", FORMAT) != FORMAT:
        problems.errors.append(f"document, 1, format: {document.get('format')!r} is not {FORMAT!r}")
    version = document.get("version", VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION or version < 1:
        problems.errors.append(f"document, 1, version: {version!r} is not a version this pmodesk reads "
                               f"(up to {VERSION})")
    for key in document:
        if key not in ("format", "version", "portfolio") and key not in LISTS:
            problems.warnings.append(f"document, 1, {key}: unknown field, ignored")
    portfolio = document.get("portfolio")
    if isinstance(portfolio, dict):
        raw.portfolio = Row("portfolio", 1, portfolio, problems)
    elif not (update and portfolio is None):
        problems.errors.append("portfolio, 1, portfolio: the portfolio object is missing")
    for list_name in ("kpis", "objectives", "initiatives", "planned_spend", "cost_actuals", "outputs", "outcomes",
                      "benefits", "trajectory", "measurements", "pivot_rules", "decisions", "scenarios",
                      "commentary"):
        items = document.get(list_name, [])
        if items is None:
            continue
        if not isinstance(items, list):
            problems.errors.append(f"{list_name}, 1, {list_name}: is not a list")
            continue
        for number, item in enumerate(items, 1):
            if not isinstance(item, dict):
                problems.errors.append(f"{list_name}, {number}, {list_name}: item is not an object")
                continue
            own = {k: v for k, v in item.items() if k not in NESTED.get(list_name, ())}
            _nested(raw, list_name, number, item, own)
            raw.lists[list_name].append(Row(list_name, number, own, problems))
    return raw


def _nested(raw: RawDocument, list_name: str, number: int, item: dict, own: dict) -> None:
    problems = raw.problems
    code = item.get("name" if list_name == "scenarios" else "code")
    code = code.strip() if isinstance(code, str) else code

    def sub_items(key: str):
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            problems.errors.append(f"{list_name}, {number}, {key}: is not a list")
            return []
        return list(enumerate(value, 1))

    def sub_objects(key: str):
        for k, value in sub_items(key):
            if isinstance(value, dict):
                yield k, value
            else:
                problems.errors.append(f"{list_name}, {number}, {key}[{k}]: is not an object")

    if list_name == "initiatives":
        for k, link in sub_objects("objectives"):
            raw.lists["initiative_objectives"].append(Row(list_name, number, link, problems, f"objectives[{k}].",
                                                          aliases={"objective": "code"}, fixed={"initiative": code}))
        cases = item.get("business_case")
        if cases is not None and not isinstance(cases, dict):
            problems.errors.append(f"{list_name}, {number}, business_case: is not an object")
        for key, value in (cases or {}).items() if isinstance(cases, dict) else ():
            if key in ("strategic", "economic", "commercial", "financial", "management"):
                own[f"business_case_{key}"] = value
            else:
                problems.warnings.append(f"{list_name}, {number}, business_case.{key}: unknown field, ignored")
    elif list_name in ("outcomes", "benefits"):
        owner = list_name[:-1]
        for k, output in sub_items("outputs"):
            label = f"outputs[{k}]"
            raw.lists[f"{owner}_outputs"].append(Row(list_name, number, {label: output}, problems,
                                                     aliases={"output": label}, fixed={owner: code}))
    elif list_name == "scenarios":
        for k, override in sub_objects("overrides"):
            raw.lists["scenario_overrides"].append(Row(list_name, number, override, problems, f"overrides[{k}].",
                                                       fixed={"scenario": code}))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__}")


def dumps(document: dict) -> str:
    return json.dumps(document, default=_plain, ensure_ascii=False, indent=2) + "\n"
