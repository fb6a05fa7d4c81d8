"""``make bench``: speed as ratios against a floor measured in the same run (DESIGN.md section 14).

Never asserted by a test; printed for a person to read.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from generate import AS_OF, generate  # noqa: E402

from pmodesk.engine.portfolio import compute  # noqa: E402
from pmodesk.store import Store  # noqa: E402

LARGE = Path(__file__).resolve().parent.parent / "build" / "bench-large.pmodesk"


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def read_all_rows() -> None:
    conn = sqlite3.connect(f"file:{LARGE}?mode=ro", uri=True)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
    for table in tables:
        conn.execute(f"SELECT * FROM {table}").fetchall()
    conn.close()


def open_and_load():
    with Store.open(LARGE, read_only=True) as store:
        return store.load()


def open_load_compute() -> None:
    compute(open_and_load(), AS_OF)


def main() -> None:
    LARGE.parent.mkdir(exist_ok=True)
    if not LARGE.exists():
        print("generating the large portfolio (500 initiatives, 5,000 benefits, 250,000 measurements) …")
        generate(LARGE)
    floor = best_of(5, read_all_rows)
    load = best_of(3, open_and_load)
    data = open_and_load()
    metrics = best_of(3, lambda: compute(data, AS_OF))
    total = best_of(5, open_load_compute)
    print(f"floor: plain sqlite3 reads every row                 {floor * 1000:8.0f} ms")
    print(f"open + load (store → domain records)                 {load * 1000:8.0f} ms  {load / floor:5.1f}× floor")
    print(f"compute every figure at one as-of date               {metrics * 1000:8.0f} ms  {metrics / floor:5.1f}× floor")
    print(f"open + load + compute (goal ≤ 5× floor)              {total * 1000:8.0f} ms  {total / floor:5.1f}× floor")
    bench_metrics_command()
    bench_growth()
    bench_optimiser(data)
    bench_frontier_and_risk(data)
    bench_server(total)
    bench_board_pack()
    bench_window()
    bench_edits()


FLOOR_SCRIPT = """
import sqlite3, sys
conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
for (table,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall():
    conn.execute(f"SELECT * FROM {table}").fetchall()
"""


def whole_process(args: list[str]) -> float:
    """Wall time of one fresh interpreter running ``args`` (imports included), output discarded."""
    import subprocess

    start = time.perf_counter()
    subprocess.run([sys.executable, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def floor_and_metrics(path: Path, runs: int, reference: bool = False) -> tuple[float, float, float | None]:
    """Best whole-process times of the floor (the same python3, standard-library sqlite3, SELECT *
    with fetchall of every table) and of ``pmodesk metrics FILE --json`` (and its reference path),
    interleaved so that both see the same machine."""
    metrics = ["-m", "pmodesk", "metrics", str(path), "--as-of", AS_OF.isoformat(), "--json"]
    floor = fast = slow = float("inf")
    for _ in range(runs):
        floor = min(floor, whole_process(["-c", FLOOR_SCRIPT, str(path)]))
        fast = min(fast, whole_process(metrics))
        if reference:
            slow = min(slow, whole_process(metrics + ["--reference"]))
    return floor, fast, slow if reference else None


def bench_metrics_command() -> None:
    """Issue 16, item 1: the whole ``pmodesk metrics --json`` process on the large portfolio."""
    floor, fast, slow = floor_and_metrics(LARGE, 5, reference=True)
    print(f"floor: python3 + sqlite3 SELECT * fetchall of every table, whole process  {floor * 1000:8.0f} ms")
    print(f"pmodesk metrics --json, whole process (goal ≤ 2× floor, at most 2.5×)    {fast * 1000:8.0f} ms  "
          f"{fast / floor:5.2f}× floor")
    print(f"  the same through the reference path (--reference: Store.load, compute) {slow * 1000:8.0f} ms  "
          f"{slow / floor:5.2f}× floor")


def bench_growth() -> None:
    """Issue 16, item 5: metrics on 50, 500 and 2,000 initiatives (10 benefits and 50 measurements
    each). Time per measurement falls towards a constant as the fixed start-up (interpreter,
    imports, file checks) is spread over more rows; the cost of each further measurement (the
    difference between two sizes) is what shows whether it grows linearly."""
    previous = None
    for initiatives in (50, 500, 2000):
        path = LARGE if initiatives == 500 else LARGE.with_name(f"bench-{initiatives}.pmodesk")
        if not path.exists():
            print(f"generating {initiatives} initiatives …")
            generate(path, initiatives=initiatives)
        measurements = initiatives * 10 * 50
        floor, fast, _ = floor_and_metrics(path, 3)
        marginal = ""
        if previous is not None:
            extra = (fast - previous[1]) / (measurements - previous[0]) * 1e6
            marginal = f"; each further measurement {extra:5.2f} µs"
        print(f"metrics, {initiatives:5,} initiatives ({measurements:9,} measurements): {fast * 1000:7.0f} ms = "
              f"{fast / measurements * 1e6:5.2f} µs per measurement ({fast / floor:4.2f}× its floor){marginal}")
        previous = (measurements, fast)


def bench_server(file_total: float) -> None:
    """Team mode: open + load + compute the large portfolio from a throwaway PostgreSQL server, as a
    ratio to the same from the file (and the two metrics JSON objects compared)."""
    import json

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import pg

    from pmodesk.engine.presentation import metrics_json
    from pmodesk.store.location import copy_portfolio, open_location

    try:
        server = pg.start()
    except pg.Unavailable as why:
        print(f"server: not measured ({why})")
        return
    try:
        url = server.url("bench_large")
        took = best_of(1, lambda: copy_portfolio(LARGE, url))

        def from_server():
            with open_location(url, read_only=True) as store:
                return compute(store.load(), AS_OF)

        remote = best_of(3, from_server)
        same = json.dumps(metrics_json(from_server())) == json.dumps(metrics_json(compute(open_and_load(), AS_OF)))
        print(f"server: open + load + compute from PostgreSQL (socket) {remote * 1000:8.0f} ms  "
              f"{remote / file_total:5.1f}× the file  (metrics identical: {'yes' if same else 'NO'}; "
              f"copy to the server {took:.1f} s)")
    finally:
        server.stop()


def bench_optimiser(data) -> None:
    import random
    from decimal import Decimal

    from pmodesk.engine.optimiser import Candidate, candidates, optimise

    result = compute(data, AS_OF)
    pool = candidates(list(result.initiatives), data.portfolio.currency, Decimal(0))
    budget = sum(c.cost for c in pool) // 3
    real = best_of(3, lambda: optimise(pool, budget))
    rng = random.Random(11)
    synthetic = [Candidate(f"I{n:03d}", rng.randrange(10**5, 10**8), rng.randrange(10**5, 10**8)) for n in range(500)]
    synthetic_budget = sum(c.cost for c in synthetic) // 3
    hard = best_of(3, lambda: optimise(synthetic, synthetic_budget))
    floor = best_of(3, lambda: sorted(synthetic, key=lambda c: c.value / c.cost))  # a greedy's sort
    print(f"optimise {len(pool)} candidates of the large portfolio (exact)  {real * 1000:8.1f} ms")
    print(f"optimise 500 random initiatives (exact; goal well under 1 s)  {hard * 1000:8.1f} ms  "
          f"{hard / floor:7.0f}× a greedy's sort")


def bench_frontier_and_risk(data) -> None:
    from decimal import Decimal

    import numpy as np

    from pmodesk.engine.frontier import portfolio_frontier
    from pmodesk.engine.risk import value_at_risk

    result = compute(data, AS_OF)
    frontier = best_of(3, lambda: portfolio_frontier(result, Decimal(0)))
    one = best_of(3, lambda: portfolio_frontier(result, Decimal(0), steps=1))
    risk = best_of(3, lambda: value_at_risk(result))
    benefits = sum(1 for b in result.benefits if b.forecast is not None)
    def draw_normals() -> None:  # the two normals per benefit and run, in blocks as value_at_risk draws them
        rng = np.random.default_rng(1)
        for _ in range(0, 2 * 10_000 * benefits, 2_000_000):
            rng.standard_normal(2_000_000)

    floor = best_of(3, draw_normals)
    print(f"frontier, 26 budgets + current plan + cost gap (exact)       {frontier * 1000:8.1f} ms  "
          f"{frontier / one:5.1f}× a 2-budget frontier")
    print(f"value at risk, 10,000 runs × {benefits} forecast benefits      {risk * 1000:8.1f} ms  "
          f"{risk / floor:5.1f}× drawing its normals alone (goal: a few seconds)")


def bench_board_pack() -> None:
    import tempfile

    from reportlab.pdfgen.canvas import Canvas

    from pmodesk.boardpack.document import build_board_pack, default_options

    folder = Path(tempfile.mkdtemp())
    small = folder / "twenty.pmodesk"
    generate(small, initiatives=20, benefits_each=3, measurements_each=24)
    with Store.open(small, read_only=True) as store:
        data = store.load()
    pages = [0]

    def pack():
        pages[0] = build_board_pack(data, folder / "pack.pdf", default_options(data, AS_OF, file_name=small.name))

    took = best_of(3, pack)

    def plain_pages():
        canvas = Canvas(str(folder / "plain.pdf"))
        for n in range(pages[0]):
            canvas.setFont("Helvetica", 10)
            for line in range(50):
                canvas.drawString(72, 770 - 14 * line, f"Plain page {n}, line {line}: the quick brown fox")
            canvas.showPage()
        canvas.save()

    floor = best_of(3, plain_pages)
    print(f"board pack, 20 initiatives: {pages[0]} pages in {took * 1000:.0f} ms = {pages[0] / took:5.1f} pages/s "
          f"(goal ≥ 5); {took / floor:4.1f}× reportlab writing as many plain pages")
    with Store.open(LARGE, read_only=True) as store:
        large = store.load()
    for suffix, unit in ((".pdf", "pages"), (".pptx", "slides")):
        count = [0]

        def large_pack():
            count[0] = build_board_pack(large, folder / f"large{suffix}",
                                        default_options(large, AS_OF, file_name=LARGE.name))

        took = best_of(1, large_pack)
        goal = " (goal ≥ 20)" if suffix == ".pdf" else ""
        print(f"board pack {suffix[1:].upper():4}, 500 initiatives: {count[0]} {unit} in {took:.1f} s = "
              f"{count[0] / took:5.1f} {unit}/s{goal}")


def bench_window() -> None:
    """Issue 16, items 2 and 4: the window, each figure beside its floor measured in the same run."""
    import json
    import subprocess
    import tempfile

    from pmodesk.demo import write_demo

    import compileall
    import os

    import pmodesk

    # As installed: pip compiles an application's modules when it installs them (and PyInstaller bundles
    # them compiled), so every window below starts from bytecode, as Python's and PySide6's own modules do.
    compileall.compile_dir(str(Path(pmodesk.__file__).parent), quiet=1)
    folder = Path(tempfile.mkdtemp())
    demo = folder / "demo.pmodesk"
    write_demo(demo).close()
    script = str(Path(__file__).with_name("window.py"))
    quiet = {"stdout": subprocess.PIPE, "stderr": subprocess.DEVNULL, "text": True, "check": True}
    fresh_runs = iter(range(1_000_000))

    def run(*args, cache: Path | None = None):
        """One window in its own process, with settings of its own, keeping figures in ``cache`` (else in a
        new, empty cache folder): never in the user's own settings or cache folder."""
        own = folder / f"run-{next(fresh_runs)}"  # its settings (and cache, unless given) start empty
        own.mkdir()
        env = {**os.environ, "PMODESK_CACHE_DIR": str(cache or own / "cache"), "PMODESK_BENCH_FOLDER": str(own)}
        return subprocess.run([sys.executable, script, *args], env=env, **quiet)

    kept = folder / "kept"
    run("large-prime", str(LARGE), cache=kept)  # the first launch on the large file keeps its figures
    empty = first = ours = large = uncached = float("inf")
    for _ in range(3):  # interleaved, so that every figure and its floor see the same machine
        empty = min(empty, best_of(1, lambda: run("empty")))
        first = min(first, best_of(1, lambda: run("first-paint", str(demo))))
        ours = min(ours, best_of(1, lambda: run("demo", str(demo))))
        large = min(large, best_of(1, lambda: run("large", str(LARGE), cache=kept)))
        uncached = min(uncached, best_of(1, lambda: run("large", str(LARGE))))
    print(f"floor: an empty PySide6 window, process start to first paint      {empty * 1000:8.0f} ms")
    print(f"window first paint (the file opens after; goal ≤ 1.5×)             {first * 1000:8.0f} ms  "
          f"{first / empty:5.2f}× the empty window")
    print(f"demo portfolio's figures on screen, from process start             {ours * 1000:8.0f} ms  "
          f"{ours / empty:5.2f}× the empty window")
    print(f"large portfolio's health table with figures, from process start, second launch (the first kept "
          f"its figures in the figure cache; goal ≤ 4×) {large * 1000:8.0f} ms  {large / empty:5.2f}× the empty window")
    print(f"large portfolio's health table with figures, from process start, first launch (nothing kept)   "
          f"{uncached * 1000:8.0f} ms  {uncached / empty:5.2f}× the empty window")
    figures = json.loads(run("actions", str(LARGE)).stdout.strip().splitlines()[-1])
    print(f"large portfolio, every tab visited and the Measurements register sorted: resident memory "
          f"{figures['rss_mb']:.0f} MB now, {figures['peak_rss_mb']:.0f} MB at its peak (goal ≤ 400 MB)")
    print(f"  its {figures['children']} child processes (value at risk and the frontier; multiprocessing's resource "
          f"tracker) {figures['children_rss_mb']:.0f} MB now, {figures['children_peak_rss_mb']:.0f} MB at their peak; "
          f"the whole: {figures['rss_mb'] + figures['children_rss_mb']:.0f} MB now")
    print("worst UI-thread time of each action on the large portfolio (goal < 16 ms; heavy work runs in workers):")
    for action, worst in figures["worst_ms"].items():
        at = figures.get("worst_at", {}).get(action)
        mark = ("" if worst < 16 else "   ← over 16 ms") + (f" ({at})" if at and worst >= 16 else "")
        print(f"  {action:<60} {worst:7.1f} ms{mark}")


def bench_edits() -> None:
    """An edit in the window on the large file (bench/window_edits.py, in its own process)."""
    import subprocess

    script = str(Path(__file__).with_name("window_edits.py"))
    import os
    import tempfile

    cache = {**os.environ, "PMODESK_CACHE_DIR": tempfile.mkdtemp()}  # never the user's own cache folder
    out = subprocess.run([sys.executable, script, str(LARGE)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True, check=True, env=cache).stdout.split()
    cell, figures, visible, switched, measured, commit, whole = (float(v) for v in out[:7])
    print(f"large file, an edit typed in the Initiative tab (best of {out[7]}): the cell shows the new value in "
          f"{cell:.0f} ms; its figures are recomputed (that initiative and the portfolio sums) in {figures:.0f} ms "
          "(goal ≤ 100 ms)")
    print(f"large file, the edited initiative's row in the health table: {visible:.0f} ms with the table on screen, "
          f"{switched:.0f} ms including the switch to the Portfolio tab (goal ≤ 100 ms)")
    print(f"large file, a new measurement recorded: its figures in {measured:.0f} ms (goal ≤ 100 ms)")
    print(f"  floor: the edit's own committed transaction {commit:.1f} ms; the whole way (read the file, compute "
          f"every figure) {whole:.0f} ms = {whole / max(figures, 1e-9):.0f}× the incremental way")


if __name__ == "__main__":
    if sys.argv[1:] == ["window"]:  # `python bench/run.py window`: the window's figures alone
        LARGE.parent.mkdir(exist_ok=True)
        if not LARGE.exists():
            generate(LARGE)
        bench_window()
    else:
        main()
