"""The library on disk: articles, reading positions, settings, annotations and review cards.

The only package that imports TinyDB. Callers use the :class:`Store` facade and the
errors below; the modules beside this one each own one kind of file or data.
"""

from reader.store.facade import (
    SCHEMA_VERSION,
    AnnotationNotFound,
    CardChanged,
    Store,
    StoreAccessError,
    StoreError,
    StoreLocked,
    StoreReadOnly,
    default_db_path,
    resolve_db_path,
)

__all__ = [
    "SCHEMA_VERSION",
    "AnnotationNotFound",
    "CardChanged",
    "Store",
    "StoreAccessError",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
    "default_db_path",
    "resolve_db_path",
]
