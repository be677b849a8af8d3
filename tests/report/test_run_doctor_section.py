"""The report's run doctor section and its figure of the hidden layers' outputs (issue 17).

A real probed run (seven sigmoid layers with normal std 1, the book's bad initial values) goes
through every way a report is made: `report_of` (the window's export and `workbench run`),
report.json read back (`workbench report DIR`) and the run store (`workbench report ID`).
"""

import copy
import json

import pytest

from tests.conftest import small_experiment
from workbench.report import write_report
from workbench.report.html_report import _activations, render_html, render_html_for_qt
from workbench.runs.session import report_of, train_and_record
from workbench.runs.store import RunStore
from workbench.runs.trained import from_store

from .helpers import decode_png, parse

SEVEN_SIGMOIDS = {
    "layers": [
        {"type": "dense", "units": 100, "activation": "sigmoid", "init": "normal", "init_std": 1.0}
    ]
    * 7
}
FIGURE_ALT = "Histograms of each hidden layer's outputs"


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    """One recorded, probed run and its report: (experiment, outcome, report, store)."""
    import torch

    import workbench.core.probes as probes

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model: a second thread only waits on the first
    try:
        with pytest.MonkeyPatch.context() as patch:
            # Every epoch looked at (see the every_epoch_looked fixture): the best one too.
            patch.setattr(probes, "MAX_COST_SHARE", 1.0)
            store = RunStore(tmp_path_factory.mktemp("doctor-report"))
            experiment = small_experiment(
                model=SEVEN_SIGMOIDS,
                optimizer={"name": "sgd", "lr": 0.01},
                training={"epochs": 3},
            )
            outcome = train_and_record(experiment, store)
    finally:
        torch.set_num_threads(threads)
    return experiment, outcome, report_of(experiment, outcome), store


def _figure(html):
    return [image for image in parse(html).images if image["alt"] == FIGURE_ALT]


@pytest.fixture(scope="module")
def probed_html(probed):
    return render_html(probed[2])


def test_a_probed_runs_report_shows_its_diagnoses_and_the_activation_figure(probed, probed_html):
    _, outcome, report, _ = probed
    best = report["best_epoch"]
    assert best is not None
    activations = report["activations"]
    assert activations["epochs"] == [0, best]
    assert [layer["name"] for layer in activations["layers"]] == [
        f"{i} dense (sigmoid)" for i in range(1, 8)
    ]
    for layer in activations["layers"]:
        assert len(layer["edges"]) == 51
        assert [sum(counts) for counts in layer["counts"]] == [sum(layer["counts"][0])] * 2
    html = probed_html
    page = parse(html)
    assert "run-doctor" in page.ids
    (figure,) = _figure(html)
    decode_png(figure["src"])
    assert int(figure["width"]) <= 680
    text = " ".join(" ".join(page.text).split())
    for finding in ("saturated sigmoids", "vanishing gradients"):
        assert finding in text
    for entry in report["diagnoses"]:
        assert entry["evidence"] in text and entry["suggestion"] in text
    assert "At initialisation, " in text and "Xavier" in text
    assert f"at initialisation (epoch 0) (grey) and at best epoch {best}" in text
    # The section comes before how the run ended, and lists the findings most serious first.
    assert html.index('id="run-doctor"') < html.index('id="ending"')
    assert [d.id for d in outcome.diagnoses] == [e["id"] for e in report["diagnoses"]]


def test_the_pdf_variant_names_the_figure_as_a_resource(probed):
    # Only the figure's own part of the report: the rest is the same as the browser's.
    report = {"name": "x", "best_epoch": probed[2]["best_epoch"]}
    report["activations"] = probed[2]["activations"]
    html, resources = render_html_for_qt(report)
    assert list(resources) == ["fig-activations.png"]
    assert 'src="fig-activations.png"' in html


