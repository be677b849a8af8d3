"""`workbench --self-test`: check an installation by doing what a person does, offscreen.

Opens the main window (offscreen unless `QT_QPA_PLATFORM` says otherwise), checks that the
Japanese translation (the window's .qm and Qt's qtbase_ja) is found and loads, trains two epochs
on the built-in digits, presses Evaluate on test set, exports the report as HTML and JSON and
checks them, trains again in a separate process (Run > Train in a separate process), then
runs a two-trial search in two worker processes (the Search tab's spawn
processes: in the frozen app they only start if the entry point called
`multiprocessing.freeze_support()`). One line per step, `self-test: STEP (DETAIL) ... ok`, or
`... FAILED: REASON` and exit code 1. Qt's harmless offscreen messages are not printed.

Nothing is written outside a temporary folder: the run store (`WORKBENCH_DATA_DIR`) and Qt's
settings point into it for the test's length. It is removed when every step passed, and kept
(its path printed) when one failed. The packaging scripts run this against the frozen app
(packaging/smoke_test.sh, packaging/build.py --self-test, the release workflow).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

EPOCHS = 2
RUN_NAME = "self-test"
# Generous: a cold start on a slow CI machine loads torch from disk for the first time.
TIMEOUT_S = 300.0
# Chance on the ten digits is 0.1; two epochs of the default model reach about 0.9.
MIN_TEST_ACCURACY = 0.5


# Qt messages the self-test drops: the offscreen platform cannot resize a window to its
# size hints and says so on every window shown. Harmless, but a line of noise among the
# steps' that reads like a failure to whoever checks a release.
_HARMLESS_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)


class StepFailed(Exception):
    """A step's check did not hold; the message is its one-line reason."""


Step = tuple[str, Callable[[], str]]


def run_steps(steps: Sequence[Step], out: TextIO | None = None) -> int:
    """Run the steps in order, a line each; stop at the first failure. Returns the exit code.

    Each step returns a short detail for its line, or raises: `StepFailed` with its reason,
    or anything else (a bug, a missing file in a frozen app), reported by type and message.
    """
    out = out or sys.stdout
    for name, step in steps:
        try:
            detail = step()
        except Exception as error:  # any failure is the step's, reported in one line
            print(f"self-test: {name} ... FAILED: {_one_line(error)}", file=out, flush=True)
            return 1
        suffix = f" ({detail})" if detail else ""
        print(f"self-test: {name}{suffix} ... ok", file=out, flush=True)
    return 0


def _one_line(error: BaseException) -> str:
    text = str(error).strip()
    first = text.splitlines()[0] if text else ""
    if isinstance(error, StepFailed):
        return first or "failed"
    return f"{type(error).__name__}: {first}" if first else type(error).__name__


def quiet_qt_messages() -> Callable[..., None] | None:
    """Drop Qt's harmless offscreen messages; pass every other one on as Qt would print it.

    Returns:
        The handler installed before (None: Qt's default), to restore it with
        `qInstallMessageHandler`.
    """
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode: Any, context: Any, message: str) -> None:
        if any(harmless in message for harmless in _HARMLESS_QT_MESSAGES):
            return
        if previous is not None:
            previous(mode, context, message)
        else:  # Qt's default handler: the message alone, on stderr
            print(message, file=sys.stderr, flush=True)

    previous = qInstallMessageHandler(handler)
    # Qt holds the handler, but PySide6 keeps no Python reference: keep one for the process.
    _message_handlers.append(handler)
    return previous


_message_handlers: list[Callable[..., None]] = []


def seconds_since_process_start() -> float | None:
    """How long this process has run, from the OS's own record; None where unknown."""
    try:
        if sys.platform.startswith("linux"):
            stat = Path("/proc/self/stat").read_text()
            # Field 2 (the command name) may hold spaces: count the fields after its ")".
            start_ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22: starttime
            uptime = float(Path("/proc/uptime").read_text().split()[0])
            age = uptime - start_ticks / os.sysconf("SC_CLK_TCK")
        elif sys.platform == "win32":
            age = _windows_process_age()
        else:
            return None
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    # A clock that disagrees with itself (a container's time namespace): better no number.
    return age if age is not None and 0.0 <= age < 3600.0 else None


