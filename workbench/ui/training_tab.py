"""The Training tab: the run's live curves and its test results, one page each.

At 1280 x 720 the tab gets about 640 x 560 pixels: three plots above a results panel left the
confusion matrix two rows tall. So the curves and the results each get the whole tab, and the
tab turns to the results when a run's test evaluation arrives and back to the curves when the
next run starts; either page is one click away.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QTabWidget, QWidget

from workbench.ui.decision_boundary import DecisionBoundaryView
from workbench.ui.results_panel import ResultsPanel
from workbench.ui.training_plots import TrainingPlots


class TrainingTab(QTabWidget):
    """Sub-tabs "Curves", "Test results" and, for 2-feature data, "Decision boundary".

    Attributes:
        plots: The live loss, accuracy and learning-rate plots.
        results: The test metrics and confusion matrix.
        boundary: The model's predicted class over the plane, live (2-D data only).
    """

    def __init__(
        self,
        plots: TrainingPlots | None = None,
        results: ResultsPanel | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """Lay out `plots` and `results` (new ones when None) as the tab's two pages."""
        super().__init__(parent)
        self.setObjectName("trainingTab")
        self.setDocumentMode(True)  # a tab bar inside a tab: no second frame round the pages
        self.plots = plots if plots is not None else TrainingPlots()
        self.results = results if results is not None else ResultsPanel()
        self.addTab(self.plots, self.tr("Curves"))
        self.addTab(self.results, self.tr("Test results"))
        self.setTabToolTip(0, self.tr("Loss, accuracy and learning rate, epoch by epoch"))
        self.setTabToolTip(
            1, self.tr("The test set's metrics and confusion matrix, once the run has ended")
        )
        # Third: the decision boundary, for data of two input features only.
        self.boundary = DecisionBoundaryView()
        self.addTab(self.boundary, self.tr("Decision boundary"))
        self.set_boundary_available(False)
        self.plots.run_started.connect(self.show_curves)
        self.results.results_shown.connect(self.show_results)

    @Slot()
    def show_curves(self) -> None:
        """Turn from the last test results to the live curves (a run has started)."""
        if self.currentWidget() is self.results:  # a live decision boundary stays in front
            self.setCurrentWidget(self.plots)

    def set_boundary_available(self, available: bool) -> None:
        """Enable the decision boundary's sub-tab (the data have two input features) or not."""
        index = self.indexOf(self.boundary)
        if not available and self.currentWidget() is self.boundary:
            self.setCurrentWidget(self.plots)  # else Qt turns to its neighbour, the results
        self.setTabEnabled(index, available)
        self.setTabToolTip(
            index,
            self.tr("The model's predicted class over the plane of the two input features, live")
            if available
            else self.tr(
                "Only for data with two input features: spiral, moons, circles, XOR, blobs, "
                "or a CSV of two feature columns"
            ),
        )

    @Slot()
    def show_results(self) -> None:
        """Turn to the test results (they have just arrived)."""
        self.setCurrentWidget(self.results)
