"""Opening a file the user just made (a board pack, an export) with the desktop's viewer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices


def open_or_reveal(path: Path, open_url=None) -> str:
    """Open ``path`` in its registered viewer; without one, show the folder that holds it.

    Returns what happened: ``"opened"``, ``"folder"`` or ``"neither"`` (then the caller says where the
    file is, in words). ``open_url`` is :func:`QDesktopServices.openUrl` unless a test passes another.
    """
    open_url = open_url or QDesktopServices.openUrl
    if open_url(QUrl.fromLocalFile(str(path))):
        return "opened"
    if open_url(QUrl.fromLocalFile(str(Path(path).parent))):
        return "folder"
    return "neither"
