"""What the window says: a diverged run's numbers, and which accuracy the Runs tab shows."""

from PySide6.QtWidgets import QWidget

from tests.conftest import small_experiment
from workbench.core import fit
from workbench.runs import RunRecorder, RunStore
from workbench.ui.run_summary import describe_end
from workbench.ui.runs_panel import RunsPanel


def test_the_end_sentence_of_an_exploding_run_names_its_numbers():
    experiment = small_experiment(optimizer={"name": "sgd", "lr": 10.0})
    result = fit(experiment)
    found = result.divergence
    text = describe_end(result, experiment)
    assert text == found.describe()  # the same sentence as the command line and report
    assert text.startswith("The loss diverged (grew from 2.4")
    assert "in epoch 1): the learning rate (10) is probably too high; try 10x smaller." in text
    assert "Early stopping" not in text


def test_the_runs_tab_column_is_the_accuracy_at_the_best_epoch(qtbot, tmp_path):
    store = RunStore(tmp_path)
    experiment = small_experiment(training={"epochs": 4})
    recorder = RunRecorder(store, experiment)
    result = fit(experiment, [recorder])
    recorder.finish(result)
    panel = RunsPanel(store)
    qtbot.addWidget(panel)
    panel.refresh()
    table = panel.findChild(QWidget, "runsTable")
    header = table.horizontalHeaderItem(7)
    assert header.text() == "val. acc. at best epoch"
    assert "early-stopping monitor" in header.toolTip()
    at_best = result.history[result.best_epoch - 1].val_accuracy
    assert table.item(0, 7).text() == f"{at_best:.4f} ({result.best_epoch})"


def test_the_end_sentence_of_a_run_a_callback_stopped_gives_its_reason():
    from workbench.core import Callback

    class StopAfterOne(Callback):
        def on_train_begin(self, model, run):
            self.run = run

        def on_epoch_end(self, metrics):
            self.run.request_stop("the view has seen enough")

    experiment = small_experiment()
    result = fit(experiment, [StopAfterOne()])
    text = describe_end(result, experiment)
    assert text.startswith("Stopped after 1 epochs (best epoch 1): the view has seen enough")
    assert "by you" not in text
