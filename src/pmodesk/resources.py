"""Where the bundled resources (fonts, icons) are: beside the package when installed, else the
repository's ``resources/`` folder when running from a source checkout."""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    override = os.environ.get("PMODESK_RESOURCES")
    candidates = [Path(override)] if override else []
    here = Path(__file__).resolve().parent
    candidates += [here / "resources", here.parents[1] / "resources"]
    for candidate in candidates:
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError("pmodesk's resources folder (fonts) was not found; set PMODESK_RESOURCES")
