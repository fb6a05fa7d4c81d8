"""The edit lock: a small file beside the document saying who is editing it.

A lock row inside the portfolio would travel with an emailed copy, so the lock is a sidecar,
``NAME.pmodesk.lock``, created atomically (hard link of a fully written temporary file, or
``O_EXCL`` where the file system has no hard links). It records host, user, process and since
when. A lock left by a dead process on this host is stale and is taken over; a lock from another
host is never taken over silently (DESIGN.md section 3). The lock also records this boot's id and the
process's start time, so a lock left before a reboot is stale even when its process id has since been
given to another process, and the document's device and inode, so a second name for the same file (a
hard link) finds the lock taken under the first name.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

# Temporary files of an attempt that was killed half-way are swept after this long.
_LEFTOVER_SECONDS = 60


@dataclass(frozen=True)
class LockInfo:
    host: str
    user: str
    pid: int
    since: datetime
    token: str
    boot_id: str | None = None
    start_time: int | None = None  # the process's start, in clock ticks after boot (Linux)
    device: int | None = None  # the locked document's st_dev and st_ino
    inode: int | None = None

    def describe(self) -> str:
        since = self.since.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{self.user} on {self.host} (process {self.pid}) since {since}"

    def to_json(self) -> str:
        data = {"app": "pmodesk", "host": self.host, "user": self.user, "pid": self.pid,
                "since": self.since.isoformat(timespec="seconds"), "token": self.token}
        optional = {"boot_id": self.boot_id, "start_time": self.start_time, "device": self.device,
                    "inode": self.inode}
        data.update({k: v for k, v in optional.items() if v is not None})
        return json.dumps(data)

    @staticmethod
    def from_json(text: str) -> "LockInfo":
        data = json.loads(text)
        since = datetime.fromisoformat(data["since"])
        if since.tzinfo is None:
            raise ValueError("since has no offset")

        def number(key: str) -> int | None:
            value = data.get(key)
            return None if value is None else int(value)

        boot_id = data.get("boot_id")
        return LockInfo(
            host=str(data["host"]), user=str(data["user"]), pid=int(data["pid"]), since=since,
            token=str(data.get("token", "")), boot_id=None if boot_id is None else str(boot_id),
            start_time=number("start_time"), device=number("device"), inode=number("inode"),
        )

    def names(self, stat: os.stat_result) -> bool:
        """Whether this lock was taken on the file ``stat`` describes (under any of its names)."""
        return self.device == stat.st_dev and self.inode == stat.st_ino


def lock_path(document: Path) -> Path:
    return document.with_name(document.name + ".lock")


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown user"


def boot_id() -> str | None:
    """This boot's id (Linux); ``None`` where the system does not give one."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip() or None
    except OSError:
        return None


def boot_time() -> datetime | None:
    try:
        for line in Path("/proc/stat").read_text().splitlines():
            if line.startswith("btime "):
                return datetime.fromtimestamp(int(line.split()[1]), timezone.utc)
    except (OSError, ValueError):
        pass
    try:  # elsewhere: now minus the monotonic clock, which counts from boot on macOS and Windows
        return datetime.fromtimestamp(time.time() - time.clock_gettime(time.CLOCK_BOOTTIME), timezone.utc)
    except (AttributeError, OSError):
        return None


