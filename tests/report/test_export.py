import json

import pytest

from workbench.report.export import REPORT_FORMATS, export_comparison, export_report


def test_formats():
    assert REPORT_FORMATS == ("html", "pdf", "json", "csv")


@pytest.mark.parametrize("fmt", ["html", "json", "csv"])
def test_export_report_writes_each_format(tmp_path, digits_report, digits_images, fmt):
    path = tmp_path / f"out.{fmt}"
    written = export_report(digits_report, fmt, path, images=digits_images)
    assert written[0] == path and path.stat().st_size > 0
    if fmt == "json":
        assert json.loads(path.read_text())["name"] == "digits-adam"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_pdf_needs_a_writer(tmp_path, digits_report):
    with pytest.raises(ValueError, match="pdf needs a pdf writer"):
        export_report(digits_report, "pdf", tmp_path / "out.pdf")
    with pytest.raises(ValueError, match="pdf needs a pdf writer"):
        export_comparison([digits_report], "pdf", tmp_path / "out.pdf")
    assert list(tmp_path.iterdir()) == []


def test_pdf_goes_through_the_given_writer(tmp_path, digits_report):
    calls = []

    def writer(html, resources, path):
        calls.append((html, resources, path))
        path.write_bytes(b"%PDF-fake")
        return 1

    path = tmp_path / "out.pdf"
    assert export_report(digits_report, "pdf", path, pdf_writer=writer) == [path]
    html, resources, _ = calls[0]
    assert "data:" not in html and 'src="fig-learning.png"' in html
    assert set(resources) >= {"fig-learning.png", "fig-lr.png", "fig-confusion.png"}


def test_unknown_formats(tmp_path, digits_report):
    with pytest.raises(ValueError, match="unknown report format"):
        export_report(digits_report, "docx", tmp_path / "x")
    with pytest.raises(ValueError, match="unknown comparison format"):
        export_comparison([digits_report], "csv", tmp_path / "x")


def test_export_comparison_html(tmp_path, digits_report, failed_report):
    path = tmp_path / "compare.html"
    assert export_comparison([digits_report, failed_report], "html", path) == [path]
    assert path.read_text(encoding="utf-8").count('<tr class="run">') == 2
