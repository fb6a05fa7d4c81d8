"""pmodesk: an offline desktop application for an outcome-driven PMO (a Value Delivery Office).

The core packages (domain, store, engine, interchange, boardpack, cli) never import Qt;
only :mod:`pmodesk.ui` does.
"""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("pmodesk")
except _metadata.PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0+source"
