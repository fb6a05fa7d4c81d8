"""The board pack (DESIGN.md section 10): built once from the value engine's results, written as PDF
or PowerPoint by the destination's extension.

``build_board_pack`` is the one entry point for the CLI and the UI: it reports progress through a
callback and stops when ``cancelled()`` says so. The pack is written to a temporary file and
renamed, so no partial pack is ever left at the destination; the file gets the mode the user's
umask gives a new file.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Callable

from pmodesk.atomic import atomic_destination
from pmodesk.boardpack.build import PackOptions, build_pack
from pmodesk.domain.calendar import previous_fiscal_quarter
from pmodesk.domain.model import PortfolioData
from pmodesk.engine.portfolio import compute

FORMATS = (".pdf", ".pptx")


class Cancelled(Exception):
    """The user cancelled the board pack; nothing was written."""


def default_options(data: PortfolioData, as_of: date, meeting_date: date | None = None,
                    decisions_since: date | None = None, paper: str = "a4", file_name: str = "",
                    scenario_id: int | None = None) -> PackOptions:
    """Meeting date defaults to the as-of date; decisions-since to the start of the previous quarter."""
    since = decisions_since or previous_fiscal_quarter(as_of, data.portfolio.fiscal_year_start_month)[0]
    return PackOptions(as_of, meeting_date or as_of, since, paper, file_name, scenario_id)


def new_file_mode() -> int:
    """The mode a new file gets under the user's umask (0644 under 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def build_board_pack(data: PortfolioData, destination: str | Path, options: PackOptions,
                     progress: Callable[[float, str], None] | None = None,
                     cancelled: Callable[[], bool] | None = None) -> int:
    """Write the board pack (``.pdf`` or ``.pptx``); return its page or slide count.
    Raises :class:`Cancelled` if cancelled, ``ValueError`` for another extension."""
    suffix = Path(destination).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"a board pack is written as .pdf or .pptx, not {suffix or 'a file without extension'}")
    report = progress or (lambda fraction, message: None)
    is_cancelled = cancelled or (lambda: False)

    def check(fraction: float, message: str) -> None:
        if is_cancelled():
            raise Cancelled()
        report(fraction, message)

    check(0.01, "Computing the figures")
    result = compute(data, options.as_of)
    pack = build_pack(data, result, options, lambda f, m: check(0.02 + 0.5 * f, m))
    estimate = max(1, 12 + len(result.initiatives) * 2)

    def page_done(pages: int) -> None:
        check(min(0.99, 0.55 + 0.44 * pages / estimate), f"Page {pages}")

    with atomic_destination(destination) as temp:
        if suffix == ".pdf":
            from pmodesk.boardpack.pdf import PdfRenderer

            count = PdfRenderer(pack, options.paper).render(temp, page_done)
        else:
            from pmodesk.boardpack.slides import SlidesRenderer

            count = SlidesRenderer(pack).render(temp, page_done)
        os.chmod(temp, new_file_mode())
    report(1.0, "Done")
    return count


__all__ = ["Cancelled", "PackOptions", "build_board_pack", "default_options", "FORMATS"]
