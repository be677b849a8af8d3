"""Imports the window needs soon after it is shown, but not to show it: done in a thread.

The learning-rate preview steps a real scheduler on a throwaway torch optimizer, and the first
torch optimizer imports `torch._dynamo` (torch wraps `Optimizer.__init__` to keep dynamo out
of it): about 1.6 s on two cores. The data preview splits with scikit-learn: a few tenths
more. `open_window` shows the window first and imports them here, in a thread; until `ready`,
the window's thread must neither create an optimizer nor split, or it would wait on the
import lock with the window frozen. A window built for scripts and tests (not deferred) is
ready at once and imports on first use, as before.
"""

from __future__ import annotations

import importlib
import logging
import sys

from PySide6.QtCore import QObject, Signal, Slot

from workbench.ui.background import BackgroundTask

logger = logging.getLogger(__name__)

# scipy.signal (smoothing) and scipy.ndimage (drawn digits) are first used by a click later.
MODULES = ("torch._dynamo", "sklearn.model_selection", "scipy.signal", "scipy.ndimage")


def _import_all() -> None:
    for name in MODULES:
        importlib.import_module(name)


class Warmup(QObject):
    """`start()` imports `MODULES` in a thread; `ready` follows (also if the import failed)."""

    ready = Signal()

    def __init__(self, deferred: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # No other thread imports while the window is built: sys.modules is settled here.
        self._ready = not deferred or all(name in sys.modules for name in MODULES)
        self._task: BackgroundTask | None = None

    def is_ready(self) -> bool:
        """Whether the window's thread may now create torch optimizers and split data."""
        return self._ready

    def start(self) -> None:
        """Start the imports (once); `ready` is emitted when they are done."""
        if self._ready or self._task is not None:
            return
        self._task = BackgroundTask(_import_all, (), self)
        self._task.succeeded.connect(self._on_succeeded)
        self._task.failed.connect(self._on_failed)
        self._task.start()

    def shutdown(self) -> None:
        """Join the thread (window closing): a running QThread must not be destroyed."""
        if self._task is not None:
            self._task.wait()

    @Slot(object)
    def _on_succeeded(self, _result: object) -> None:
        self._finish()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        # Not fatal here: the first optimizer imports it again and reports its own error.
        logger.warning("background import failed: %s", message)
        self._finish()

    def _finish(self) -> None:
        self._ready = True
        self.ready.emit()
