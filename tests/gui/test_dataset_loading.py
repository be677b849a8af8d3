"""Opening a large dataset: read in the background, with a progress bar and Cancel."""

import gzip
import struct
import threading
import time
from collections import OrderedDict

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton, QWidget

from tests.benchmarks.gui_responsiveness import GapRecorder
from workbench.data import sources
from workbench.ui import dataset_loading

MNIST_TRAIN, MNIST_TEST = 60_000, 10_000


def write_idx(path, array):
    """An IDX file of unsigned bytes; gzip level 1: random pixels do not compress anyway."""
    header = struct.pack(f">I{array.ndim}I", 0x800 | array.ndim, *array.shape)
    with gzip.open(path, "wb", compresslevel=1) as handle:
        handle.write(header + array.tobytes())


@pytest.fixture(scope="module")
def mnist_sized(tmp_path_factory):
    """An MNIST-sized IDX folder: 60,000 + 10,000 random 28 x 28 images, gzipped."""
    folder = tmp_path_factory.mktemp("mnist-sized")
    rng = np.random.default_rng(0)
    for prefix, count in (("train", MNIST_TRAIN), ("t10k", MNIST_TEST)):
        images = rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)
        labels = (np.arange(count) % 10).astype(np.uint8)
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels)
    return folder


@pytest.fixture(autouse=True)
def _nothing_read_yet(monkeypatch):
    """An empty cache of imported datasets: each test reads its files from disk."""
    monkeypatch.setattr(sources, "_CACHE", OrderedDict())


class _DialogWatch:
    """Notes, every 10 ms, whether the loading dialog is shown and the values it shows."""

    def __init__(self, panel: QWidget, on_shown=None) -> None:
        self.shown, self.values = False, []
        self._panel, self._on_shown = panel, on_shown
        self.timer = QTimer(panel, interval=10)  # goes with the panel, should a test fail
        self.timer.timeout.connect(self._look)
        self.timer.start()

    def _look(self) -> None:
        dialog = self._panel.findChild(QProgressDialog, "datasetLoadProgress")
        if dialog is None or not dialog.isVisible():
            return
        self.values.append(dialog.value())
        if not self.shown and self._on_shown is not None:
            self._on_shown(dialog)
        self.shown = True


@pytest.fixture
def small_idx(tmp_path):
    folder = tmp_path / "small"
    folder.mkdir()
    write_idx(folder / "train-images-idx3-ubyte.gz", np.zeros((40, 28, 28), np.uint8))
    write_idx(folder / "train-labels-idx1-ubyte.gz", (np.arange(40) % 2).astype(np.uint8))
    return folder


def warm_up(window, qtbot, small_idx):
    """What a first read does once per process, done before measuring: the app's warm-up
    imports scikit-learn in a thread, and this suite's QThread check reads source files."""
    assert window.dataset_panel.open_path(small_idx)
    with qtbot.waitSignal(window.previews.data_shown, timeout=30_000):
        window.previews.update_data()


def test_a_60000_image_idx_folder_opens_with_a_progress_bar_and_the_window_keeps_going(
    window, qtbot, mnist_sized, small_idx, monkeypatch
):
    # The bar shows at once here, so that a fast machine shows it too.
    monkeypatch.setattr(dataset_loading.DatasetLoading, "SHOW_AFTER_MS", 0)
    warm_up(window, qtbot, small_idx)
    threads = []
    read = dataset_loading.load_source

    def read_and_note_the_thread(config, progress=None):
        threads.append(threading.get_ident())
        return read(config, progress)

    monkeypatch.setattr(dataset_loading, "load_source", read_and_note_the_thread)
    panel = window.dataset_panel
    watch = _DialogWatch(panel)
    recorder = GapRecorder()
    recorder.start()
    qtbot.wait(100)  # the recorder leaves its first gap out: the read must not be it
    started = time.perf_counter()
    assert panel.open_path(mnist_sized)
    opened = time.perf_counter() - started
    ticks_while_reading = len([end for end in recorder.ends if end > started])
    qtbot.wait(600)  # the Data tab's preview follows the opened dataset
    gaps, _ = recorder.stop()
    watch.timer.stop()

    # Read once, off the window's thread.
    assert len(threads) == 1 and threads[0] != threading.main_thread().ident
    assert panel.dataset().n_samples == MNIST_TRAIN
    assert len(panel.dataset().test_labels) == MNIST_TEST
    assert window.current_tab() is window.data_preview
    # The window's event loop kept turning while the images were read, and never froze. (A
    # freeze, not the 200 ms target: beside another test process on 2 cores a stutter of
    # 230 ms was seen; gaps are measured against targets by tests/benchmarks/ scripts.)
    assert ticks_while_reading > 3, (ticks_while_reading, opened)
    assert gaps.max() < 1000, f"event loop froze {gaps.max():.0f} ms; read in {opened:.2f} s"
    # The bar showed, and it moved.
    assert watch.shown and max(watch.values) > 0, watch.values
    assert panel.findChild(QProgressDialog, "datasetLoadProgress") is None or not (
        panel.findChild(QProgressDialog, "datasetLoadProgress").isVisible()
    )


def click_train_then_cancel(window, how):
    """While the dataset is read: Train does nothing yet, then Cancel as a person would."""

    def act(dialog):
        QTest.mouseClick(window.train_button, Qt.MouseButton.LeftButton)
        QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert window.training_run is None  # held back: it would train the old dataset
        if how == "button":
            QTest.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
        else:
            QTest.keyClick(dialog, Qt.Key.Key_Escape)

    return act


@pytest.mark.parametrize("how", ["button", "escape"])
def test_cancel_keeps_the_dataset_shown(window, qtbot, mnist_sized, monkeypatch, how):
    monkeypatch.setattr(dataset_loading.DatasetLoading, "SHOW_AFTER_MS", 0)
    read = dataset_loading.load_source

    def read_slowly(config, progress=None):
        # A slower disk: Cancel is pressed while the images are still being read.
        def tell(fraction):
            time.sleep(0.02)
            progress(fraction)

        return read(config, tell)

    monkeypatch.setattr(dataset_loading, "load_source", read_slowly)
    warnings = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda parent, title, text: warnings.append(text))
    )
    panel = window.dataset_panel
    before, config = panel.dataset(), panel.data_config()
    watch = _DialogWatch(panel, on_shown=click_train_then_cancel(window, how))
    assert not panel.open_path(mnist_sized)
    watch.timer.stop()
    assert watch.shown
    assert panel.dataset() is before and panel.data_config() == config
    assert panel.findChild(QWidget, "datasetSource").currentData() == "digits"
    assert not warnings  # a cancel is no error
    assert "cancelled" in window.status_text()
    assert not panel.is_loading()
    # The window goes on as before: the next read works.
    combo = panel.findChild(QWidget, "datasetSource")
    combo.setCurrentIndex(combo.findData("moons"))
    assert panel.data_config().source == "moons"


def test_a_quick_read_shows_no_dialog(window, qtbot):
    panel = window.dataset_panel
    watch = _DialogWatch(panel)
    combo = panel.findChild(QWidget, "datasetSource")
    combo.setCurrentIndex(combo.findData("spiral"))
    watch.timer.stop()
    assert panel.data_config().source == "spiral"
    assert not watch.shown
