"""pmodesk: an offline desktop application for an outcome-driven PMO (a Value Delivery Office).

The core packages (domain, store, engine, interchange, boardpack, cli) never import Qt;
only :mod:`pmodesk.ui` does.
"""



def __getattr__(name: str) -> str:
    # importlib.metadata costs ~50 ms at start-up; the version is looked up only when asked for.
    if name != "__version__":
        raise AttributeError(f"module 'pmodesk' has no attribute {name!r}")
    version = _installed_version()
    if version is None:  # not where pip puts it: ask importlib.metadata, which knows every kind of install
        from importlib import metadata

        try:
            version = metadata.version("pmodesk")
        except metadata.PackageNotFoundError:  # running from a source tree without installing
            version = "0.0.0+source"
    globals()["__version__"] = version
    return version


def _installed_version() -> str | None:
    """The version in the name of the first ``pmodesk-VERSION.dist-info`` on ``sys.path`` (the one
    ``importlib.metadata`` would read), found by listing folders: the figure cache's key needs the
    version before the first figures are painted."""
    import os
    import sys

    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in names:
            if entry.startswith("pmodesk-") and entry.endswith(".dist-info") and \
                    os.path.isfile(os.path.join(folder or ".", entry, "METADATA")):
                return entry[len("pmodesk-"):-len(".dist-info")]
    return None