def test_report_json_and_the_store_keep_the_same_figure(probed, tmp_path):
    # The page is made from the report alone, so the same numbers make the same figure.
    _, outcome, report, store = probed
    # `workbench run --out` writes report.json; `workbench report DIR` renders it.
    written = json.loads(write_report(report, tmp_path / "report.json").read_text())
    assert written["activations"] == report["activations"]
    # `workbench report ID` and the window's Runs tab make the report from the store.
    stored = from_store(store, outcome.run_id).report
    assert stored["activations"] == report["activations"]
    assert stored["diagnoses"] == report["diagnoses"]


def test_the_figure_shows_the_last_look_at_or_before_the_best_epoch(probed):
    # Short epochs are not all looked at (probes.MAX_COST_SHARE): the figure then shows the
    # last look before the best epoch, named by its own epoch.
    from workbench.report.json_report import activation_looks

    _, outcome, _, _ = probed
    looks = [s for s in outcome.snapshots if s.epoch != 2]
    assert activation_looks(looks, best_epoch=2)["epochs"] == [0, 1]
    assert activation_looks(looks, best_epoch=3)["epochs"] == [0, 3]
    assert activation_looks(looks, best_epoch=0)["epochs"] == [0]
    assert activation_looks(looks, best_epoch=None)["epochs"] == [0]


def test_a_run_without_probes_has_the_section_but_no_figure(tmp_path):
    # A search's trials are not probed (their cost adds up); the report still renders.
    store = RunStore(tmp_path)
    experiment = small_experiment(training={"epochs": 1})
    outcome = train_and_record(experiment, store, probes=False)
    report = report_of(experiment, outcome)
    assert report["activations"] is None
    assert from_store(store, outcome.run_id).report["activations"] is None
    html, resources = render_html_for_qt(report)
    assert "run-doctor" in parse(html).ids
    assert "fig-activations.png" not in resources
    assert "Histograms of each hidden layer" not in html


def test_a_report_from_before_the_doctor_says_so(failed_report):
    assert "diagnoses" not in failed_report and "activations" not in failed_report
    html = render_html(failed_report)
    assert "run-doctor" in parse(html).ids
    assert "written before the run doctor existed" in html
    assert _figure(html) == []
    assert "found nothing to report" in render_html({"name": "x", "diagnoses": []})


def _usable_layers(activations, best_epoch=3):
    found = _activations({"activations": activations, "best_epoch": best_epoch})
    return None if found is None else len(found[0])


@pytest.mark.parametrize(
    ("damage", "layers"),
    [
        (lambda a: a.update(epochs="0"), None),
        (lambda a: a.update(epochs=[]), None),
        (lambda a: a.update(layers="none"), None),
        (lambda a: a["layers"][0].update(edges=[0.0]), 6),
        (lambda a: a["layers"][0].update(edges=[0.0, float("nan")] * 26), 6),
        (lambda a: a["layers"][0].update(counts=[[1, 2], None]), 6),
        (lambda a: a["layers"][0].update(counts=[[-1] * 50, ["x"] * 50]), 6),
        (lambda a: a["layers"].append("not a layer"), 7),
        (lambda a: [layer.update(counts=None) for layer in a["layers"]], None),
    ],
)
def test_a_hand_edited_activations_entry_costs_at_most_the_figure(probed, damage, layers):
    activations = copy.deepcopy(probed[2]["activations"])
    damage(activations)
    assert _usable_layers(activations) == layers


def test_a_damaged_entry_still_renders(probed):
    report = {"name": "x", "activations": copy.deepcopy(probed[2]["activations"])}
    report["activations"]["layers"][0]["counts"] = [["x"], None]
    assert len(_figure(render_html(report))) == 1  # six layers left


def test_only_the_first_look_when_the_best_epoch_was_not_looked_at(probed):
    activations = copy.deepcopy(probed[2]["activations"])
    activations["epochs"] = [0]
    for layer in activations["layers"]:
        layer["counts"] = layer["counts"][:1]
    html = render_html({"name": "x", "best_epoch": None, "activations": activations})
    assert len(_figure(html)) == 1
    assert "no look was recorded at a best epoch" in html
