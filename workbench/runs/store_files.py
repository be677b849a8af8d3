"""How the run store meets its files: read-only stores, and temporary files a kill left behind.

A run store can be read-only (a read-only file, folder or mount, or a copy on a CD): it must
still be listed and shown, so it is opened through SQLite's read-only URIs and never written.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Collection, Iterable
from pathlib import Path

# A temporary file older than this is an orphan: no write of the workbench takes an hour.
# A younger one may be another process's write in progress, and is left alone.
STALE_AFTER_S = 3600.0

# The errors that say "this store cannot be written", whatever the reason (permissions, a
# read-only mount): the store is then opened read-only instead of refused.
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}


def looks_read_only(folder: Path, database: Path) -> bool:
    """Whether an existing store cannot be written: its database file or its folder.

    The folder counts: SQLite writes its journal (the -wal and -shm files) next to the
    database. A store that does not exist yet is not read-only: creating it will tell.
    """
    if not database.exists():
        return False
    return not (os.access(database, os.W_OK) and os.access(folder, os.W_OK))


def is_read_only_error(error: BaseException) -> bool:
    """Whether an error from opening or writing the store means it is read-only."""
    if isinstance(error, sqlite3.Error):
        name = getattr(error, "sqlite_errorname", "") or ""
        return name.startswith("SQLITE_READONLY") or "readonly" in str(error)
    return isinstance(error, OSError) and error.errno in _READ_ONLY_ERRNOS


def read_only_uri(database: Path, *, immutable: bool) -> str:
    """The SQLite URI that opens `database` without ever writing to it.

    `mode=ro` reads the journal other processes write (it needs the -shm file, or a folder
    where it can be made). `immutable=1` reads the database file alone: the only way into a
    read-only folder without a -shm file, where no other process can be writing anyway.
    """
    return database.resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")


def remove_stale_parts(
    folders: Iterable[Path],
    older_than_s: float = STALE_AFTER_S,
    targets: Collection[str] | None = None,
) -> int:
    """Remove the orphan temporary files a killed write left in `folders`; returns how many.

    With `targets`, only the temporary files of those file names go (a user's --out folder
    may hold other programs' files).

    Those are `.<name>.<random>.part` (workbench/atomic.py) and `<name>.partial` (the
    store's writes before it used atomic.py). Only files older than `older_than_s` go: a
    younger one may be a write in progress in another process. Best effort: a file that
    cannot be removed is left.
    """
    cutoff = time.time() - older_than_s
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            orphan = (entry.name.startswith(".") and entry.name.endswith(".part")) or (
                entry.name.endswith(".partial")
            )
            if orphan and targets is not None:
                orphan = any(
                    entry.name.startswith(f".{target}.") or entry.name == f"{target}.partial"
                    for target in targets
                )
            try:
                if orphan and entry.is_file(follow_symlinks=False):
                    if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                        os.unlink(entry.path)
                        removed += 1
            except OSError:
                continue
    return removed