def _windows_process_age() -> float | None:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    created, exited, kernel, user, now = (wintypes.FILETIME() for _ in range(5))
    if not kernel32.GetProcessTimes(
        kernel32.GetCurrentProcess(),
        ctypes.byref(created),
        ctypes.byref(exited),
        ctypes.byref(kernel),
        ctypes.byref(user),
    ):
        return None
    kernel32.GetSystemTimePreciseAsFileTime(ctypes.byref(now))

    def ticks(value: Any) -> int:  # 100 ns units
        return (value.dwHighDateTime << 32) | value.dwLowDateTime

    return (ticks(now) - ticks(created)) / 1e7


@contextmanager
def _isolated(folder: Path) -> Iterator[None]:
    """The run store in `folder` for the test's length; the previous setting restored after."""
    from workbench.runs.store import DATA_DIR_VARIABLE

    previous = os.environ.get(DATA_DIR_VARIABLE)
    os.environ[DATA_DIR_VARIABLE] = str(folder / "data")
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DATA_DIR_VARIABLE, None)
        else:
            os.environ[DATA_DIR_VARIABLE] = previous


# A message the Japanese translation must translate (the View > Language menu's title).
KNOWN_MESSAGE = ("LanguageMenu", "&Language")


def check_translation() -> str:
    """The window's Japanese .qm and Qt's qtbase_ja are found, load and translate."""
    from workbench.ui.language import QM_FILE, load_translators

    own, qt = load_translators()
    if own is None:
        raise StepFailed(f"{QM_FILE} is missing or does not load")
    translated = own.translate(*KNOWN_MESSAGE)
    if not any("\u3040" <= char <= "\u9fff" for char in translated):
        raise StepFailed(f"{KNOWN_MESSAGE[1]!r} is not translated into Japanese: {translated!r}")
    if qt is None:
        raise StepFailed("Qt's own Japanese translation (qtbase_ja.qm) was not found")
    return f"{QM_FILE.name}: {KNOWN_MESSAGE[1]!r} is {translated!r}; Qt's qtbase_ja"


