"""pmodesk: an offline desktop application for an outcome-driven PMO (a Value Delivery Office).

The core packages (domain, store, engine, interchange, boardpack, cli) never import Qt;
only :mod:`pmodesk.ui` does.
"""



def __getattr__(name: str) -> str:
    # importlib.metadata costs ~50 ms at start-up; the version is looked up only when asked for.
    if name != "__version__":
        raise AttributeError(f"module 'pmodesk' has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("pmodesk")
    except metadata.PackageNotFoundError:  # running from a source tree without installing
        version = "0.0.0+source"
    globals()["__version__"] = version
    return version
