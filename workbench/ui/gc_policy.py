"""Python's cyclic garbage collector runs on the window's thread only.

A collection runs on whichever thread happens to allocate when a threshold is crossed: the
training thread, most of the time. If that collection frees a Qt object made on the window's
thread, its C++ destructor takes a Qt lock while the thread holds the GIL; the window's thread,
holding that lock and waiting for the GIL, and the two wait for ever (seen in the test suite:
a run hung for 14 minutes). pyqtgraph's `GarbageCollector` is the known cure: automatic
collection off, and the same generational collections made from a timer on the window's thread.
"""

from __future__ import annotations

import gc

_collector = None  # one per process; the timer lives as long as the application


def collect_on_window_thread(interval_s: float = 1.0) -> None:
    """Turn automatic collection off and collect from a timer on this (the window's) thread.

    Safe to call again: the timer is made once, and automatic collection is turned off again
    in case something (a test) turned it back on.
    """
    global _collector
    if _collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector

        _collector = GarbageCollector(interval=interval_s)
    gc.disable()
