import os
import re

import pytest

from workbench.printing import pdf
from workbench.printing.pdf import pdf_comparison, pdf_report, write_pdf
from workbench.report.export import export_report

PAGE = re.compile(rb"/Type\s*/Page(?!s)")


def _check_pdf(path, pages):
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(PAGE.findall(data)) == pages
    return data


def test_full_report_pdf(qapp, tmp_path, digits_report, digits_images):
    digits_report["test_evaluations_on_split"] = 2
    path = tmp_path / "report.pdf"
    pages = pdf_report(digits_report, digits_images, path)
    assert pages >= 2
    _check_pdf(path, pages)
    assert os.listdir(tmp_path) == ["report.pdf"]


@pytest.mark.parametrize("fixture", ["failed_report", "binary_report", "hostile_report"])
def test_other_reports_print(qapp, tmp_path, request, fixture):
    path = tmp_path / "report.pdf"
    pages = pdf_report(request.getfixturevalue(fixture), None, path)
    _check_pdf(path, pages)


def test_comparison_pdf(qapp, tmp_path, digits_report, binary_report, failed_report):
    path = tmp_path / "sub" / "compare.pdf"
    pages = pdf_comparison([digits_report, binary_report, failed_report], path)
    assert pages >= 1
    _check_pdf(path, pages)


def test_export_report_with_the_qt_writer(qapp, tmp_path, digits_report):
    path = tmp_path / "out.pdf"
    assert export_report(digits_report, "pdf", path, pdf_writer=write_pdf) == [path]
    assert path.read_bytes().startswith(b"%PDF-")


def test_a_failed_print_keeps_the_old_pdf(qapp, tmp_path, monkeypatch, digits_report):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF- the good one %%EOF")

    def fail(self, writer):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(pdf.QTextDocument, "print_", fail)
    with pytest.raises(RuntimeError, match="printer on fire"):
        pdf_report(digits_report, None, path)
    assert path.read_bytes() == b"%PDF- the good one %%EOF"
    assert os.listdir(tmp_path) == ["report.pdf"]


def test_bad_resources_are_refused(qapp, tmp_path):
    with pytest.raises(ValueError, match="not an image"):
        write_pdf("<p>x</p>", {"x.png": b"not a png"}, tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []
