"""Mutated portfolio files: refused with a sentence (and left unchanged) or opened as a valid
portfolio; never a traceback, never a hang (issue 12, item 10). The importer's own fuzzing of JSON
and workbook bytes lives with the interchange tests."""

from __future__ import annotations

import hashlib
import os
import signal
from contextlib import contextmanager
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmodesk.store import StoreError

EXAMPLES = int(os.environ.get("PMODESK_SOAK_EXAMPLES", "120"))


class Hang(Exception):
    pass


@contextmanager
def watchdog(seconds: int):
    def fire(signum, frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class _Original(dict):
    def __repr__(self) -> str:  # a failing example's report names the file, not its 200 kB
        return "<the demo portfolio's bytes>"


_PRISTINE = _Original()


@pytest.fixture
def pristine(demo_master):
    _PRISTINE.setdefault("demo", demo_master.read_bytes())
    return _PRISTINE


def _mutations(size: int):
    anywhere = st.integers(0, size - 1)
    header = st.integers(0, 99)
    page_start = st.integers(0, size // 4096 - 1).map(lambda page: page * 4096 + (100 if page == 0 else 0))
    position = st.one_of(header, page_start, anywhere, page_start.map(lambda p: p + 8))
    return st.tuples(
        st.lists(st.tuples(position, st.integers(0, 255)), min_size=1, max_size=12),
        st.one_of(st.none(), st.integers(0, size)),  # truncate to this length
    )


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_portfolio_file_is_refused_unchanged_or_opens_valid(pristine, tmp_path_factory, data):
    from pmodesk.engine.portfolio import compute
    from pmodesk.store import Store

    original = pristine["demo"]
    changes, truncate_to = data.draw(_mutations(len(original)))
    mutated = bytearray(original)
    for offset, value in changes:
        mutated[offset] = value
    if truncate_to is not None:
        del mutated[truncate_to:]
    path = tmp_path_factory.mktemp("mutated") / "received.pmodesk"
    path.write_bytes(bytes(mutated))
    digest = hashlib.sha256(mutated).hexdigest()
    for read_only in (True, False):
        try:
            with watchdog(30), Store.open(path, read_only=read_only) as store:
                portfolio = store.load()
                store.check_damage()
                result = compute(portfolio, date(2026, 10, 31))
                assert result.currency == portfolio.portfolio.currency
        except StoreError as error:
            message = str(error)
            assert message and "\n" not in message and "Traceback" not in message
            assert error.exit_code in (3, 5, 6), (error.exit_code, message)
            if read_only or error.exit_code == 3:
                assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, message
        if read_only:
            assert hashlib.sha256(path.read_bytes()).hexdigest() == digest  # a read never writes
