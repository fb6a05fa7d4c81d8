"""The store: the one way into a portfolio file (DESIGN.md section 3).

The errors are light to import; ``Store`` and the rest bring SQLAlchemy in on first use, so a window
can paint before the database layer has loaded.
"""

from pmodesk.store.errors import (
    DocumentReplaced,
    FileRefused,
    InUse,
    InvalidEdit,
    LockedByOther,
    NotSaved,
    ReadOnly,
    StoreError,
    TargetExists,
)

_LAZY = {"Store": "pmodesk.store.store", "Edit": "pmodesk.store.store", "OpenStatus": "pmodesk.store.opening",
         "APPLICATION_ID": "pmodesk.store.schema", "CURRENT_VERSION": "pmodesk.store.schema"}

__all__ = [
    "APPLICATION_ID", "CURRENT_VERSION", "DocumentReplaced", "Edit", "FileRefused", "InUse", "InvalidEdit",
    "LockedByOther",
    "NotSaved", "OpenStatus", "ReadOnly", "Store", "StoreError", "TargetExists",
]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'pmodesk.store' has no attribute {name!r}")
