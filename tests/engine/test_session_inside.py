"""Every recorded run is looked inside and diagnosed: probes in the store, diagnoses in reports."""

from __future__ import annotations

import json

import pytest

from tests.engine.test_run_store import cli  # noqa: F401 - the fixture
from workbench.runs.session import report_of, train_and_record
from workbench.runs.store import RunStore

# Their runs' epochs take milliseconds: without it, which epochs are looked at depends on
# the machine's speed (probes.MAX_COST_SHARE).
pytestmark = pytest.mark.usefixtures("every_epoch_looked")

REPORT_KEYS = {"id", "severity", "epoch", "evidence", "suggestion"}


def test_a_recorded_run_keeps_a_look_per_epoch_and_reports_its_diagnoses(
    tmp_path,
    make_experiment,
    cli,  # noqa: F811
):
    store = RunStore(tmp_path)
    seen, verdicts = [], []
    experiment = make_experiment(optimizer={"name": "sgd", "lr": 10.0})
    outcome = train_and_record(
        experiment, store, on_snapshot=seen.append, on_diagnoses=verdicts.append
    )
    assert outcome.result.status == "diverged"
    # Epoch 0 (at initialisation) and the diverged epoch, live and in the store.
    assert [s.epoch for s in outcome.snapshots] == [0, 1]
    assert [s.epoch for s in store.probes(outcome.run_id)] == [0, 1]
    assert [s.epoch for s in seen if s.final] == [0, 1]
    assert verdicts and any(d.id == "divergence" for d in verdicts[-1])
    report = report_of(experiment, outcome)
    assert report["diagnoses"][0]["id"] == "divergence"
    # `texts`: how to say them again in another language (core/doctor.py `report_entry`).
    assert all(set(entry) == REPORT_KEYS | {"texts"} for entry in report["diagnoses"])
    assert "try 1" in report["diagnoses"][0]["suggestion"]
    # The past run says the same after a restart, through `workbench runs show`.
    shown = json.loads(cli("show", str(outcome.run_id), "--json", data_dir=tmp_path).stdout)
    assert shown["diagnoses"] == report["diagnoses"]
    assert [p["epoch"] for p in shown["probes"]] == [0, 1]
    layer = shown["probes"][0]["layers"][0]
    assert layer["name"] and sum(layer["activations"]["counts"]) > 0


def test_a_healthy_run_has_no_warnings_and_unprobed_runs_keep_no_looks(tmp_path, make_experiment):
    store = RunStore(tmp_path)
    outcome = train_and_record(make_experiment(), store)
    assert len(outcome.snapshots) == 4  # epochs 0 to 3
    assert not [d for d in outcome.diagnoses if d.severity != "info"]
    trial = train_and_record(make_experiment(), store, probes=False)
    assert trial.snapshots == () and store.probes(trial.run_id) == []
