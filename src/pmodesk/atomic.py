"""Writing a file so that no partial file is ever left at its destination (DESIGN.md section 3)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def atomic_destination(destination: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``destination``; on success it is synced and renamed into place,
    on any failure it is removed and the destination is left as it was."""
    destination = Path(destination)
    directory = destination.resolve().parent
    fd, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        temp.replace(destination)
        fsync_directory(directory)
    finally:
        temp.unlink(missing_ok=True)
