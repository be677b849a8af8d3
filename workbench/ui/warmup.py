"""Imports the window needs soon after it is shown, but not to show it: done in a thread.

torch itself comes first (1.5 s or more on two cores): on Linux and macOS the window is shown
before it has loaded (on Windows it must load before Qt, see workbench/app.py). Until `ready`,
the model builder shows no shapes, the device list has no GPUs and Train waits. The
learning-rate preview steps a real scheduler on a throwaway torch optimizer, and the first
torch optimizer imports `torch._dynamo` (torch wraps `Optimizer.__init__` to keep dynamo out
of it): about 1.6 s on two cores. The data preview splits with scikit-learn: a few tenths
more. `open_window` shows the window first and imports them here, in a thread; until `ready`,
the window's thread must neither create an optimizer nor split, or it would wait on the
import lock with the window frozen. A window built for scripts and tests (not deferred) is
ready at once and imports on first use, as before.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal

from workbench.ui.jobs import Job

logger = logging.getLogger(__name__)

# First stage: what the model builder, the device list and starting a run need. Once these
# are in, a run may start: its worker thread waits, if it must, on the second stage's imports
# without freezing the window.
TORCH_MODULES = ("torch", "workbench.models.builder", "workbench.core.engine")
# Second stage. scipy.signal (smoothing) and scipy.ndimage (drawn digits) are first used by a
# click later.
LATER_MODULES = ("torch._dynamo", "sklearn.model_selection", "scipy.signal", "scipy.ndimage")
MODULES = TORCH_MODULES + LATER_MODULES


def _import(names: tuple[str, ...]) -> None:
    for name in names:
        importlib.import_module(name)


class Warmup(QObject):
    """`start()` imports `MODULES` in a thread, in two stages, each followed by its signal.

    `torch_ready` follows `TORCH_MODULES`, `ready` the rest; both are emitted also if an
    import failed (the code that needs the module imports it again and reports the error).
    """

    torch_ready = Signal()
    ready = Signal()

    def __init__(self, deferred: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # No other thread imports while the window is built: sys.modules is settled here.
        self._ready = not deferred or all(name in sys.modules for name in MODULES)
        self._torch_ready = self._ready
        self._task: Job | None = None

    def is_torch_ready(self) -> bool:
        """Whether the window's thread may now use torch (plan models, list devices)."""
        return self._torch_ready

    def is_ready(self) -> bool:
        """Whether the window's thread may now create torch optimizers and split data."""
        return self._ready

    def start(self) -> None:
        """Start the imports (once); `torch_ready`, then `ready`, when they are done."""
        if self._ready or self._task is not None:
            return
        self._run_stage(TORCH_MODULES, self._torch_stage_done)

    def _run_stage(self, names: tuple[str, ...], done: Callable[[], None]) -> None:
        self._task = Job.calling(partial(_import, names), name="warmupThread", parent=self)
        self._task.succeeded.connect(lambda _result: done())
        self._task.errored.connect(lambda message: self._failed(message, done))
        self._task.start()

    @staticmethod
    def _failed(message: str, done: Callable[[], None]) -> None:
        logger.warning("background import failed: %s", message)
        done()

    def _torch_stage_done(self) -> None:
        self._torch_ready = True
        self.torch_ready.emit()
        self._run_stage(LATER_MODULES, self._later_stage_done)

    def _later_stage_done(self) -> None:
        # Everything imported so far lives as long as the process: moved out of the
        # collector's generations, the window's timed collections (gc_policy) stop walking
        # torch's and dynamo's objects again and again: after the import, full collections
        # paused the window 250-600 ms for seconds; frozen, the worst pause was 60 ms.
        gc.freeze()
        self._ready = True
        self.ready.emit()
