"""A failed edit leaves the file as it was (issue 12, item 3): disk full and I/O errors, for real.

A small private tmpfs gives a disk that really fills up (ENOSPC); where mounting is not allowed, the
write error is checked with ``RLIMIT_FSIZE`` in a child process (EFBIG, an I/O error to SQLite).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import run_cli, sha256
from pmodesk.domain.model import Measurement
from pmodesk.store import NotSaved, Store


@pytest.fixture
def small_disk(tmp_path):
    """An 8 MB tmpfs of our own, unmounted afterwards."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m,mode=0755", "tmpfs", str(mount_point)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("a private tmpfs cannot be mounted here (the RLIMIT_FSIZE test covers disk full)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path, leave: int, name: str = "filler") -> Path:
    """Fill the disk, leaving about ``leave`` bytes free; return the filler file to delete later."""
    filler = disk / name
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    if leave:
        with open(filler, "r+b") as handle:
            handle.truncate(max(0, filler.stat().st_size - leave))
    return filler


def _many(benefit_id: int, n: int, source: str) -> list[Measurement]:
    return [Measurement(benefit_id, date(2032, 1, 1) + timedelta(days=i), Decimal(i) / 7, source, "x" * 40)
            for i in range(n)]


@pytest.mark.parametrize("leave", [0, 200_000], ids=["journal cannot grow", "file cannot grow"])
def test_edit_on_a_full_disk_is_not_saved_and_leaves_the_file_as_it_was(demo_master, small_disk, leave):
    path = small_disk / "demo.pmodesk"
    shutil.copyfile(demo_master, path)
    with Store.open(path) as store:
        benefit = store.load().benefits[0].id
        before, size = sha256(path), path.stat().st_size
        filler = _fill(small_disk, leave)
        with pytest.raises(NotSaved) as refused:
            with store.edit() as edit:
                edit.insert_many(_many(benefit, 20_000, "month end"))
        assert str(refused.value) == "Not saved: the disk is full; demo.pmodesk is unchanged."
        assert refused.value.exit_code == 6
        assert not store._raw.in_transaction
        assert not path.with_name("demo.pmodesk-journal").exists() or \
            path.with_name("demo.pmodesk-journal").stat().st_size == 0
        assert sha256(path) == before and path.stat().st_size == size
        filler.unlink()  # space freed: the next edit works on the same open store
        with store.edit() as edit:
            edit.insert_many(_many(benefit, 20_000, "month end"))
        assert sum(m.source == "month end" for m in store.load().measurements) == 20_000
    assert not path.with_name("demo.pmodesk-journal").exists()


def test_cli_on_a_full_disk_prints_one_sentence_and_exits_6(demo_master, small_disk, tmp_path):
    path = small_disk / "demo.pmodesk"
    shutil.copyfile(demo_master, path)
    with Store.open(path) as store:
        data = store.load()
    csv = tmp_path / "month.csv"
    benefit = data.benefits[0].code
    csv.write_text("benefit,date,value,source,note\n" + "".join(
        f"{benefit},{date(2032, 1, 1) + timedelta(days=i)},{i},month end,{'n' * 60}\n" for i in range(30_000)))
    before = sha256(path)
    _fill(small_disk, 100_000)
    result = run_cli("measurements", "import", path, csv)
    assert result.returncode == 6, result.stderr
    assert result.stderr.strip() == "Not saved: the disk is full; demo.pmodesk is unchanged."
    assert sha256(path) == before
    _fill(small_disk, 0, "more filler")
    exported = run_cli("export", path, small_disk / "out.xlsx")
    assert exported.returncode == 6, exported.stderr
    assert len(exported.stderr.strip().splitlines()) == 1 and "out.xlsx could not be written" in exported.stderr
    assert "Traceback" not in exported.stderr
    assert not (small_disk / "out.xlsx").exists()
    assert [p.name for p in small_disk.iterdir() if p.name.startswith(".")] == []  # no temporary left
    assert {p.name for p in small_disk.iterdir()} == {"demo.pmodesk", "filler", "more filler"}


FSIZE_CHILD = textwrap.dedent("""
    import resource, signal, sys
    from datetime import date, timedelta
    from decimal import Decimal
    from pmodesk.domain.model import Measurement
    from pmodesk.store import NotSaved, Store
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing us
    store = Store.open(sys.argv[1])
    benefit = store.load().benefits[0].id
    rows = [Measurement(benefit, date(2032, 1, 1) + timedelta(days=i), Decimal(i), "limit", "y" * 40)
            for i in range(20000)]
    size = store.path.stat().st_size
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 40960, hard))
    try:
        with store.edit() as edit:
            edit.insert_many(rows)
        print("saved?!", flush=True)
    except NotSaved as error:
        print(error, "|", store._raw.in_transaction, flush=True)
    sys.stdin.readline()  # the test looks at the file now
    resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    with store.edit() as edit:
        edit.insert_many(rows)
    store.close()
    print("saved", flush=True)
""")


def test_write_error_from_the_file_size_limit_is_not_saved_and_the_file_kept(demo_file):
    # Past RLIMIT_FSIZE a write fails with EFBIG, which SQLite reports as an I/O error.
    before, size = sha256(demo_file), demo_file.stat().st_size
    child = subprocess.Popen([sys.executable, "-c", FSIZE_CHILD, str(demo_file)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == ("Not saved: the disk reported an input/output error; "
                                                 "demo.pmodesk is unchanged. | False")
        assert sha256(demo_file) == before and demo_file.stat().st_size == size
        journal = demo_file.with_name("demo.pmodesk-journal")
        assert not journal.exists() or journal.read_bytes()[:1] in (b"", b"\0")
        child.stdin.write("go on\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "saved"
    finally:
        child.kill() if child.poll() is None else None
        child.wait(timeout=30)
    with Store.open(demo_file) as store:
        assert sum(m.source == "limit" for m in store.load().measurements) == 20_000
