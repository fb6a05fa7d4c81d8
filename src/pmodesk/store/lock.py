"""The edit lock: a small file beside the document saying who is editing it.

A lock row inside the portfolio would travel with an emailed copy, so the lock is a sidecar,
``NAME.pmodesk.lock``, created atomically (hard link of a fully written temporary file, or
``O_EXCL`` where the file system has no hard links). It records host, user, process and since
when. A lock left by a dead process on this host is stale and is taken over; a lock from another
host is never taken over silently (DESIGN.md section 3).
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class LockInfo:
    host: str
    user: str
    pid: int
    since: datetime
    token: str

    def describe(self) -> str:
        since = self.since.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{self.user} on {self.host} (process {self.pid}) since {since}"

    def to_json(self) -> str:
        return json.dumps(
            {"app": "pmodesk", "host": self.host, "user": self.user, "pid": self.pid,
             "since": self.since.isoformat(timespec="seconds"), "token": self.token}
        )

    @staticmethod
    def from_json(text: str) -> "LockInfo":
        data = json.loads(text)
        return LockInfo(
            host=str(data["host"]), user=str(data["user"]), pid=int(data["pid"]),
            since=datetime.fromisoformat(data["since"]), token=str(data.get("token", "")),
        )


def lock_path(document: Path) -> Path:
    return document.with_name(document.name + ".lock")


def _current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers and services
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown user"


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

    def read_holder(self) -> LockInfo | None:
        """Who holds the lock now; ``None`` if nobody. An unreadable lock is treated as held."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError:
            return LockInfo("unknown host", "unknown user", 0, datetime.now(timezone.utc), "")
        try:
            return LockInfo.from_json(text)
        except (ValueError, KeyError, TypeError):
            # Being written right now by another opener, or garbage: do not take it over silently.
            return LockInfo("unknown host", "unknown user", 0, datetime.now(timezone.utc), "")

    def is_stale(self, holder: LockInfo) -> bool:
        return holder.host == socket.gethostname() and holder.token != "" and not _process_alive(holder.pid)

    def acquire(self) -> LockInfo | None:
        """Take the lock; return ``None`` on success, else the holder's details.

        A stale lock (dead process, this host) is taken over. Raises ``OSError`` when the lock
        cannot be written at all (read-only folder): the caller opens the document read-only.
        """
        info = LockInfo(socket.gethostname(), _current_user(), os.getpid(),
                        datetime.now(timezone.utc), uuid.uuid4().hex)
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
        return holder or LockInfo("unknown host", "unknown user", 0, datetime.now(timezone.utc), "")

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
