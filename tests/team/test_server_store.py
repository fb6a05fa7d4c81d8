"""The store on a PostgreSQL server: the file's tables in one schema per portfolio, exact numbers,
versioned like the file, faults as one sentence (DESIGN.md section 16)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pmodesk.domain import model
from pmodesk.domain.enums import Stage
from pmodesk.interchange.document import to_document
from pmodesk.store import CURRENT_VERSION, FileRefused
from pmodesk.store.location import BadLocation, copy_portfolio, create_at, open_location, parse_location
from pmodesk.store.server import ServerStore
from pmodesk.store.tables import DECIMAL, MONEY, SPECS

AMOUNTS = ["1234567.89", "0.10", "-0.01", "12345678901234.56", "92233720368547758.07", "-92233720368547758.07"]


def _schema(url: str) -> str:
    return parse_location(url).portfolio


def test_money_is_bigint_minor_units_and_decimals_are_text(pg_server, pg_portfolio):
    with create_at(pg_portfolio, model.Portfolio(name="Exact", currency="GBP")) as store:
        with store.edit() as edit:
            initiative = edit.insert(model.Initiative("I-1", "One", Stage.DELIVERY))
            for n, amount in enumerate(AMOUNTS):
                edit.insert(model.CostActual(initiative, date(2026, 1, 1 + n), Decimal(amount)))
        assert [a.amount for a in store.load().cost_actuals] == [Decimal(a) for a in AMOUNTS]
    schema = _schema(pg_portfolio)
    types = dict(pg_server.execute(
        f"SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
        f"WHERE table_schema = '{schema}'"))
    for spec in SPECS.values():
        for column, kind in spec.fields.items():
            if kind == MONEY:
                assert types[f"{spec.name}.{column}"] == "bigint", (spec.name, column)
            if kind == DECIMAL:
                assert types[f"{spec.name}.{column}"] == "text", (spec.name, column)
    stored = pg_server.execute(f'SELECT amount FROM "{schema}".cost_actual ORDER BY id')
    assert [r[0] for r in stored] == [int(Decimal(a) * 100) for a in AMOUNTS]


def test_copy_keeps_every_record_ids_rule_history_and_audit_trail(demo_file, pg_portfolio, tmp_path):
    with open_location(demo_file) as store:  # an audit entry and a rule change to carry over
        store.update("initiative", store.load().initiatives[0].id, name="Renamed before the copy")
        original, audit = store.load(), store.audit_entries()
    copy_portfolio(demo_file, pg_portfolio)
    with open_location(pg_portfolio, read_only=True) as server:
        assert server.load() == original
        assert server.audit_entries() == audit
        assert server.schema_version() == CURRENT_VERSION
    back = tmp_path / "back.pmodesk"
    copy_portfolio(pg_portfolio, back)
    with open_location(back) as copy:
        assert copy.load() == original and copy.integrity_problems() == []
        new_id = copy.insert(model.Objective("OBJ-NEXT", "Next"))
    with open_location(pg_portfolio) as server:  # ids continue after the copied rows on the server too
        assert server.insert(model.Objective("OBJ-NEXT", "Next")) == new_id


def test_copy_is_all_or_nothing_and_needs_replace_for_an_existing_portfolio(demo_file, pg_server, pg_portfolio):
    from pmodesk.store import TargetExists

    copy_portfolio(demo_file, pg_portfolio)
    with pytest.raises(TargetExists, match="already exists"):
        copy_portfolio(demo_file, pg_portfolio)
    copy_portfolio(demo_file, pg_portfolio, replace=True)
    bad = pg_portfolio.replace("portfolio=", "portfolio=x")
    schema = _schema(bad)
    pg_server.execute(f'CREATE SCHEMA "{schema}"', f'CREATE TABLE "{schema}".initiative (id int)')
    with pytest.raises(TargetExists, match="no pmodesk portfolio"):
        copy_portfolio(demo_file, bad)
    assert pg_server.execute(f"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{schema}'") \
        == [(1,)]


def test_a_newer_server_schema_is_refused_naming_both_versions(demo_file, pg_server, pg_portfolio):
    copy_portfolio(demo_file, pg_portfolio)
    pg_server.execute(f'UPDATE "{_schema(pg_portfolio)}".pmodesk_schema SET version = 99')
    with pytest.raises(FileRefused, match=f"schema version 99.*up to {CURRENT_VERSION}"):
        open_location(pg_portfolio)


def test_location_parsing_passes_libpq_parameters_and_refuses_passwords():
    where = parse_location("postgresql://ann@db.example.org:6543/pmo?portfolio=acme&sslmode=require")
    assert where.portfolio == "acme" and where.database == "pmo"
    assert dict(where.params) == {"user": "ann", "host": "db.example.org", "port": "6543", "dbname": "pmo",
                                  "sslmode": "require"}
    assert where.display() == "postgresql://ann@db.example.org:6543/pmo?portfolio=acme&sslmode=require"
    socket = parse_location("postgresql:///pmo?host=/run/pg&portfolio=acme")
    assert socket.param("host") == "/run/pg" and "host=/run/pg" in socket.display()
    for bad, why in [("postgresql://ann:secret@db/pmo?portfolio=acme", "password"),
                     ("postgresql://ann@db/pmo?portfolio=acme&password=secret", "password"),
                     ("postgresql://ann@db/pmo", "portfolio=NAME"),
                     ("postgresql://ann@db/pmo?portfolio=Acme-1", "lower-case"),
                     ("postgresql://ann@db/pmo?portfolio=public", "lower-case"),
                     (f"postgresql://ann@db/pmo?portfolio={'a' * 41}", "40")]:
        with pytest.raises(BadLocation, match=why) as refused:
            parse_location(bad)
        assert "secret" not in str(refused.value)


def test_faults_are_one_sentence_and_exit_3(pg_server, pg_portfolio, monkeypatch):
    from pg import PASSWORD_ROLE

    cases = [
        (pg_portfolio, "There is no portfolio"),
        (pg_server.url("acme", database="nosuchdb"), 'database "nosuchdb" does not exist'),
        (pg_portfolio.replace(str(pg_server.port), "1"), "cannot be opened"),
        (pg_server.url("acme", user=PASSWORD_ROLE), "password authentication failed"),
    ]
    monkeypatch.setenv("PGPASSWORD", "wrong-password")
    for url, message in cases:
        with pytest.raises(FileRefused, match=message) as refused:
            ServerStore.open(parse_location(url))
        text = str(refused.value)
        assert refused.value.exit_code == 3 and "\n" not in text and "wrong-password" not in text


def test_a_generated_portfolio_gives_identical_metrics_from_the_server(pg_portfolio, tmp_path):
    import json
    import sys
    from pathlib import Path

    from pmodesk.engine.portfolio import compute
    from pmodesk.engine.presentation import metrics_json

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import AS_OF, generate

    source = tmp_path / "generated.pmodesk"
    generate(source, initiatives=40, benefits_each=4, measurements_each=24)
    copy_portfolio(source, pg_portfolio)
    answers = []
    for where in (source, pg_portfolio):
        with open_location(where, read_only=True) as store:
            answers.append(json.dumps(metrics_json(compute(store.load(), AS_OF)), indent=2))
    assert answers[0] == answers[1] and '"initiatives"' in answers[0]


def _columns_and_constraints(pg_server, schema):
    columns = pg_server.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        f"WHERE table_schema = '{schema}' ORDER BY 1, 2")
    constraints = pg_server.execute(
        "SELECT conrelid::regclass::text, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE connamespace = '{schema}'::regnamespace ORDER BY 1, 2, 3")
    triggers = pg_server.execute(f"SELECT event_object_table, trigger_name, event_manipulation FROM "
                                 f"information_schema.triggers WHERE trigger_schema = '{schema}' ORDER BY 1, 2, 3")
    return columns, [(t.split(".")[-1], k, d) for t, k, d in constraints], triggers


def test_an_older_server_schema_is_upgraded_by_its_owner_in_one_step(demo_file, pg_server, pg_portfolio):
    copy_portfolio(demo_file, pg_portfolio)
    schema = _schema(pg_portfolio)
    fresh = _columns_and_constraints(pg_server, schema)
    # What a version-2 portfolio lacked: the commentary table and the scenario overrides' fund_from.
    pg_server.execute(f'DROP TABLE "{schema}".commentary',
                      f'ALTER TABLE "{schema}".scenario_override DROP COLUMN fund_from',
                      f'UPDATE "{schema}".pmodesk_schema SET version = 2',
                      "DO $$ BEGIN CREATE ROLE frank LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                      f'GRANT USAGE ON SCHEMA "{schema}" TO frank',
                      f'GRANT SELECT, UPDATE ON ALL TABLES IN SCHEMA "{schema}" TO frank')
    with pytest.raises(FileRefused, match=f"schema version 2 .* needs {CURRENT_VERSION}: its owner \\(pmodesk_admin\\)"):
        open_location(pg_portfolio.replace("pmodesk_admin@", "frank@"))
    with pytest.raises(FileRefused, match="owner"):
        open_location(pg_portfolio, read_only=True)
    with open_location(pg_portfolio) as store:
        assert store.status.migrated_from == 2 and store.schema_version() == CURRENT_VERSION
        assert f"upgraded from schema version 2 to {CURRENT_VERSION}" in " ".join(store.status.messages())
        data = store.load()
        assert data.commentary == () and all(o.fund_from is None for o in data.scenario_overrides)
    assert _columns_and_constraints(pg_server, schema) == fresh
