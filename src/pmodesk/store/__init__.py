"""The store: the one way into a portfolio file (DESIGN.md section 3)."""

from pmodesk.store.errors import (
    FileRefused,
    InvalidEdit,
    LockedByOther,
    NotSaved,
    ReadOnly,
    StoreError,
    TargetExists,
)
from pmodesk.store.opening import OpenStatus
from pmodesk.store.schema import APPLICATION_ID, CURRENT_VERSION
from pmodesk.store.store import Edit, Store

__all__ = [
    "APPLICATION_ID", "CURRENT_VERSION", "Edit", "FileRefused", "InvalidEdit", "LockedByOther",
    "NotSaved", "OpenStatus", "ReadOnly", "Store", "StoreError", "TargetExists",
]
