"""Starting the desktop window, or saying clearly why it cannot start (used by ``make run``).

Headless on purpose until the window is really wanted: importing this module does not import Qt.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path


def display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True  # the caller chose a platform (offscreen, xcb, wayland ...)
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_window(file: str | None) -> int:
    """Run the desktop window on ``file`` (None: the last file, else a copy of the demo)."""
    if not display_available():
        print("There is no display here, so the pmodesk window cannot open "
              "(set DISPLAY, or run under xvfb-run, or use the headless commands).", file=sys.stderr)
        return 2
    from pmodesk.ui.app import run

    return run(file)


def main(argv: list[str]) -> int:
    """``make run``: write the demo portfolio if needed, then open it or say why it cannot open."""
    from pmodesk.demo import write_demo

    demo = Path(argv[1] if len(argv) > 1 else "build/demo.pmodesk").resolve()
    demo.parent.mkdir(parents=True, exist_ok=True)
    if not display_available():
        from pmodesk.boardpack.document import build_board_pack, default_options

        with write_demo(demo, replace_existing=True) as store:
            data = store.load()
        pack = demo.with_name(demo.stem + "-board-pack.pdf")
        as_of = data.portfolio.default_as_of(date.today())
        pages = build_board_pack(data, pack, default_options(data, as_of, file_name=demo.name))
        print("There is no display here, so instead of opening the window pmodesk wrote the demo portfolio "
              "and its board pack:")
        print(f"  demo portfolio: {demo}")
        print(f"  board pack:     {pack} ({pages} pages, as of {as_of.isoformat()})")
        return 0
    if not demo.exists():
        write_demo(demo).close()
    return open_window(str(demo))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
