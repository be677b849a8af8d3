"""Write a file all at once or not at all: a temporary file in the same folder, then a rename.

An export interrupted half-way (a crash, a full disk, an exception while rendering) must
never leave a truncated report where a good one was, nor stray temporary files.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Read once at import: os.umask can only be read by setting it.
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path next to `path` for a writer that needs a file name (a PDF writer).

    The caller writes the whole file to the yielded path. When the block ends normally the
    file is flushed to disk and renamed onto `path`; when it raises, the temporary file is
    removed and `path` is left as it was.

    Args:
        path: The file to create or replace. Its parent folders are created.

    Yields:
        The temporary path to write to, in the same folder as `path`.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The same folder, so os.replace is a rename on one file system (atomic), never a copy.
    descriptor, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".part", dir=target.parent
    )
    os.close(descriptor)
    temporary = Path(name)
    try:
        # mkstemp makes the file private (0600); a report is an ordinary file, readable as
        # the user's umask allows, like one written with open().
        os.chmod(temporary, 0o666 & ~_UMASK)
        yield temporary
        _fsync_file(temporary)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` atomically: the old file stays whole until the new one is.

    Args:
        path: The file to create or replace. Its parent folders are created.
        data: The complete contents.

    Returns:
        The path written, as a Path.
    """
    target = Path(path)
    with atomic_path(target) as temporary, open(temporary, "wb") as stream:
        stream.write(data)
    return target


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically, encoded, with no newline translation.

    Newlines are written as they are in `text` (no CRLF translation on Windows), so a CSV
    written with the csv module's own line endings stays exactly as the module made it.

    Args:
        path: The file to create or replace. Its parent folders are created.
        text: The complete contents.
        encoding: The text encoding.

    Returns:
        The path written, as a Path.
    """
    return atomic_write_bytes(path, text.encode(encoding))


def _fsync_file(path: Path) -> None:
    # Flushed to the disk before the rename: otherwise a power cut right after the rename can
    # leave the new name pointing at an empty file on some file systems.
    with open(path, "rb+") as stream:
        stream.flush()
        os.fsync(stream.fileno())
