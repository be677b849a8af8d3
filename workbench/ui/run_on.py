"""The form's "Run on" row: train on this computer or on a Ray cluster, remembered (QSettings).

Beside the device: "This computer", "Ray cluster at ADDRESS" (once one has been given), and
"Other Ray cluster…", which asks for the address and what each run asks of the cluster (CPUs,
GPUs). A run on the cluster trains there as a Ray task (`workbench.runs.ray_run`); its
curves come back as it trains and it is recorded here like any other. The choice is not
part of the experiment: the same experiment file trains anywhere.
"""

from __future__ import annotations

import importlib.util

from PySide6.QtCore import QSettings, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.runs.ray_run import RayCluster, address_problem

_PLACE_KEY = "training/run_on"  # "computer" or "ray"
_ADDRESS_KEY = "training/ray_address"
_CPUS_KEY = "training/ray_cpus"
_GPUS_KEY = "training/ray_gpus"
_DATA_THERE_KEY = "training/ray_data_there"  # bool: read the data file on the cluster

_COMPUTER, _CLUSTER, _OTHER = "computer", "ray", "other"


class RayClusterDialog(QDialog):
    """Asks for a cluster's address and what each run asks of it."""

    def __init__(self, cluster: RayCluster, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rayClusterDialog")
        self.setWindowTitle(self.tr("Train on a Ray cluster"))
        self.address = QLineEdit(cluster.address, objectName="rayAddressEdit")
        self.address.setPlaceholderText(self.tr("HOST:PORT, ray://HOST:10001, auto or local"))
        self.address.setMinimumWidth(320)
        self.cpus = QDoubleSpinBox(objectName="rayCpusSpin", minimum=0.5, maximum=1024)
        self.cpus.setDecimals(1)
        self.cpus.setValue(cluster.cpus)
        self.gpus = QDoubleSpinBox(objectName="rayGpusSpin", minimum=0, maximum=64)
        self.gpus.setDecimals(2)
        self.gpus.setValue(cluster.gpus)
        form = QFormLayout()
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("CPUs per run"), self.cpus)
        form.addRow(self.tr("GPUs per run"), self.gpus)
        self.data_there = QCheckBox(
            self.tr("The data file's path exists on the cluster: read it there, do not send it"),
            objectName="rayDataThereCheck",
        )
        self.data_there.setChecked(cluster.data_there)
        self.data_there.setToolTip(
            self.tr(
                "For a large data file the cluster's machines already have at the same path. "
                "The run checks the experiment against it there first; a path the cluster "
                "lacks ends the run in one line, with nothing recorded. Built-in data is "
                "always made there."
            )
        )
        form.addRow(self.data_there)
        note = QLabel(
            self.tr(
                "What `ray start --head` printed on the cluster's head, or local to start a "
                "cluster on this computer. Each run trains there as a Ray task; its curves "
                "come back as it trains and it is recorded here. A dataset read from a file "
                "goes with the run unless the box above is ticked; the weights come back as "
                "safetensors."
            )
        )
        note.setWordWrap(True)
        self.problem = QLabel(objectName="rayAddressProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self._buttons)
        self.address.textChanged.connect(self._check)
        self._check()

    def cluster(self) -> RayCluster:
        return RayCluster(
            self.address.text().strip(),
            self.cpus.value(),
            self.gpus.value(),
            self.data_there.isChecked(),
        )

    @Slot()
    def _check(self) -> None:
        problem = address_problem(self.address.text().strip())
        if problem is None and importlib.util.find_spec("ray") is None:
            problem = self.tr("Ray is not installed: pip install 'workbench[cluster]'")
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        ok = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(problem is None)


class RunOnChooser(QComboBox):
    """Where the next runs train; `changed` carries a RayCluster, or None for this computer."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runOnCombo")
        # A long address must not widen the form panel at 1280x720; the tooltip has it all.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(12)
        self._known = _stored_cluster()
        stored = _stored_place()
        self._place = _CLUSTER if stored == _CLUSTER and self._known is not None else _COMPUTER
        self._refill()
        self.activated.connect(self._on_activated)

    def cluster(self) -> RayCluster | None:
        """The cluster chosen, or None: this computer."""
        return self._known if self.currentData() == _CLUSTER else None

    def _refill(self) -> None:
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("This computer"), _COMPUTER)
        if self._known is not None:
            self.addItem(self._cluster_text(self._known.address), _CLUSTER)
        self.addItem(self.tr("Other Ray cluster…"), _OTHER)
        self.setCurrentIndex(max(0, self.findData(self._place)))
        self.blockSignals(False)
        self._show_tooltip()

    def _cluster_text(self, address: str) -> str:
        # `local` and `auto` are words, not places: "at local" reads wrong.
        if address == "local":
            return self.tr("Ray, started on this computer")
        if address == "auto":
            return self.tr("The Ray cluster this computer is in")
        return self.tr("Ray cluster at {address}").format(address=address)

    def _show_tooltip(self) -> None:
        cluster = self.cluster()
        if cluster is None:
            self.setToolTip(self.tr("Runs train on this computer."))
        else:
            self.setToolTip(
                self.tr(
                    "Runs train on the Ray cluster at {address}, each asking for {cpus:g} "
                    "CPUs and {gpus:g} GPUs; they are recorded on this computer."
                ).format(address=cluster.address, cpus=cluster.cpus, gpus=cluster.gpus)
            )

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        place = self.itemData(index)
        if place == _OTHER:
            dialog = RayClusterDialog(self._known or RayCluster("local"), self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                self._refill()  # back to where runs trained before
                return
            self._known = dialog.cluster()
            settings = QSettings()
            settings.setValue(_ADDRESS_KEY, self._known.address)
            settings.setValue(_CPUS_KEY, self._known.cpus)
            settings.setValue(_GPUS_KEY, self._known.gpus)
            settings.setValue(_DATA_THERE_KEY, self._known.data_there)
            place = _CLUSTER
        self._place = place
        self._refill()
        QSettings().setValue(_PLACE_KEY, place)
        self.changed.emit(self.cluster())


def _stored_place() -> str:
    return str(QSettings().value(_PLACE_KEY, _COMPUTER))


def _stored_cluster() -> RayCluster | None:
    settings = QSettings()
    address = str(settings.value(_ADDRESS_KEY, "") or "")
    if not address or address_problem(address) is not None:
        return None
    try:
        cpus = float(settings.value(_CPUS_KEY, 1))  # type: ignore[arg-type]
        gpus = float(settings.value(_GPUS_KEY, 0))  # type: ignore[arg-type]
    except (TypeError, ValueError):  # a hand-edited settings file
        cpus, gpus = 1.0, 0.0
    data_there = str(settings.value(_DATA_THERE_KEY, "false")).lower() == "true"
    return RayCluster(address, max(0.5, cpus), max(0.0, gpus), data_there)
