"""Whose rollback journal is this? Decided from evidence before SQLite is allowed to play it.

SQLite rolls back any hot ``-journal`` it finds beside a database, whatever database the journal
was written for. When a consultant saves client B's file over client A's after A crashed, A's
journal would be played into B and produce a well-formed but wrong file that no integrity check
can catch afterwards. So before any connection is made, the journal's header and its saved copy of
page 1 are compared with the document's own header (page size, size in pages, file change
counter, schema cookie), together with our lock file's record of the crashed session (the device
and inode of the file it was editing). Only a journal that is clearly the document's own is played,
and only after byte copies of both are taken. (Journal format: sqlite.org/fileformat2.html s. 4.)
"""

from __future__ import annotations

import enum
import errno
import os
import shutil
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from pmodesk.store.errors import FileRefused
from pmodesk.store.lock import LockInfo

JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")

# SQLite's lock bytes in the database file (os_unix.c): a writer holds a write lock on RESERVED
# while its transaction is open and on PENDING and the SHARED range while it writes the file.
_PENDING_BYTE = 0x40000000
_RESERVED_BYTE = _PENDING_BYTE + 1
_SHARED_FIRST = _PENDING_BYTE + 2
_SHARED_SIZE = 510


class Verdict(enum.Enum):
    NONE = "none"  # no journal SQLite would play
    LIVE = "live"  # a journal of a transaction open right now in another process: not hot
    OURS = "ours"  # a hot journal left by a crash while editing this very document
    # A crash while editing this document before anything reached the file: the journal's header
    # was never completed, so SQLite will not play it; the edit in flight is simply gone.
    UNFINISHED = "unfinished"


def journal_path(document: Path) -> Path:
    return document.with_name(document.name + "-journal")


@dataclass(frozen=True)
class _Page1:
    change_counter: int
    size_in_pages: int
    schema_cookie: int
    valid_for: int
    application_id: int


def _page1(data: bytes) -> _Page1:
    counter, pages = struct.unpack(">II", data[24:32])
    (cookie,) = struct.unpack(">I", data[40:44])
    (valid_for,) = struct.unpack(">I", data[92:96])
    (application_id,) = struct.unpack(">i", data[68:72])
    return _Page1(counter, pages, cookie, valid_for, application_id)


def _write_locked(document: Path) -> bool:
    """Whether another process holds SQLite's RESERVED (or a stronger) lock on the document now."""
    if not sys.platform.startswith("linux"):  # the struct flock layout below is Linux's
        return False
    import fcntl

    try:
        fd = os.open(document, os.O_RDONLY)
    except OSError:
        return False
    try:
        for start, length in ((_RESERVED_BYTE, 1), (_PENDING_BYTE, 1), (_SHARED_FIRST, _SHARED_SIZE)):
            # struct flock on Linux: short l_type, short l_whence, off_t l_start, off_t l_len, pid_t l_pid
            query = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, start, length, 0) + bytes(8)
            answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
            held = struct.unpack("hhqqi", answer[: struct.calcsize("hhqqi")])[0]
            if held == fcntl.F_WRLCK:
                return True
            if start == _RESERVED_BYTE and held != fcntl.F_UNLCK:
                return True
        return False
    except OSError:
        return False
    finally:
        # Only our own descriptor: this process holds no SQLite connection on the file yet.
        os.close(fd)


def _saved_page1(journal: bytes, page_size: int) -> bytes | None:
    """The journal's saved copy of page 1, if the first segment holds one with a valid checksum."""
    (nonce,) = struct.unpack(">I", journal[12:16])
    (sector,) = struct.unpack(">I", journal[20:24])
    if sector < 512 or sector > 65536 or sector & (sector - 1):
        return None
    record = 4 + page_size + 4
    offset = sector
    while offset + record <= len(journal):
        (number,) = struct.unpack(">I", journal[offset:offset + 4])
        data = journal[offset + 4:offset + 4 + page_size]
        (stored,) = struct.unpack(">I", journal[offset + 4 + page_size:offset + record])
        checksum = nonce
        for i in range(page_size - 200, 0, -200):
            checksum += data[i]
        if number == 0 or stored != checksum & 0xFFFFFFFF:
            return None  # the end of what was written, or the next segment's header
        if number == 1:
            return data
        offset += record
    return None


