"""How much memory this machine has free: what does not fit is refused before it is made.

A file or a model too large for the machine is refused in one line before it is read or
built, instead of the kernel killing the process.

Qt-free and dependency-free (psutil is not a dependency): Linux's /proc/meminfo, else the
physical memory POSIX reports, else unknown (no limit is applied).
"""

from __future__ import annotations

import os
from pathlib import Path


def available_memory() -> int | None:
    """Bytes of memory a new allocation can take without swapping, or None when unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024  # the kernel counts in KiB
    except (OSError, ValueError, IndexError):
        pass
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, OSError, ValueError):  # Windows has no sysconf
        return None


def size_text(n_bytes: float) -> str:
    """A size for a message: "8.5 TB", "3.2 GB", "640 MB" (powers of 1000, as file managers)."""
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if n_bytes >= scale:
            return f"{n_bytes / scale:.1f} {unit}"
    return f"{int(n_bytes)} bytes"


def fits_in_memory(n_bytes: int, share: float = 0.8) -> tuple[bool, int | None]:
    """(whether `n_bytes` fits in `share` of the available memory, the available bytes)."""
    available = available_memory()
    return (available is None or n_bytes <= share * available), available
