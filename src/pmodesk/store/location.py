"""A portfolio location: a file path or a PostgreSQL server portfolio (DESIGN.md section 16).

``postgresql://[user@][host][:port]/DATABASE?portfolio=NAME`` names portfolio NAME (one schema) in
DATABASE; libpq's other parameters (``sslmode``, ``host=/socket/dir``, ``service``…) pass through.
Passwords come only from libpq's own sources (``.pgpass``, ``PGPASSWORD``, a service file): a
location carrying one is refused, so none is ever stored or printed.

:func:`open_location` is what commands call instead of ``Store.open``; :func:`create_at` instead of
``Store.create``; :func:`copy_portfolio` copies a whole portfolio between any two locations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from pmodesk.store.errors import StoreError

SCHEMES = ("postgresql://", "postgres://")
PORTFOLIO_NAME = re.compile(r"[a-z0-9_]{1,40}")
RESERVED = {"public", "information_schema"}


class BadLocation(StoreError):
    """A server location that cannot be used as written (exit 2: a usage error)."""

    exit_code = 2


def is_server(text: str | Path) -> bool:
    return isinstance(text, str) and text.lower().startswith(SCHEMES)


def check_portfolio_name(name: str) -> str:
    if not PORTFOLIO_NAME.fullmatch(name) or name in RESERVED or name.startswith("pg_"):
        raise BadLocation(f"{name!r} cannot name a server portfolio: use lower-case letters, digits and _, at most "
                          "40 characters (not 'public' and not starting with 'pg_').")
    return name


@dataclass(frozen=True)
class ServerLocation:
    """A portfolio on a PostgreSQL server. ``params`` are libpq connection parameters, never a password."""

    portfolio: str
    params: tuple[tuple[str, str], ...]

    @property
    def database(self) -> str:
        return self.param("dbname") or self.param("user") or "postgres"

    def param(self, key: str) -> str | None:
        return dict(self.params).get(key)

    @property
    def label(self) -> str:
        """How the location is named to a person: portfolio and database, never credentials."""
        return f"{self.portfolio} in database {self.database}".replace("/", "∕")

    def display(self) -> str:
        """The location as a URL a person can read and paste back (no password, ever)."""
        p = dict(self.params)
        host = p.pop("host", None) or ""
        netloc = ""
        if "user" in p:
            netloc = quote(p.pop("user"), safe="") + "@"
        query: list[tuple[str, str]] = []
        if host.startswith("/") or "," in host:
            query.append(("host", host))
        else:
            netloc += host
        if "port" in p:
            port = p.pop("port")
            if host.startswith("/"):
                query.append(("port", port))
            else:
                netloc += f":{port}"
        database = p.pop("dbname", "")
        query += [("portfolio", self.portfolio)] + sorted(p.items())
        return urlunsplit(("postgresql", netloc, "/" + quote(database, safe=""), urlencode(query, safe="/"), ""))

    def conninfo(self) -> dict[str, str]:
        return dict(self.params)


def parse_server(text: str) -> ServerLocation:
    """Parse a ``postgresql://`` location with libpq's own parser; refuse a password or a missing portfolio."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    parts = urlsplit(text)
    query = parse_qsl(parts.query, keep_blank_values=True)
    portfolios = [v for k, v in query if k == "portfolio"]
    if len(portfolios) != 1:
        raise BadLocation("A server location names one portfolio: add ?portfolio=NAME to the postgresql:// URL.")
    if parts.password is not None or any(k == "password" for k, _ in query):
        raise BadLocation("A server location must not carry a password: put it in ~/.pgpass, PGPASSWORD or a "
                          "service file, where libpq finds it.")
    others = urlencode([(k, v) for k, v in query if k != "portfolio"])
    rest = f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?{others}" if others else "")
    try:
        params = conninfo_to_dict(rest)
    except ProgrammingError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "it cannot be parsed"
        raise BadLocation(f"The server location is not valid ({first}).") from None
    if "password" in params:
        raise BadLocation("A server location must not carry a password: put it in ~/.pgpass, PGPASSWORD or a "
                          "service file, where libpq finds it.")
    name = check_portfolio_name(portfolios[0])
    return ServerLocation(name, tuple(sorted((k, str(v)) for k, v in params.items() if v is not None)))


def parse_location(text: str | Path) -> Path | ServerLocation:
    return parse_server(text) if is_server(text) else Path(text)


def location_label(text: str | Path) -> str:
    """What a board pack's footer or a message names: the file's name, or portfolio and database."""
    where = parse_location(text)
    return where.label if isinstance(where, ServerLocation) else where.name


def open_location(text: str | Path, *, read_only: bool = False, password: str | None = None, **options: Any):
    """Open a portfolio file (``Store.open``) or a server portfolio (``ServerStore.open``).

    ``password`` (a server's, asked for by the window) is used for the connection only, never kept on disk.
    """
    where = parse_location(text)
    if isinstance(where, ServerLocation):
        from pmodesk.store.server import ServerStore

        return ServerStore.open(where, read_only=read_only, password=password, **options)
    from pmodesk.store.store import Store

    return Store.open(where, read_only=read_only, **options)


def create_at(text: str | Path, portfolio, *, replace_existing: bool = False,
              populate: Callable[[Any], None] | None = None, password: str | None = None, **options: Any):
    """Create a new portfolio at a location, all or nothing (``Store.create`` for a file)."""
    where = parse_location(text)
    if isinstance(where, ServerLocation):
        from pmodesk.store.server import ServerStore

        return ServerStore.create(where, portfolio, replace_existing=replace_existing, populate=populate,
                                  password=password, **options)
    from pmodesk.store.store import Store

    return Store.create(where, portfolio, replace_existing=replace_existing, populate=populate, **options)


def copy_portfolio(source: str | Path, destination: str | Path, *, replace: bool = False) -> None:
    """Copy a whole portfolio — every record, the rule history and the audit trail — between two locations."""
    if str(source) == str(destination) or (not is_server(source) and not is_server(destination)
                                           and Path(source).resolve() == Path(destination).resolve()):
        raise BadLocation("A portfolio cannot be copied onto itself.")
    with open_location(source, read_only=True) as store:
        copy_open(store, destination, replace=replace)


def same_place(store, destination: str | Path) -> bool:
    """Whether ``destination`` is where the open ``store`` is (a copy onto itself)."""
    location = getattr(store, "location", None)
    if is_server(destination):
        where = parse_server(str(destination))
        return location is not None and (where.portfolio, where.database, where.param("host"), where.param("port")) \
            == (location.portfolio, location.database, location.param("host"), location.param("port"))
    return location is None and Path(destination).resolve() == Path(store.path).resolve()


def copy_open(store, destination: str | Path, *, replace: bool = False, password: str | None = None) -> None:
    """Copy the portfolio of an open store (a file or a server's) to a location, all or nothing.

    ``password`` is the destination server's, when the window asked for one.
    """
    from dataclasses import replace as replaced

    from pmodesk.interchange.files import populate_from

    if same_place(store, destination):
        raise BadLocation("A portfolio cannot be copied onto itself.")
    data = store.load()
    audit = store.audit_entries()
    records = populate_from(data)

    def populate(target) -> None:
        records(target)
        with target.edit(audit=False) as edit:
            edit.insert_many(list(data.rule_changes))
            edit.insert_many(audit)

    portfolio = replaced(data.portfolio, id=None)
    create_at(destination, portfolio, replace_existing=replace, populate=populate, password=password).close()
