"""The bundled resources (fonts, icons): package data of ``pmodesk`` (``pmodesk/bundled``), found
with ``importlib.resources`` so an installed wheel, a source checkout and a frozen bundle all work.
``resources/fonts`` and ``resources/icons`` at the top of the repository point at the same files."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def resources_dir() -> Path:
    """The folder holding ``fonts/`` and ``icons/`` (``PMODESK_RESOURCES`` overrides it)."""
    override = os.environ.get("PMODESK_RESOURCES")
    candidates = [Path(override)] if override else []
    bundled = resources.files("pmodesk") / "bundled"
    if isinstance(bundled, Path) or hasattr(bundled, "__fspath__"):
        candidates.append(Path(bundled))
    here = Path(__file__).resolve().parent
    candidates += [here / "resources", here.parents[1] / "resources"]  # PyInstaller's layout, a checkout
    for candidate in candidates:
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError("pmodesk's bundled fonts were not found; reinstall pmodesk or set PMODESK_RESOURCES")


def font_path(name: str) -> Path:
    """A bundled font file (reportlab and HarfBuzz read fonts from a real file path)."""
    path = resources_dir() / "fonts" / name
    if not path.is_file():
        raise FileNotFoundError(f"the bundled font {name} is missing; reinstall pmodesk")
    return path


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / name
