"""One function run in a QThread, its result or one-line error delivered back as a signal.

For work that would freeze the window (reading a folder of images, predicting on it). The
worker follows the same pattern as the training worker: a parentless QObject moved to its
own thread, results sent by signal, the thread joined before anyone hears of the result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

logger = logging.getLogger(__name__)


class _Worker(QObject):
    done = Signal(object, object)  # (result, error text or None)

    def __init__(self, function: Callable[[], Any], expected: tuple[type[BaseException], ...]):
        super().__init__()
        self._function = function
        self._expected = expected

    @Slot()
    def run(self) -> None:
        try:
            result = self._function()
        except self._expected as error:  # bad input: its message is meant for the user
            self.done.emit(None, str(error))
        except Exception as error:  # a bug: say what, keep the window alive
            logger.exception("background task failed")
            first = str(error).strip().splitlines()[0] if str(error).strip() else ""
            self.done.emit(None, f"{type(error).__name__}: {first}")
        else:
            self.done.emit(result, None)


class BackgroundTask(QObject):
    """Run `function()` in a thread; `succeeded(result)` or `failed(message)` follows."""

    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        function: Callable[[], Any],
        expected: tuple[type[BaseException], ...] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("backgroundTaskThread")
        self._worker = _Worker(function, expected)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.done.connect(self._on_done)

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Join the thread (window closing): a running QThread must not be destroyed."""
        self._thread.quit()
        return self._thread.wait(timeout_ms)

    @Slot(object, object)
    def _on_done(self, result: Any, error: str | None) -> None:
        self._thread.quit()
        self._thread.wait()
        if error is None:
            self.succeeded.emit(result)
        else:
            self.failed.emit(error)
