"""Reports name their one "best validation accuracy" and say why a diverged run stopped."""

import json
import math
import re

from tests.conftest import small_experiment
from workbench.core import RunStatus, fit
from workbench.report import build_report, write_report
from workbench.report.html_report import render_comparison_html, render_html
from workbench.report.ranking import LABEL

from .helpers import parse


def _runs_table_cells(html):
    return [
        re.findall(r'<td class="num">([^<]*)</td>', row)[1]
        for row in re.findall(r'<tr class="run">(.*?)</tr>', html)
    ]


def test_the_comparison_shows_accuracy_at_the_best_epoch_not_the_highest(digits_report):
    # Best epoch 9 by validation loss; accuracy keeps rising after it (0.865 at epoch 9,
    # 0.97 at epoch 12): the table shows the best epoch's, as "restore best" tested it.
    assert digits_report["best_epoch"] == 9
    html = render_comparison_html([digits_report])
    assert _runs_table_cells(html) == ["86.50% (epoch 9)"]
    assert f'<th width="9%">{LABEL}</th>' in html
    assert "highest validation accuracy of any epoch" not in html
    assert "whose weights &#39;restore best&#39; keeps and tests" in html


def test_the_comparison_names_the_best_run_and_calls_a_tie_a_tie(digits_report):
    other = json.loads(json.dumps(digits_report))
    other["run_id"], other["name"] = 13, "digits-sgd"
    page = parse(render_comparison_html([digits_report, other]))
    text = " ".join(page.text)
    assert "best-run" in page.ids
    assert "a tie between #12 digits-adam and #13 digits-sgd (86.50%)" in text
    other["history"][8]["val_accuracy"] = 0.9
    text = " ".join(parse(render_comparison_html([digits_report, other])).text)
    assert "#13 digits-sgd (90.00%)" in text and "tie" not in text


def test_a_diverged_runs_report_carries_the_reason_and_its_numbers(tmp_path):
    experiment = small_experiment(optimizer={"name": "sgd", "lr": 10.0})
    result = fit(experiment)
    assert result.status == RunStatus.DIVERGED
    report = build_report(experiment, result)
    message = result.divergence.describe()
    assert report["divergence"]["message"] == message
    assert report["divergence"]["epoch"] == 1 and report["divergence"]["lr"] == 10.0
    written = json.loads(write_report(report, tmp_path / "report.json").read_text())
    assert written["divergence"] == {
        key: (value if not isinstance(value, float) or math.isfinite(value) else None)
        for key, value in report["divergence"].items()
    }
    html = render_html(report)
    assert message.replace("'", "&#39;") in html


def test_other_runs_have_a_null_divergence(make_experiment):
    experiment = make_experiment(training={"epochs": 1})
    assert build_report(experiment, fit(experiment))["divergence"] is None
