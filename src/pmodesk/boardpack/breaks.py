"""Where a line may break, for scripts written without spaces between words (Thai, Lao, Khmer, Myanmar).

reportlab breaks lines only at spaces and, in a word longer than the line, between any two letters:
Thai text would be cut inside words. ICU's line-break iterator knows these scripts' words (from its
dictionaries). It is the ICU that PySide6 ships beside Qt (the board pack runs in the same program), or
else the system's; it is used through its C interface (``ubrk_*``), and nothing of Qt is imported. Without
any ICU, breaks fall back to spaces, as before.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
from functools import lru_cache
from pathlib import Path

# Scripts whose words are not separated by spaces, and which ICU breaks with a dictionary.
NEEDS_DICTIONARY = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff]")
UBRK_LINE = 2
UBRK_DONE = -1


def needs_dictionary(text: str) -> bool:
    return NEEDS_DICTIONARY.search(text) is not None


def _candidates() -> list[str]:
    """ICU's common library: PySide6's own first (found without importing PySide6), then the system's."""
    import importlib.util

    found = []
    try:
        spec = importlib.util.find_spec("PySide6")
    except (ImportError, ValueError):
        spec = None
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        for lib in ("Qt/lib", "Qt/bin", "."):
            found += sorted(str(p) for p in (Path(folder) / lib).glob("*icuuc*") if p.is_file())
    system = ctypes.util.find_library("icuuc")
    if system:
        found.append(system)
    return found


class _Icu:
    def __init__(self, library: ctypes.CDLL, suffix: str):
        self.open = getattr(library, f"ubrk_open{suffix}")
        self.open.restype = ctypes.c_void_p
        self.open.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_int32,
                              ctypes.POINTER(ctypes.c_int)]
        self.next = getattr(library, f"ubrk_next{suffix}")
        self.next.restype = ctypes.c_int32
        self.next.argtypes = [ctypes.c_void_p]
        self.close = getattr(library, f"ubrk_close{suffix}")
        self.close.restype = None
        self.close.argtypes = [ctypes.c_void_p]


def _load(path: str) -> _Icu | None:
    try:
        library = ctypes.CDLL(path)
    except OSError:
        return None
    # ICU's functions carry its major version (ubrk_open_73) unless it was built without renaming.
    version = re.search(r"(\d{2,3})(?:\.\d+)*$", path) or re.search(r"icuuc(\d{2,3})", path)
    suffixes = ([f"_{version.group(1)}"] if version else []) + [""] + [f"_{v}" for v in range(90, 49, -1)]
    for suffix in suffixes:
        try:
            return _Icu(library, suffix)
        except AttributeError:
            continue
    return None


@lru_cache(maxsize=1)
def _icu() -> _Icu | None:
    for path in _candidates():
        icu = _load(path)
        if icu is not None:
            return icu
    return None


def available() -> bool:
    """Whether ICU's dictionary breaks are at hand (else lines break at spaces only)."""
    return _icu() is not None


@lru_cache(maxsize=4096)
def segments(text: str) -> tuple[str, ...]:
    """``text`` cut where a line may break, each piece keeping its trailing spaces: ICU's line breaks
    (in Thai and its neighbours, between words) or, without ICU, after each run of spaces."""
    icu = _icu() if needs_dictionary(text) else None
    if icu is None:
        return tuple(m.group(0) for m in re.finditer(r"[^ ]+ *| +", text))
    encoded = text.encode("utf-16-le")
    buffer = ctypes.create_string_buffer(encoded, len(encoded))  # alive as long as the iterator
    status = ctypes.c_int(0)
    iterator = icu.open(UBRK_LINE, b"th", buffer, len(encoded) // 2, ctypes.byref(status))
    if not iterator or status.value > 0:  # an ICU error (warnings are negative)
        return tuple(m.group(0) for m in re.finditer(r"[^ ]+ *| +", text))
    # ICU counts UTF-16 code units; a character beyond the first plane is two of them.
    units_to_index, units = {0: 0}, 0
    for index, char in enumerate(text, start=1):
        units += 2 if ord(char) > 0xFFFF else 1
        units_to_index[units] = index
    pieces, start = [], 0
    try:
        while True:
            end = icu.next(iterator)
            if end == UBRK_DONE:
                break
            index = units_to_index.get(end)
            if index is not None and index > start:
                pieces.append(text[start:index])
                start = index
    finally:
        icu.close(iterator)
    if start < len(text):
        pieces.append(text[start:])
    return tuple(pieces)
