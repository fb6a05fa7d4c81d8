"""Writing a file so that no partial file is ever left at its destination (DESIGN.md section 3).

A temporary file is made private (0600) by ``mkstemp``; before it is renamed into place it gets the
permissions a colleague expects: those of the file it replaces, else the usual ones for the user's
umask (0644 under 022), as any program that simply created the file would give it.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def current_umask() -> int:
    try:  # Linux tells without changing it (changing it is not thread-safe)
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def usual_mode(destination: Path) -> int:
    """The mode a new file at ``destination`` should have: the replaced file's, else 0666 & ~umask."""
    try:
        return stat.S_IMODE(os.stat(destination).st_mode)
    except OSError:
        return 0o666 & ~current_umask()


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
        os.chmod(temp, usual_mode(destination))
        temp.replace(destination)
        fsync_directory(directory)
    finally:
        temp.unlink(missing_ok=True)
