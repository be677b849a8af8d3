"""The Search tab's "Attach to a shared study…" (issue 22): a study trained elsewhere is shown
with its trials and curves, followed live until done or until the learner stops watching, and
a wrong study name is said in one line."""

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.search.conftest import LR_SPACE, make_spec
from workbench.app import create_window
from workbench.runs.store import RunStore
from workbench.search import run_search
from workbench.ui.search_attach import AttachDialog


@pytest.fixture
def panel(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "window-store"))
    win = create_window()
    qtbot.addWidget(win)
    win.show_tab(win.search_panel)
    return win.search_panel


def watch_to_end(qtbot, panel, storage, study, timeout=120_000):
    panel.attach.attach(storage, study)
    assert panel.attach.is_watching()
    assert panel.attach_button.text() == "Stop watching" and not panel.start_button.isEnabled()
    qtbot.waitUntil(lambda: not panel.attach.is_watching(), timeout=timeout)


def test_a_finished_shared_study_fills_the_tab(qtbot, panel, tmp_path):
    storage = f"sqlite:///{tmp_path}/shared.db"
    elsewhere = RunStore(tmp_path / "other-machine")
    done = run_search(
        make_spec(LR_SPACE, trials=3, epochs=2), elsewhere, storage=storage, study="s"
    )
    watch_to_end(qtbot, panel, storage, "s")
    assert panel.table.rowCount() == 3
    shown = sorted(int(panel.table.item(row, 0).text()) for row in range(3))
    assert shown == sorted(t.number for t in done.trials)
    best = max(done.trials, key=lambda t: t.best_value)
    assert panel.table.item(0, 2).text() == f"{best.best_value:.4f}"
    # Curves drawn from the study's per-epoch scores, not from this window's store (empty).
    assert panel.curves.shown and panel.curves.shown[0] == best.number
    assert panel.progress.value() == panel.progress.maximum() == 3
    assert "3 of 3 trials done" in panel.message.text() and "done." in panel.message.text()
    assert panel.attach_button.text() == "Attach to a shared study…"
    assert panel.start_button.isEnabled() and panel.apply_button.isEnabled()


def test_watching_a_live_search_can_be_stopped_and_the_search_goes_on(qtbot, panel, tmp_path):
    storage = f"sqlite:///{tmp_path}/live.db"
    elsewhere = RunStore(tmp_path / "other-machine")
    spec = make_spec(LR_SPACE, trials=200, epochs=30)
    stop = threading.Event()
    worker = threading.Thread(
        target=run_search,
        args=(spec, elsewhere),
        kwargs={"storage": storage, "study": "live", "stop_token": stop},
    )
    worker.start()
    try:
        qtbot.waitUntil(lambda: bool(elsewhere.list_searches()), timeout=60_000)
        panel.attach.attach(storage, "live")
        qtbot.waitUntil(lambda: panel.table.rowCount() >= 1, timeout=60_000)
        qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.attach.is_watching(), timeout=10_000)
        assert "Stopped watching; the search goes on." in panel.message.text()
        assert worker.is_alive()
    finally:
        stop.set()
        worker.join(60)


def test_a_wrong_study_is_named_in_one_line(qtbot, panel, tmp_path):
    storage = f"sqlite:///{tmp_path}/shared.db"
    run_search(make_spec(LR_SPACE, trials=1, epochs=1), RunStore(tmp_path / "m"), storage=storage,
               study="real")  # fmt: skip
    watch_to_end(qtbot, panel, storage, "typo")
    text = panel.message.text()
    assert text.startswith("Cannot watch the study: --study typo: no such study")
    assert "(studies there: real)" in text and "\n" not in text
    assert "b00020" in panel.message.styleSheet()


def test_the_dialog_asks_for_both_and_remembers_them(qtbot, panel, monkeypatch):
    dialog = AttachDialog("", "", panel)
    qtbot.addWidget(dialog)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.storage.setText("postgresql://u@db/optuna")
    assert not ok.isEnabled()
    dialog.study.setText("lr-sweep")
    assert ok.isEnabled()
    asked_for = []
    monkeypatch.setattr(
        panel.attach, "attach", lambda storage, study: asked_for.append((storage, study))
    )

    def fill_and_accept(self):
        self.storage.setText("sqlite:///x.db")
        self.study.setText("mine")
        return 1

    monkeypatch.setattr(AttachDialog, "exec", fill_and_accept)
    panel.attach_button.click()
    assert asked_for == [("sqlite:///x.db", "mine")]
    # The next dialog opens with what was given last.
    seen = []
    monkeypatch.setattr(
        AttachDialog, "exec", lambda self: seen.append((self.storage.text(), self.study.text()))
    )
    panel.attach_button.click()
    assert seen == [("sqlite:///x.db", "mine")]