def process_start_time(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks after boot (Linux); ``None`` if unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    try:
        # The command name (field 2) may hold spaces and parentheses: count from the last ')'.
        return int(stat[stat.rindex(")") + 2:].split()[19])
    except (ValueError, IndexError):
        return None


def _open_elsewhere_as(stat: os.stat_result, own: Path) -> list[Path]:
    """Other names under which running processes have this very file open (Linux, through /proc).

    A hard link in another folder has no lock beside our name; an editor holds the document open
    for as long as it edits, so its name for the file is found among its open descriptors.
    """
    try:
        pids = [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        return []
    names: set[Path] = set()
    for pid in pids:
        folder = f"/proc/{pid}/fd"
        try:
            descriptors = os.listdir(folder)
        except OSError:
            continue
        for descriptor in descriptors:
            link = f"{folder}/{descriptor}"
            try:
                target = os.stat(link)
                if target.st_ino != stat.st_ino or target.st_dev != stat.st_dev:
                    continue
                name = Path(os.readlink(link))
            except OSError:
                continue
            if name != own and name.is_absolute():
                names.add(name)
    return sorted(names)


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


class EditLock:
    """Holds (or fails to hold) the edit lock of one document."""

    def __init__(self, document: Path):
        self.document = document
        self.path = lock_path(document)
        self.mine: LockInfo | None = None

    def _unknown(self) -> LockInfo:
        return LockInfo("unknown host", "unknown user", 0, datetime.now(timezone.utc), "")

    def read_holder(self) -> LockInfo | None:
        """Who holds the lock now; ``None`` if nobody. An unreadable lock is treated as held."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError:
            return self._unknown()
        try:
            return LockInfo.from_json(text)
        except (ValueError, KeyError, TypeError, AttributeError):
            # Garbage or a foreign format: do not take it over silently. (Our own locks are
            # complete the moment they appear: they are hard links of a fully written file.)
            return self._unknown()

    def is_stale(self, holder: LockInfo) -> bool:
        """A lock of this host whose process is gone, or that was taken before this boot."""
        if holder.host != socket.gethostname() or holder.token == "":
            return False
        if not _process_alive(holder.pid):
            return True
        current_boot = boot_id()
        if holder.boot_id is not None:
            if current_boot is not None and holder.boot_id != current_boot:
                return True  # the pid now belongs to a process of this boot, not the lock's
        else:
            booted = boot_time()
            if booted is not None and holder.since < booted:
                return True
        if holder.start_time is not None:
            started = process_start_time(holder.pid)
            if started is not None and started != holder.start_time:
                return True  # the pid was reused by a later process
        return False

    def holder_by_inode(self, stat: os.stat_result) -> LockInfo | None:
        """A live lock taken on this same file under another name (a hard link), in this folder or,
        where the system shows which files processes hold open, anywhere."""
        if stat.st_nlink < 2:
            return None
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return None
        for name in names:
            if not name.endswith(".lock") or name.startswith(".") or name == self.path.name:
                continue
            try:
                other = LockInfo.from_json((self.path.parent / name).read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue
            if other.names(stat) and not self.is_stale(other):
                return other
        for name in _open_elsewhere_as(stat, self.document):
            try:
                other = LockInfo.from_json(lock_path(name).read_text(encoding="utf-8"))
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue
            if other.names(stat) and not self.is_stale(other):
                return other
        return None

    def acquire(self) -> LockInfo | None:
        """Take the lock; return ``None`` on success, else the holder's details.

        A stale lock (dead process, this host) is taken over. Raises ``OSError`` when the lock
        cannot be written at all (read-only folder): the caller opens the document read-only.
        """
        stat = os.stat(self.document)
        self.sweep_leftovers()
        other_name = self.holder_by_inode(stat)
        if other_name is not None:
            return other_name
        info = LockInfo(socket.gethostname(), _current_user(), os.getpid(), datetime.now(timezone.utc),
                        uuid.uuid4().hex, boot_id(), process_start_time(os.getpid()), stat.st_dev, stat.st_ino)
        for _attempt in range(3):
            if self._create(info):
                self.mine = info
                return None
            holder = self.read_holder()
            if holder is None:
                continue  # released between our attempt and the read: try again
            if not self.is_stale(holder):
                return holder
            self._remove_stale(holder)
        holder = self.read_holder()
        return holder or self._unknown()

    def sweep_leftovers(self) -> None:
        """Remove temporary lock files that a process killed half-way through taking or taking over
        this document's lock left behind (they are never the lock itself)."""
        prefix = f".{self.path.name}."
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return
        now = time.time()
        for name in names:
            if name.startswith(prefix) and (name.endswith(".tmp") or name.endswith(".stale")):
                leftover = self.path.parent / name
                try:
                    if now - leftover.stat().st_mtime > _LEFTOVER_SECONDS:
                        leftover.unlink()
                except OSError:
                    pass

    def _create(self, info: LockInfo) -> bool:
        temp = self.path.with_name(f".{self.path.name}.{info.token}.tmp")
        temp.write_text(info.to_json(), encoding="utf-8")
        try:
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            try:
                os.link(temp, self.path)
                return True
            except FileExistsError:
                return False
            except OSError:
                # File systems without hard links (some network shares): exclusive create.
                try:
                    fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    return False
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(info.to_json())
                    handle.flush()
                    os.fsync(handle.fileno())
                return True
        finally:
            temp.unlink(missing_ok=True)

    def _remove_stale(self, holder: LockInfo) -> None:
        # Rename first so that of two processes taking over the same stale lock, only one
        # removes it; the other finds it gone and competes for a fresh create.
        grave = self.path.with_name(f".{self.path.name}.{holder.token}.stale")
        try:
            os.replace(self.path, grave)
        except FileNotFoundError:
            return
        current = None
        try:
            current = LockInfo.from_json(grave.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            pass
        if current is not None and current.token != holder.token:
            # Someone took the lock over between our read and our rename: give it back.
            try:
                os.link(grave, self.path)
            except OSError:
                pass
        grave.unlink(missing_ok=True)

    def release(self) -> None:
        if self.mine is None:
            return
        holder = self.read_holder()
        if holder is not None and holder.token == self.mine.token:
            self.path.unlink(missing_ok=True)
        self.mine = None
