"""The data panel and preview in the window: built-in sets, imports, bad files, drops."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QMessageBox, QWidget

from tests.gui.conftest import evaluate_test, start_run
from workbench.core import RunStatus


def write_csv(path, rows=120):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(rows, 3))
    labels = np.where(x[:, 0] > 0, "cat", "dog")
    lines = ["w,h,name,kind"] + [
        f"{a:.4f},{b:.4f},item{i},{label}"
        for i, ((a, b, _), label) in enumerate(zip(x, labels, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def show_data(qtbot, window):
    """Ask for the Data tab's preview and wait for it: the split is made in the background."""
    with qtbot.waitSignal(window.previews.data_shown, timeout=30_000):
        window.previews.update_data()


def test_digits_preview_shows_counts_and_an_image_grid(window, qtbot):
    show_data(qtbot, window)
    preview = window.data_preview
    assert preview.image_grid_shown()
    counts = np.array(preview.counts())
    assert counts.shape == (10, 3)
    assert tuple(counts.sum(axis=0)) == window.dataset_panel.split_sizes() == (1077, 360, 360)


def test_a_synthetic_set_shows_a_scatter_and_follows_the_noise_slider(window, qtbot):
    combo = window.dataset_panel.findChild(QWidget, "datasetSource")
    combo.setCurrentIndex(combo.findData("moons"))
    show_data(qtbot, window)
    assert window.data_preview.scatter_shown()
    # Each class in its colour of the shared palette, as the decision boundary draws it.
    from workbench.report.boundary import class_colour

    items = window.data_preview._scatter.getPlotItem().listDataItems()
    brushes = [item.opts["symbolBrush"] for item in items]
    assert [pg.mkBrush(b).color().getRgb()[:3] for b in brushes] == [
        class_colour(0),
        class_colour(1),
    ]
    before = window.dataset_panel.dataset().features.copy()
    window.dataset_panel.findChild(QWidget, "noiseSlider").setValue(60)
    assert window.dataset_panel.data_config().noise == 0.6
    assert not np.array_equal(window.dataset_panel.dataset().features, before)
    assert "Dense 2" in window.model_builder.findChild(QWidget, "outputLayerLabel").text()


def test_importing_a_csv_then_training_on_it(window, qtbot, tmp_path):
    path = write_csv(tmp_path / "pets.csv")
    assert window.open_dropped(path)
    assert window.current_tab() is window.data_preview
    panel = window.dataset_panel
    assert panel.data_config().source == "csv"
    assert panel.dataset().class_names == ("cat", "dog")
    assert panel.findChild(QWidget, "labelColumnCombo").currentText() == "kind"
    assert "Imported: pets.csv" in panel.findChild(QWidget, "datasetSource").currentText()
    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=60_000) as finished:
        pass
    assert finished.args[0].status == RunStatus.COMPLETED
    assert window.current_experiment().data.path == str(path)


def test_a_broken_file_is_refused_and_the_loaded_dataset_stays(window, tmp_path, monkeypatch):
    warnings = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda parent, title, text: warnings.append(text))
    )
    before = window.dataset_panel.dataset()
    broken = tmp_path / "broken.csv"
    broken.write_text("a,b,label\n1,2,x\n3,4\n")
    assert not window.dataset_panel.open_path(broken)
    assert len(warnings) == 1 and "broken.csv" in warnings[0]
    assert "\n" not in warnings[0]
    assert window.dataset_panel.dataset() is before
    combo = window.dataset_panel.findChild(QWidget, "datasetSource")
    assert combo.currentData() == "digits"
    assert not window.dataset_panel.open_path(tmp_path / "notes.txt")
    assert "notes.txt" in warnings[-1]


def test_a_training_subset_changes_the_counts(window, qtbot):
    window.dataset_panel.findChild(QWidget, "trainLimitSpin").setValue(300)
    show_data(qtbot, window)
    counts = np.array(window.data_preview.counts())
    assert counts[:, 0].sum() == 300 and counts[:, 1].sum() == 360


