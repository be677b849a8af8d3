"""No Qt object is ever freed by Python's garbage collector on a worker thread."""

import gc
import threading

from PySide6.QtCore import QObject


class _Tracked(QObject):
    """A Qt object that notes the thread its Python wrapper is freed on."""

    freed_on: list[str] = []

    def __del__(self):
        _Tracked.freed_on.append(threading.current_thread().name)


def _allocate_a_lot():
    # Enough container allocations to cross every generation's threshold many times.
    for _ in range(50):
        junk = [[] for _ in range(20_000)]
        del junk


def test_cyclic_qt_garbage_is_collected_on_the_window_thread_not_a_worker(window):
    _Tracked.freed_on.clear()
    tracked = _Tracked()
    tracked.cycle = tracked  # reachable only through a cycle: only the collector frees it
    del tracked
    worker = threading.Thread(target=_allocate_a_lot, name="worker")
    worker.start()
    worker.join()
    assert _Tracked.freed_on == []  # the worker allocated plenty, and collected nothing
    gc.collect()  # what the window's timer does, on the window's thread
    assert _Tracked.freed_on == ["MainThread"]


def test_the_window_thread_collects_by_itself_on_a_timer(qtbot, window):
    _Tracked.freed_on.clear()
    tracked = _Tracked()
    tracked.cycle = tracked
    del tracked
    # Objects that stay alive count towards the youngest generation's threshold, which the
    # timer looks at (ones freed again at once take their count back with them).
    kept = [[] for _ in range(5_000)]
    qtbot.waitUntil(lambda: _Tracked.freed_on == ["MainThread"], timeout=15_000)
    del kept
