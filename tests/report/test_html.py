import re

import numpy as np
import pytest

from workbench.report.html_report import (
    SECTION_IDS,
    render_comparison_html,
    render_comparison_html_for_qt,
    render_html,
    render_html_for_qt,
)

from .helpers import assert_no_external_urls, decode_png, parse


def test_full_report_is_well_formed_self_contained_and_complete(digits_report, digits_images):
    html = render_html(digits_report, digits_images)
    page = parse(html)
    expected = set(SECTION_IDS) - {"roc-curve"}  # ten classes: no ROC curve
    assert expected <= page.ids
    assert "roc-curve" not in page.ids
    assert_no_external_urls(html)
    # Learning curves, learning rate, confusion matrix and one picture per misclassified example.
    assert len(page.images) == 3 + len(digits_report["misclassified"])
    for image in page.images:
        decode_png(image["src"])
        assert int(image["width"]) <= 680  # fits a portrait A4 page in the PDF
    text = " ".join(page.text)
    assert "top-3 accuracy" in text
    assert "best epoch 9" in text
    assert "1078" in text and "359" in text and "360" in text


def test_a_hostile_name_is_shown_as_text(hostile_report, digits_images):
    html = render_html(hostile_report, digits_images)
    parse(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert "<b>zero</b>" not in html
    assert "&lt;b&gt;zero&lt;/b&gt;" in html


def test_the_test_seen_warning_shows_only_after_repeated_evaluation(digits_report):
    assert "test-seen-warning" not in parse(render_html(digits_report)).ids
    digits_report["test_evaluations_on_split"] = 4
    html = render_html(digits_report)
    assert "test-seen-warning" in parse(html).ids
    assert "has been evaluated 4 times" in html
    # Near the top: before the first section.
    assert html.index('id="test-seen-warning"') < html.index('id="experiment"')


def test_a_failed_run_says_there_are_no_test_metrics(failed_report):
    html = render_html(failed_report)
    page = parse(html)
    assert_no_external_urls(html)
    text = " ".join(" ".join(page.text).split())
    assert "No test metrics" in text
    assert "diverged" in text
    assert "&lt;check the learning rate&gt;" in html  # the error, escaped
    assert "roc-curve" not in page.ids
    # The curves still show what happened before the loss became NaN.
    assert len(page.images) == 2


def test_a_run_with_no_epochs_renders(failed_report):
    failed_report["history"] = []
    failed_report["epochs_run"] = 0
    failed_report["best_epoch"] = None
    page = parse(render_html(failed_report))
    assert page.images == []
    assert "No epoch finished" in " ".join(page.text)


def test_two_classes_show_the_roc_curve_and_list_tabular_examples(binary_report):
    html = render_html(binary_report)
    page = parse(html)
    assert set(SECTION_IDS) <= page.ids
    assert "ROC-AUC" in html and "0.9120" in html
    assert "not images" in html
    assert "last epoch (12)" in html


def test_images_that_do_not_match_are_ignored(digits_report):
    page = parse(render_html(digits_report, np.zeros((3, 8, 8))))  # not (N, C, H, W)
    assert len(page.images) == 3


def test_the_qt_variant_names_its_images_as_resources(digits_report, digits_images):
    html, resources = render_html_for_qt(digits_report, digits_images)
    page = parse(html)
    sources = [image["src"] for image in page.images]
    assert "data:" not in html
    assert sorted(sources) == sorted(resources)
    assert all(png.startswith(b"\x89PNG") for png in resources.values())
    assert all(image.get("width") and image.get("height") for image in page.images)


def test_comparison_has_one_row_per_run_and_escapes_names(
    digits_report, binary_report, failed_report, hostile_report
):
    reports = [digits_report, binary_report, failed_report, hostile_report]
    html = render_comparison_html(reports)
    page = parse(html)
    assert_no_external_urls(html)
    assert len(re.findall(r'<tr class="run">', html)) == len(reports)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for image in page.images:
        decode_png(image["src"])
    assert "sgd" in html and "adam" in html
    assert "test-seen-warning" not in page.ids


def test_comparison_warns_about_a_reused_test_set(digits_report, binary_report):
    digits_report["test_evaluations_on_split"] = 2
    html = render_comparison_html([digits_report, binary_report])
    assert "test-seen-warning" in parse(html).ids


def test_comparison_for_qt_returns_its_figure(digits_report, failed_report):
    html, resources = render_comparison_html_for_qt([digits_report, failed_report])
    assert list(resources) == ["fig-compare.png"]
    assert 'src="fig-compare.png"' in html


@pytest.mark.parametrize("reports", [[]])
def test_an_empty_comparison_renders(reports):
    parse(render_comparison_html(reports))