def test_an_idx_folder_with_its_own_test_set_trains_with_a_subset(window, qtbot, tmp_path):
    from tests.engine.test_importers import make_mnist

    make_mnist(tmp_path / "mnist", n=400, size=(8, 8), values=(0, 1, 2, 3), test=80, gz=True)
    assert window.dataset_panel.open_path(tmp_path / "mnist")
    panel = window.dataset_panel
    assert panel.dataset().has_test_split
    assert panel.split_sizes() == (320, 80, 80)
    assert panel.findChild(QWidget, "testFraction").isHidden()  # the source's own test set
    panel.findChild(QWidget, "trainLimitSpin").setValue(100)
    show_data(qtbot, window)
    assert window.data_preview.image_grid_shown()
    assert np.array(window.data_preview.counts()).sum(axis=0).tolist() == [100, 80, 80]
    window.model_builder.apply_preset("small_cnn")
    assert window.model_builder.first_error() is None
    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=60_000) as finished:
        pass
    result = finished.args[0]
    assert result.status == RunStatus.COMPLETED
    assert sum(c.support for c in evaluate_test(qtbot, window).test.per_class) == 80


def test_an_image_folder_opens_and_trains(window, qtbot, tmp_path):
    from tests.engine.test_importers import write_png

    rng = np.random.default_rng(0)
    for name, level in (("dark", 40), ("light", 210)):
        for i in range(30):
            pixels = np.clip(rng.normal(level, 20, (10, 12)), 0, 255).astype(np.uint8)
            write_png(tmp_path / "shapes" / name / f"{i}.png", pixels)
    panel = window.dataset_panel
    panel.findChild(QWidget, "imageHeightSpin").setValue(6)
    assert panel.open_path(tmp_path / "shapes")
    assert panel.dataset().class_names == ("dark", "light")
    assert panel.dataset().image_shape == (1, 28, 28)  # the default size of the config
    panel.findChild(QWidget, "imageHeightSpin").setValue(8)
    panel.findChild(QWidget, "imageWidthSpin").setValue(8)
    panel._reload()
    assert panel.dataset().image_shape == (1, 8, 8)
    assert window.current_experiment().data.image_size == (8, 8)
    run = start_run(qtbot, window)
    with qtbot.waitSignal(run.run_finished, timeout=60_000) as finished:
        pass
    assert finished.args[0].status == RunStatus.COMPLETED
    assert evaluate_test(qtbot, window).test.accuracy > 0.9


def test_the_preview_splits_off_the_window_thread_and_shows_only_the_latest(
    window, qtbot, monkeypatch
):
    import threading

    from workbench.ui import previews

    threads, real_split = [], previews.split_dataset

    def split_and_note_the_thread(*args, **kwargs):
        threads.append(threading.get_ident())
        return real_split(*args, **kwargs)

    monkeypatch.setattr(previews, "split_dataset", split_and_note_the_thread)
    shown = []
    window.previews.data_shown.connect(
        lambda: shown.append(np.array(window.data_preview.counts())[:, 0].sum())
    )
    window.previews.update_data()  # all the training part: superseded before it ends
    window.dataset_panel.findChild(QWidget, "trainLimitSpin").setValue(300)
    with qtbot.waitSignal(window.previews.data_shown, timeout=30_000):
        window.previews.update_data()
    qtbot.wait(500)  # the panel's own request, 250 ms after the edit, is served too
    assert shown and all(train == 300 for train in shown), shown
    assert threads and threading.main_thread().ident not in threads


def test_a_split_the_preview_cannot_make_is_said_in_the_status_bar(window, qtbot):
    window.dataset_panel.findChild(QWidget, "trainLimitSpin").setValue(5)
    with qtbot.waitSignal(window.previews.problem, timeout=30_000) as said:
        window.previews.update_data()
    assert said.args == ["data.train_limit: 5 is fewer than the 10 classes"]
    assert window.status_text() == said.args[0]


def test_closing_the_window_waits_for_the_previews_split(window):
    from workbench.ui.jobs import running_jobs

    window.previews.update_data()
    assert any(job.is_running() for job in running_jobs())
    window.close()
    assert not any(job.is_running() for job in running_jobs())