class _SelfTest:
    """The steps, sharing the window and the report between them."""

    def __init__(self, folder: Path, began: float) -> None:
        self.folder = folder
        self.began = began
        self.app: Any = None
        self.window: Any = None
        self.report: dict[str, Any] = {}
        self.html_path = folder / "report" / f"{RUN_NAME}.html"
        self.json_path = folder / "report" / f"{RUN_NAME}.json"

    def steps(self) -> list[Step]:
        return [
            ("window opened", self.open_window),
            ("Japanese translation loaded", check_translation),
            (f"trained {EPOCHS} epochs on the digits", self.train),
            ("evaluated on the test set", self.evaluate),
            ("report exported", self.export),
            ("report checked", self.check_report),
            ("trained in a separate process", self.train_in_process),
            ("window closed", self.close_window),
            ("search in 2 worker processes", self.search),
        ]

    def _wait(self, condition: Callable[[], bool], what: str, timeout: float = TIMEOUT_S) -> None:
        from PySide6.QtCore import QCoreApplication, QEventLoop

        deadline = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > deadline:
                window = self.window
                said = f"; the window says: {window.status_text()}" if window is not None else ""
                raise StepFailed(f"{what} within {timeout:.0f} s{said}")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.005)

    def open_window(self) -> str:
        # workbench.app first: on Windows it imports torch before Qt (see that module).
        from workbench.app import show_window

        # isort: split
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from workbench.config import Experiment, experiment_from_dict, save_experiment

        quiet_qt_messages()

        # Recent files and other settings go to the temporary folder, not the user's.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(self.folder / "settings")
        )
        data = Experiment().to_dict()
        data["name"] = RUN_NAME
        data["training"].update(epochs=EPOCHS, batch_size=32, device="cpu")
        path = self.folder / f"{RUN_NAME}.toml"
        save_experiment(experiment_from_dict(data), path)
        # As `workbench self-test.toml` opens it: shown first, torch loaded in a thread after.
        self.window = window = show_window(path)
        self.app = QApplication.instance()

        def exposed() -> bool:
            handle = window.windowHandle()
            return window.isVisible() and (handle is None or handle.isExposed())

        self._wait(exposed, "the window was not shown", timeout=60.0)
        since_start = seconds_since_process_start()
        if since_start is not None:
            when = f"shown {since_start:.2f} s after the process started"
        else:
            when = f"shown {time.perf_counter() - self.began:.2f} s after the self-test began"
        platform = self.app.platformName() if self.app is not None else "?"
        return f"{when}, Qt platform {platform}"

    def train(self) -> str:
        window = self.window
        if not window.train_button.isEnabled():
            raise StepFailed(f"Train is disabled: {window.status_text()}")
        started = time.perf_counter()
        window.train_button.click()  # before torch has loaded: the run starts once it has

        def running_or_done() -> bool:
            return window.training_run is not None or window.export_button.isEnabled()

        # The warm-up ends after torch's stage, when the run has started, or will never.
        self._wait(lambda: running_or_done() or window.warmup.is_ready(), "torch did not load")
        self._wait(running_or_done, "the run did not start", timeout=10.0)
        # Export is enabled once a finished run's report exists, and not while one runs.
        self._wait(window.export_button.isEnabled, "the run did not finish")
        return f"{time.perf_counter() - started:.1f} s, torch included; {window.status_text()}"

    def evaluate(self) -> str:
        """Press Evaluate on test set: a run in the window leaves the test set alone until then."""
        window = self.window
        if not window.evaluate_button.isEnabled():
            raise StepFailed(f"Evaluate on test set is disabled: {window.status_text()}")
        started = time.perf_counter()
        outcome: list = []
        window.test_evaluated.connect(outcome.append)
        window.evaluate_button.click()
        self._wait(lambda: bool(outcome), "the test set was not evaluated")
        if outcome[0] is None or outcome[0].test is None:
            raise StepFailed(f"the test evaluation failed: {window.status_text()}")
        return f"{time.perf_counter() - started:.1f} s; {window.status_text()}"

    def export(self) -> str:
        sizes = []
        for path in (self.html_path, self.json_path):
            written = self.window.export_report(path)
            if not written.is_file():
                raise StepFailed(f"{written} was not written")
            sizes.append(f"{written.suffix[1:].upper()} {written.stat().st_size / 1024:.0f} kB")
        return ", ".join(sizes)

    def train_in_process(self) -> str:
        """Run > Train in a separate process: a spawned process (freeze_support again)."""
        window = self.window
        ended: list = []
        window.controller.run_ended.connect(ended.append)
        started = time.perf_counter()
        window.menu_actions.train_in_process.setChecked(True)
        window.train_button.click()
        self._wait(lambda: bool(ended), "the run in the training process did not finish")
        window.menu_actions.train_in_process.setChecked(False)
        result = ended[0].result
        if result.status.value not in ("completed", "early_stopped"):
            raise StepFailed(f"the run ended {result.status.value}: {result.error}")
        return f"{time.perf_counter() - started:.1f} s, the process's start included"

    def check_report(self) -> str:
        try:
            report = json.loads(self.json_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise StepFailed(f"the JSON report does not parse: {error}") from None
        missing = [
            key
            for key in ("name", "status", "epochs_run", "history", "test", "config", "environment")
            if key not in report
        ]
        if missing:
            raise StepFailed(f"the JSON report lacks {', '.join(missing)}")
        if report["status"] not in ("completed", "early_stopped"):
            reason = report.get("error") or "no error given"
            raise StepFailed(f"the run ended {report['status']}: {reason}")
        if report["name"] != RUN_NAME or report["epochs_run"] != EPOCHS:
            raise StepFailed(
                f"the report is of {report['name']!r}, {report['epochs_run']} epochs; "
                f"expected {RUN_NAME!r}, {EPOCHS}"
            )
        if len(report["history"]) != EPOCHS:
            raise StepFailed(f"the history holds {len(report['history'])} epochs, not {EPOCHS}")
        accuracy = (report["test"] or {}).get("accuracy")
        if not isinstance(accuracy, float) or not math.isfinite(accuracy):
            raise StepFailed(f"no test accuracy in the report (test: {report['test']!r:.80})")
        if accuracy < MIN_TEST_ACCURACY:
            raise StepFailed(f"test accuracy {accuracy:.3f} is below {MIN_TEST_ACCURACY}")
        html = self.html_path.read_text(encoding="utf-8")
        if "<html" not in html.lower() or RUN_NAME not in html:
            raise StepFailed("the HTML report is not a page naming the run")
        figures = html.count("data:image/png;base64,")
        if figures == 0:
            raise StepFailed("the HTML report holds no figures (matplotlib)")
        self.report = report
        return f"test accuracy {accuracy:.3f}, HTML with {figures} embedded images"

    def close_window(self) -> str:
        window, self.window = self.window, None
        if window is not None:
            window.close()  # stops a run and joins the window's threads
            window.deleteLater()
        if self.app is not None:
            self.app.processEvents()
        return ""

    def search(self) -> str:
        from workbench.config import experiment_from_dict
        from workbench.runs import RunStore
        from workbench.search import build_spec
        from workbench.search.runner import run_search

        base = experiment_from_dict(self.report["config"])
        settings = {
            "trials": 2,
            "epochs": 1,
            "workers": 2,
            "train_limit": 200,
            "space": {"optimizer.lr": {"log_uniform": [1e-3, 1e-2]}},
        }
        spec = build_spec(base, settings, name=f"{RUN_NAME}-search")
        started = time.perf_counter()
        outcome = run_search(spec, RunStore(self.folder / "data"), workers=2)
        if outcome.error:
            raise StepFailed(f"a worker process failed: {outcome.error}")
        statuses = sorted(trial.status for trial in outcome.trials)
        if outcome.done != 2 or any(trial.error for trial in outcome.trials):
            errors = [trial.error for trial in outcome.trials if trial.error]
            raise StepFailed(f"{outcome.done}/2 trials done ({statuses}) {errors[:1]}")
        best = outcome.best.best_value if outcome.best is not None else None
        if best is None:
            raise StepFailed(f"no trial scored ({statuses})")
        seconds = time.perf_counter() - started
        return f"{outcome.done} trials in {seconds:.1f} s, best validation accuracy {best:.3f}"


def run_self_test(out: TextIO | None = None) -> int:
    """The self-test; returns the exit code (0: every step passed)."""
    out = out or sys.stdout
    began = time.perf_counter()
    # Offscreen unless the caller chose a platform: the test needs no display and shows nothing.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from workbench import __version__

    frozen = "frozen app" if getattr(sys, "frozen", False) else "from source"
    print(
        f"self-test: workbench {__version__}, Python {sys.version.split()[0]}, {frozen}, "
        f"{sys.platform}",
        file=out,
        flush=True,
    )
    folder = Path(tempfile.mkdtemp(prefix="workbench-self-test-"))
    with _isolated(folder):
        test = _SelfTest(folder, began)
        try:
            code = run_steps(test.steps(), out)
        finally:
            # After a failed step too: a QThread still running at exit aborts the process.
            test.close_window()
    if code == 0:
        shutil.rmtree(folder, ignore_errors=True)
        print(f"self-test: passed in {time.perf_counter() - began:.1f} s", file=out, flush=True)
    else:
        print(f"self-test: failed; its files are kept in {folder}", file=out, flush=True)
    return code
