"""`workbench --self-test`: what the packaging scripts run against the frozen app."""

import io
import os
import subprocess
import sys

from workbench.selftest import StepFailed, run_steps

STEPS = (
    "window opened",
    "Japanese translation loaded",
    "trained 2 epochs on the digits",
    "evaluated on the test set",
    "report exported",
    "report checked",
    "trained in a separate process",
    "window closed",
    "search in 2 worker processes",
)


def test_the_self_test_passes_from_source_and_leaves_the_run_store_alone(tmp_path):
    # A fresh process, as the frozen app runs it (a second QApplication in one process aborts).
    store = tmp_path / "store"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_DATA_DIR": str(store)}
    completed = subprocess.run(
        [sys.executable, "-m", "workbench", "--self-test"],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        cwd=tmp_path,
    )
    out = completed.stdout
    assert completed.returncode == 0, out + completed.stderr
    lines = [line for line in out.splitlines() if line.startswith("self-test: ")]
    assert "from source" in lines[0]
    for step, line in zip(STEPS, lines[1:], strict=False):
        assert line.startswith(f"self-test: {step}"), out
        assert line.endswith(" ... ok"), out
    assert len(lines) == len(STEPS) + 2, out
    assert lines[-1].startswith("self-test: passed in "), out
    assert "test accuracy 0." in out and "shown " in out
    # The offscreen platform's harmless complaint is not printed among the steps.
    assert "propagateSizeHints" not in out + completed.stderr
    # The runs it trained went to its own temporary store, not to $WORKBENCH_DATA_DIR.
    # Nor into the folder it was started in.
    assert not store.exists() and not list(tmp_path.iterdir())


def test_a_failing_step_stops_the_test_with_its_reason_in_one_line():
    ran = []

    def fine():
        ran.append("fine")
        return "detail"

    def broken():
        raise StepFailed("the report lacks test\nsecond line")

    def crashing():
        raise KeyError("accuracy")

    out = io.StringIO()
    steps = [("first", fine), ("second", broken), ("third", fine)]
    assert run_steps(steps, out) == 1
    assert out.getvalue().splitlines() == [
        "self-test: first (detail) ... ok",
        "self-test: second ... FAILED: the report lacks test",
    ]
    assert ran == ["fine"]
    out = io.StringIO()
    assert run_steps([("only", crashing)], out) == 1
    assert out.getvalue() == "self-test: only ... FAILED: KeyError: 'accuracy'\n"


def test_the_self_test_drops_the_offscreen_size_hint_message_and_passes_on_the_rest():
    from PySide6.QtCore import qInstallMessageHandler, qWarning

    from workbench.selftest import quiet_qt_messages

    seen = []
    original = qInstallMessageHandler(lambda mode, context, message: seen.append(message))
    try:
        quiet_qt_messages()
        qWarning("This plugin does not support propagateSizeHints()")
        qWarning("QThread: Destroyed while thread is still running")
    finally:
        qInstallMessageHandler(original)
    assert seen == ["QThread: Destroyed while thread is still running"]


def test_the_translation_step_fails_without_the_qm_file(tmp_path, monkeypatch):
    import pytest

    from workbench.selftest import check_translation
    from workbench.ui import language

    assert "言語" in check_translation()  # the .qm of the checkout loads and translates
    monkeypatch.setattr(language, "QM_FILE", tmp_path / "missing.qm")
    with pytest.raises(StepFailed, match="missing.qm is missing"):
        check_translation()
