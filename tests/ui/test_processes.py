"""The window's child process (ui.processes, issue 16): value at risk and the frontier computed there are
the very numbers computed here, the child imports no Qt, and a child that cannot start or dies leaves
the work in the calling thread with the same answer. No Qt widgets here: the child is plain Python."""

from __future__ import annotations

import multiprocessing.spawn
import os
from dataclasses import fields
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from pmodesk.engine.frontier import portfolio_frontier
from pmodesk.engine.portfolio import compute
from pmodesk.engine.risk import risk_inputs, value_at_risk, value_at_risk_of
from pmodesk.store import Store
from pmodesk.ui import processes

from helpers import generated_file

# A year before the generator's as-of date: every initiative still accrues and its trends are recent.
AS_OF = date(2025, 10, 31)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    return generated_file(tmp_path_factory.mktemp("generated"), 30, 5, 50)  # forecasts to D


@pytest.fixture(autouse=True)
def own_child():
    """Each test starts with no child and leaves none behind."""
    processes.shutdown()
    yield
    processes.shutdown()


def result_of(path: Path):
    with Store.open(path, read_only=True) as store:
        data = store.load()
    return data, compute(data, AS_OF)


def assert_identical(got, expected) -> None:
    """Every field equal, and every run's value the same float, bit for bit."""
    for f in fields(expected):
        if f.name == "portfolio_runs":
            assert got.portfolio_runs.dtype == expected.portfolio_runs.dtype
            assert got.portfolio_runs.tobytes() == expected.portfolio_runs.tobytes()
        else:
            assert getattr(got, f.name) == getattr(expected, f.name), f.name


@pytest.mark.parametrize("which", ["demo", "generated"])
def test_value_at_risk_in_the_child_is_the_one_computed_here(which, demo_file, generated):
    data, result = result_of(demo_file if which == "demo" else generated)
    here = value_at_risk(result)
    before = processes.ran_in_child
    there = value_at_risk(result, run=processes.run)
    assert processes.ran_in_child == before + 1  # really computed in the child
    assert_identical(there, here)
    assert len(here.initiatives) > 3 and np.ptp(here.portfolio_runs) > 0  # a spread to compare, not zeros
    other = value_at_risk(result, runs=777, seed=5, run=processes.run)
    assert_identical(other, value_at_risk(result, runs=777, seed=5))


def test_the_frontier_in_the_child_is_the_one_computed_here(demo_file, generated):
    for path in (demo_file, generated):
        data, result = result_of(path)
        weight = data.portfolio.risk_weight
        before = processes.ran_in_child
        assert portfolio_frontier(result, weight, run=processes.run) == portfolio_frontier(result, weight)
        assert processes.ran_in_child == before + 1


def test_the_child_imports_the_engine_and_no_qt_and_yields_the_processor():
    import os

    import PySide6.QtCore  # noqa: F401 - loaded here, so the child would inherit it if it were forked

    assert processes.run(processes._modules, processes.WARM) == ()
    assert processes.run(os.nice, 0) == min(19, os.nice(0) + processes.NICENESS)  # a lower priority than ours
    assert processes.helper_threads() >= 1  # the pool's own threads, which the bench leaves out of "busy"


def test_an_error_in_the_child_is_raised_here(generated):
    data, result = result_of(generated)
    with pytest.raises(ValueError, match="runs must be"):
        processes.run(value_at_risk_of, risk_inputs(result), 0, 1)
    assert processes.run(value_at_risk_of, risk_inputs(result), 10, 1).runs == 10  # the child carries on


@pytest.mark.parametrize("executable", ["/nonexistent/python", "/bin/false"])
def test_a_child_that_cannot_start_or_dies_leaves_the_work_here(executable, generated, monkeypatch):
    """No interpreter to start (OSError), or one that exits at once (a broken pool): the answer comes from
    this thread, the same numbers, and the child is not tried again."""
    data, result = result_of(generated)
    expected = value_at_risk(result)
    processes.run(processes._modules, ())  # the resource tracker runs already, with the real interpreter
    processes.shutdown()
    monkeypatch.setattr(processes, "_failed", False)  # restored after the test: later tests get a child
    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", os.fsencode(executable))  # as set_executable stores it
    before = processes.ran_in_child
    assert_identical(value_at_risk(result, run=processes.run), expected)
    assert processes.ran_in_child == before and processes._failed and processes._pool is None
    processes.start()  # tried no more: nothing starts, nothing fails
    assert processes._pool is None


WINDOW_THAT_DIES = """
import os, sys, time
from pmodesk.ui import processes
processes.start()
pool = processes._executor()
deadline = time.monotonic() + 60
while not pool._processes and time.monotonic() < deadline:
    time.sleep(0.05)
print(*pool._processes, flush=True)
processes.run(len, (1, 2))  # the child is up and working
os._exit(0)  # ended without closing the window: no shutdown reaches the child
"""


def test_the_child_ends_when_the_window_process_dies():
    import os
    import subprocess
    import sys
    import time

    out = subprocess.run([sys.executable, "-c", WINDOW_THAT_DIES], capture_output=True, text=True, timeout=120)
    (pid,) = (int(p) for p in out.stdout.split())

    def alive() -> bool:
        try:
            with open(f"/proc/{pid}/status") as status:
                return "State:\tZ" not in status.read()
        except FileNotFoundError:
            return False

    deadline = time.monotonic() + 20
    while alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive()
