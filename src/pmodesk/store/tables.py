"""How each entity of the domain maps to its table: SQLAlchemy Core tables plus one codec per field.

The tables are built from these specs (not reflected, not used to create the schema: the frozen
DDL does that); a test checks every spec against the frozen schema column by column. Queries
written against these tables are portable SQLAlchemy Core; only :mod:`pmodesk.store.opening`
knows it is talking to SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, Table, Text

from pmodesk.domain import enums, model
from pmodesk.domain.money import from_minor, parse_decimal, to_minor
from pmodesk.store.specs import (  # noqa: F401 - the kinds and specs, re-exported for the store's users
    BOOL, DATE, DATETIME, DECIMAL, INT, MONEY, SPECS, TEXT, EntitySpec,
)

METADATA = MetaData()
TABLES: dict[str, Table] = {
    spec.name: Table(
        spec.name,
        METADATA,
        *[
            # Money is BigInteger: minor units outgrow 32 bits, and a PostgreSQL server casts binds to the type.
            Column(col, BigInteger if kind == MONEY else Integer if kind in (INT, BOOL) else Text,
                   primary_key=col in spec.key)
            for col, kind in spec.fields.items()
        ],
    )
    for spec in SPECS.values()
}


class FieldError(ValueError):
    """A value of the wrong kind for a field."""


def to_db(kind: Any, value: Any, currency: str) -> Any:
    """A domain value as the value stored in the column."""
    if value is None:
        return None
    if kind == MONEY:
        return to_minor(parse_decimal(value), currency)
    if kind == DECIMAL:
        return str(parse_decimal(value))
    if kind == DATE:
        if isinstance(value, datetime) or not isinstance(value, date):
            raise FieldError(f"{value!r} is not a date")
        return value.isoformat()
    if kind == DATETIME:
        if not isinstance(value, datetime):
            raise FieldError(f"{value!r} is not a date and time")
        return value.isoformat(timespec="seconds")
    if kind == BOOL:
        if not isinstance(value, bool):
            raise FieldError(f"{value!r} is not true or false")
        return int(value)
    if kind == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise FieldError(f"{value!r} is not a whole number")
        return value
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        try:
            return kind(value).value
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            raise FieldError(f"{value!r} is not one of: {allowed}") from None
    if not isinstance(value, str):
        raise FieldError(f"{value!r} is not text")
    return value


def from_db(kind: Any, value: Any, currency: str) -> Any:
    """A stored column value as the domain value."""
    if value is None:
        return None
    if kind == MONEY:
        return from_minor(int(value), currency)
    if kind == DECIMAL:
        return Decimal(value)
    if kind == DATE:
        return date.fromisoformat(value)
    if kind == DATETIME:
        return datetime.fromisoformat(value)
    if kind == BOOL:
        return bool(value)
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return kind(value)
    return value


def display(kind: Any, value: Any, currency: str) -> str | None:
    """The text an audit entry records for a domain value."""
    if value is None:
        return None
    stored = to_db(kind, value, currency)
    if kind == MONEY:
        return str(from_minor(stored, currency))
    return str(stored)