def _refuse(document: Path, why: str) -> FileRefused:
    journal = journal_path(document)
    return FileRefused(
        f"{document.name} was not opened because the rollback journal beside it ({journal.name}) does "
        f"not clearly belong to it ({why}); both files were left exactly as they were: if {document.name} "
        f"is the file you expect, move {journal.name} out of the folder and open it again, otherwise "
        f"restore the file that was open when pmodesk stopped.",
        "foreign-journal",
    )


def examine(document: Path, header: bytes, prior_lock: LockInfo | None, lock_is_stale: bool) -> Verdict:
    """Decide whether ``document``'s journal may be played; raise :class:`FileRefused` if not ours.

    ``header`` is the document's first 100 bytes as read before connecting; ``prior_lock`` the lock
    record found beside it before this process touched the lock, and whether it is stale.
    """
    journal = journal_path(document)
    try:
        with open(journal, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return Verdict.NONE
    except OSError as error:
        raise FileRefused(f"{document.name} was not opened: the journal beside it ({journal.name}) cannot "
                          f"be read ({error.strerror or error}).", "unreadable") from None
    if not content:
        return Verdict.NONE
    if _write_locked(document):
        return Verdict.LIVE
    lock_names_it = False
    if prior_lock is not None and lock_is_stale:
        try:
            lock_names_it = prior_lock.names(os.stat(document))
        except OSError:
            pass
    if content[0] == 0:
        # SQLite ignores a journal whose header is zero: not yet synced (the file was never
        # written) or already committed. Only our crashed session's lock makes it worth a word.
        return Verdict.UNFINISHED if lock_names_it else Verdict.NONE
    if len(content) < 28 or content[:8] != JOURNAL_MAGIC:
        raise _refuse(document, "it is not a valid journal")
    (journal_pages,) = struct.unpack(">I", content[16:20])
    (journal_page_size,) = struct.unpack(">I", content[24:28])
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    if journal_page_size != page_size:
        raise _refuse(document, f"its page size is {journal_page_size}, the file's is {page_size}")
    now = _page1(header)
    saved_bytes = _saved_page1(content, page_size)
    if saved_bytes is not None:
        saved = _page1(saved_bytes)
        if saved.size_in_pages != journal_pages and saved.valid_for == saved.change_counter:
            raise _refuse(document, "its size in pages does not match its own copy of page 1")
        if saved_bytes[:100] == header:
            return Verdict.OURS  # the crash came before page 1 was rewritten: the file is as saved
        if (lock_names_it and now.change_counter == (saved.change_counter + 1) & 0xFFFFFFFF
                and now.valid_for == now.change_counter and header[:24] == saved_bytes[:24]
                and now.application_id == saved.application_id):
            return Verdict.OURS  # the crash came while the commit was writing the file
        raise _refuse(document, "the file's change counter and header differ from the journal's saved copy")
    # The transaction never changed page 1, so the file's header is still the one the journal began
    # from: its size in pages must be the journal's, and our lock must have been on this very file.
    if now.valid_for == now.change_counter and now.size_in_pages != journal_pages:
        raise _refuse(document, f"the journal began from {journal_pages} pages, the file has {now.size_in_pages}")
    if not lock_names_it:
        raise _refuse(document, "no edit lock of a crashed pmodesk session names this file")
    return Verdict.OURS


def keep_copies(document: Path) -> Path:
    """Byte copies of the document and its journal, taken before the journal is played.

    ``acme.pmodesk`` and its journal are copied to ``acme.before-recovery.pmodesk`` and
    ``acme.before-recovery.pmodesk-journal`` (``-2``, ``-3``... when those exist); opened together,
    the copies give back the state the crash left.
    """
    journal = journal_path(document)
    n = 1
    while True:
        tag = "before-recovery" if n == 1 else f"before-recovery-{n}"
        copy = document.with_name(f"{document.stem}.{tag}{document.suffix}")
        if not copy.exists() and not journal_path(copy).exists():
            break
        n += 1
    try:
        for source, target in ((journal, journal_path(copy)), (document, copy)):
            temp = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(source, temp)
            shutil.copymode(source, temp)
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            temp.replace(target)
    except OSError as error:
        for leftover in (copy, journal_path(copy), copy.with_name(f".{copy.name}.tmp"),
                         copy.with_name(f".{journal_path(copy).name}.tmp")):
            leftover.unlink(missing_ok=True)
        full = error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
        cause = "the disk is full" if full else (error.strerror or str(error))
        raise FileRefused(f"{document.name} needs recovery after an unexpected exit, but a copy could not be "
                          f"kept first ({cause}); nothing was changed.", "unreadable") from None
    return copy
