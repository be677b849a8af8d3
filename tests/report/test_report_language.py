"""Reports in Japanese: the catalogue, the page, the figures, the PDF's fonts, the command line.

The report's strings are the gettext domain "report" (workbench/report/language.py):
workbench/locale/ja/LC_MESSAGES/report.po and .mo, written by
`python packaging/update_messages.py`. A new `{% trans %}` block or `_()` string in the
report fails `test_the_report_catalogue_is_current` until that script has run, and
`test_every_report_message_is_translated_with_the_same_fields` until it is translated.
"""

from __future__ import annotations

import gettext
import json
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest

from tests.conftest import small_experiment
from tests.i18n_support import JAPANESE, packaging_script
from workbench import i18n
from workbench.core.doctor import TEXTS, Diagnosis, report_entry, say, say_again, spoken
from workbench.report import figures, html_report, ranking
from workbench.report.html_report import render_comparison_html, render_html
from workbench.report.language import date_time, speaking

update_messages = packaging_script("update_messages")

FIELD = re.compile(r"\{(\w+)|%\((\w+)\)")


def _fields(text: str) -> set[str]:
    return {brace or percent for brace, percent in FIELD.findall(text)}


@pytest.fixture
def japanese_engine():
    i18n.set_language("ja")
    yield
    i18n.set_language("en")


# -- the catalogue ---------------------------------------------------------------------------
def test_the_report_catalogue_is_current():
    committed = {m.id for m in update_messages.read(update_messages.REPORT_PO) if m.id}
    current = {m.id for m in update_messages.extract_report() if m.id}
    assert current - committed == set(), "run `python packaging/update_messages.py`"
    assert committed - current == set(), "run `python packaging/update_messages.py`"


def test_every_report_message_is_translated_with_the_same_fields():
    catalog = update_messages.read(update_messages.REPORT_PO)
    assert update_messages.untranslated(catalog) == []
    for message in catalog:
        if message.id:
            assert _fields(message.id) == _fields(message.string), message.id
            assert message.string != message.id, message.id  # not copied over


def test_the_report_mo_file_is_the_compiled_po():
    with update_messages.REPORT_MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    compiled = {key: value for key, value in compiled.items() if key}
    source = {
        m.id: m.string for m in update_messages.read(update_messages.REPORT_PO) if m.id and m.string
    }
    assert compiled == source, "run `python packaging/update_messages.py`"


def test_the_two_domains_share_no_source_and_the_templates_are_read_as_rendered():
    reports = set(update_messages.report_sources())
    assert {path.name for path in reports} == {"html_report.py", "figures.py"}
    assert not reports & set(update_messages.sources())
    options = update_messages.JINJA_OPTIONS
    for key, value in {**html_report.JINJA_OPTIONS, **html_report.JINJA_I18N}.items():
        assert options[key] == str(value).lower(), key


def test_the_report_names_every_finding_and_labels_keys_as_english_always_did():
    ids = {key.split(".")[0] for key in TEXTS} - {"layer", "monitor"}
    assert ids == set(html_report.FINDINGS)
    for key, label in html_report.LABELS.items():
        assert label == key.replace("_", " ")  # English pages are unchanged
    assert (html_report.BEST_LABEL, html_report.BEST_DEFINITION) == (
        ranking.LABEL,
        ranking.DEFINITION,
    )


# -- the run doctor's sentences ----------------------------------------------------------------
def test_every_doctor_sentence_is_said_again_in_both_languages(japanese_engine):
    japanese = gettext.translation("workbench", i18n.LOCALE_DIR, languages=["ja"]).gettext
    for key, template in TEXTS.items():
        fields = {name: "7" for name in _fields(template)}
        made = say(key, **fields)
        text = spoken(made)
        assert text is not None and json.loads(json.dumps(text)) == text
        assert say_again(text, japanese) == str(made)  # made in Japanese here
        assert say_again(text, lambda message: message) == made.english()  # type: ignore[attr-defined]


def test_a_sentence_from_another_version_is_refused():
    with pytest.raises(ValueError):
        say_again({"key": "no_such.evidence", "fields": {}}, str)
    with pytest.raises(ValueError):
        say_again({"key": "test_set_overused.evidence", "fields": {}}, str)  # {looks} missing
    assert report_entry(Diagnosis("x", "info", 0, "Plain.", "Text.")).keys() == {
        "id",
        "severity",
        "epoch",
        "evidence",
        "suggestion",
    }


# -- a real run's report -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def run_and_report():
    from workbench.runs.session import report_of, train_and_record

    experiment = small_experiment(
        name="digits_small",
        training={"epochs": 4},
        early_stopping={"enabled": True, "patience": 3},
    )
    outcome = train_and_record(experiment, None)
    return experiment, outcome, report_of(experiment, outcome)


class _Visible(HTMLParser):
    """The page's visible text, by element: no <style>, <title> or attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.texts: list[str] = []
        self.headings: list[str] = []
        self._tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title"):
            self.hidden += 1
        if tag not in ("br", "img", "meta"):
            self._tags.append(tag)

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self.hidden -= 1
        if self._tags and tag == self._tags[-1]:
            self._tags.pop()

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.texts.append(data.strip())
            if self._tags and self._tags[-1] in ("h1", "h2", "h3"):
                self.headings.append(data.strip())


def _visible(html: str) -> _Visible:
    page = _Visible()
    page.feed(html)
    return page


def _english_left(html: str, own: set[str]) -> list[tuple[str, list[str]]]:
    from tests.gui.text_walk import english_words

    # Software the environment section names, beside the window's allow-list.
    allowed = {"python", "flatten"}
    left = []
    for text in _visible(html).texts:
        if text in own:
            continue  # the run's own text: its name, its classes, versions
        words = [w for w in english_words(text) if w.lower() not in allowed]
        if words:
            left.append((text, words))
    return left


def test_a_japanese_report_has_japanese_headings_and_no_english_sentence(run_and_report):
    _experiment, _outcome, report = run_and_report
    assert report["diagnoses"], "the run should have a finding to show"
    html = render_html(report, language="ja")
    page = _visible(html)
    for heading in ("学習レポート: digits_small", "実験", "データセット", "学習曲線", "学習の診断"):
        assert heading in page.headings, page.headings
    assert all(JAPANESE.search(h) for h in page.headings if h != "digits_small"), page.headings
    own = {"digits_small", *report["environment"].values()}
    assert _english_left(html, own) == []
    assert '<html lang="ja">' in html
    # The run doctor's findings in Japanese, though report.json keeps them in English.
    for entry in report["diagnoses"]:
        assert entry["evidence"] not in html
        assert not JAPANESE.search(entry["evidence"])
    japanese = gettext.translation("workbench", i18n.LOCALE_DIR, languages=["ja"]).gettext
    finding = say_again(report["diagnoses"][0]["texts"]["evidence"], japanese)
    assert JAPANESE.search(finding) and finding in html


def test_an_old_report_without_texts_shows_its_english_findings(run_and_report):
    report = json.loads(json.dumps(run_and_report[2]))
    for entry in report["diagnoses"]:
        del entry["texts"]
    html = render_html(report, language="ja")
    assert report["diagnoses"][0]["evidence"] in html


def test_report_json_is_the_same_in_both_languages(run_and_report, japanese_engine):
    from workbench.runs.session import report_of

    experiment, outcome, english = run_and_report
    japanese = report_of(experiment, outcome)  # the doctor speaks Japanese now
    assert json.dumps(japanese, sort_keys=True) == json.dumps(english, sort_keys=True)
    assert not JAPANESE.search(json.dumps(english, ensure_ascii=False))


def test_english_is_the_default_and_the_window_language_is_followed(run_and_report):
    report = run_and_report[2]
    english = render_html(report)
    assert english == render_html(report, language="en")
    assert not JAPANESE.search(english) and "Training report: digits_small" in english
    i18n.set_language("ja")  # as the window does when its language is 日本語
    try:
        assert "学習レポート" in render_html(report)
    finally:
        i18n.set_language("en")


def test_a_japanese_comparison(digits_report, binary_report):
    html = render_comparison_html([digits_report, binary_report], language="ja")
    page = _visible(html)
    assert "2 件の実行の比較" in page.headings
    own = {"#12 digits-adam", "cats-vs-dogs", "digits-adam"}
    left = [(t, w) for t, w in _english_left(html, own) if "cats-vs-dogs" not in t]
    assert left == []


def test_the_divergence_sentence_is_said_again_from_its_numbers(failed_report):
    report = dict(failed_report)
    report["divergence"] = {
        "epoch": 3,
        "initial_loss": 2.3,
        "loss": None,
        "lr": 10.0,
        "which": "training",
        "message": "The loss diverged (went from 2.3 to NaN in epoch 3).",
    }
    assert report["divergence"]["message"] in render_html(report)
    japanese = render_html(report, language="ja")
    assert "損失が発散しました" in japanese and report["divergence"]["message"] not in japanese


def test_hostile_names_stay_text_in_japanese(hostile_report):
    html = render_html(hostile_report, language="ja")
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_japanese_pages_list_with_the_ideographic_comma(run_and_report, digits_report):
    from workbench.report.language import join_list

    with speaking("ja"):
        assert join_list(["a", "b", "c"]) == "a、b、c"
    assert join_list(["a", "b", "c"]) == "a, b, c"  # English, and outside a render
    report = run_and_report[2]
    japanese = _visible(render_html(report, language="ja")).texts
    layer = next(text for text in japanese if text.startswith("活性化関数"))
    assert layer.count("、") == 2, layer  # a layer's three settings
    assert "10: 0、1、2、3、4、5、6、7、8、9" in japanese
    assert [text for text in japanese if ", " in text] == []
    english = _visible(render_html(report, language="en")).texts
    assert "activation relu, init he, units 32" in english  # English pages are unchanged
    assert "10: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9" in english
    # More classes than a page lists, and the comparison's runs whose test set was seen.
    many = json.loads(json.dumps(report))
    many["dataset"]["class_names"] = [f"c{i}" for i in range(62)]
    listed = ", ".join(f"c{i}" for i in range(60))
    assert f"62: {listed}, … (2 more)" in _visible(render_html(many, language="en")).texts
    shown = _visible(render_html(many, language="ja")).texts
    assert any(text.startswith(f"62: {listed.replace(', ', '、')}、… (") for text in shown)
    seen = [dict(digits_report, test_evaluations_on_split=2), dict(digits_report, run_id=3)]
    seen[1]["test_evaluations_on_split"] = 3
    comparison = render_comparison_html(seen, language="ja")
    assert "#12 digits-adam (2 回)、#3 digits-adam (3 回)" in comparison, comparison


# -- figures -----------------------------------------------------------------------------------
def _figure_texts(monkeypatch) -> list[list[str]]:
    from matplotlib.text import Text

    drawn: list[list[str]] = []
    original = figures._png

    def recording(figure):
        drawn.append([t.get_text() for t in figure.findobj(Text) if t.get_text()])
        return original(figure)

    monkeypatch.setattr(figures, "_png", recording)
    return drawn


def test_figures_speak_japanese_with_a_cjk_font(monkeypatch, digits_report):
    if figures.cjk_font() is None:
        pytest.skip("no CJK font for matplotlib here (install fonts-noto-cjk)")
    drawn = _figure_texts(monkeypatch)
    with speaking("ja"):
        assert figures.figure_language() == "ja"
        figures.learning_curves_png(digits_report["history"], 9)
    texts = " ".join(drawn[0])
    assert "損失" in texts and "エポック" in texts and "Loss" not in texts


def test_figures_fall_back_to_english_without_a_cjk_font(monkeypatch, digits_report):
    monkeypatch.setattr(figures, "cjk_font", lambda: None)
    drawn = _figure_texts(monkeypatch)
    english = figures.learning_curves_png(digits_report["history"], 9)
    with speaking("ja"):
        assert figures.figure_language() == "en"
        fallback = figures.learning_curves_png(digits_report["history"], 9)
    assert fallback == english  # no empty boxes: the very same English figure
    assert "Loss" in drawn[1] and not JAPANESE.search(" ".join(drawn[1]))


# -- the PDF -----------------------------------------------------------------------------------
def _qt_has_japanese_font() -> bool:
    # Fonts need an application; the tests' own (a QApplication, from the qapp fixture), not
    # the QGuiApplication printing would make: widgets made by later tests need the former.
    from PySide6.QtGui import QFontDatabase

    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.Japanese))


def test_a_japanese_pdf_embeds_a_cjk_font(tmp_path, digits_report, qapp):
    from workbench.printing.pdf import pdf_report

    if not _qt_has_japanese_font():
        pytest.skip("Qt finds no Japanese font here (install fonts-noto-cjk)")
    path = tmp_path / "ja.pdf"
    assert pdf_report(digits_report, None, path, language="ja") >= 1
    fonts = set(re.findall(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([\w-]+)", path.read_bytes()))
    cjk = {f for f in fonts if re.search(rb"CJK|JP|Gothic|Mincho|Hiragino|Meiryo|IPA", f)}
    assert cjk, fonts


# -- the command line --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    from workbench.__main__ import main
    from workbench.config import save_experiment

    root = tmp_path_factory.mktemp("report-language")
    experiment = root / "exp.toml"
    save_experiment(small_experiment(name="digits_small"), experiment)
    folder = root / "out"
    argv = ["run", str(experiment), "--out", str(folder), "--data-dir", str(root / "store")]
    try:
        assert main(argv) == 0
    finally:
        i18n.set_language("en")
    return folder


@pytest.mark.parametrize(
    ("argv", "lang", "japanese"),
    [
        (["--lang", "ja"], "C", True),
        (["--lang", "en"], "ja_JP.UTF-8", False),
        ([], "ja_JP.UTF-8", True),  # the locale's language by default
        ([], "C", False),
    ],
)
def test_workbench_report_lang(run_folder, tmp_path, monkeypatch, argv, lang, japanese):
    from workbench.cli import report_command

    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang)
    out = tmp_path / "report.html"
    assert report_command([str(run_folder), "--out", str(out), *argv]) == 0
    html = out.read_text(encoding="utf-8")
    assert bool(JAPANESE.search(html.split("<body>")[1])) == japanese


# -- dates -------------------------------------------------------------------------------------
def test_dates_in_the_report_language():
    when = datetime(2026, 12, 2, 13, 5)
    with speaking("ja"):
        assert date_time(when) == "2026年12月2日 13:05"
    with speaking("en"):
        assert date_time(when) == "2 December 2026 13:05"


def test_a_status_reads_the_same_in_a_report_as_on_the_command_line():
    # One table of status words (i18n.WORDS), one translation: a Japanese report once said
    # 停止 where the window and the command line said 中止.
    from workbench.report.language import engine_word

    i18n.set_language("ja")
    try:
        spoken = {key: i18n.word(key) for key in i18n.WORDS}
    finally:
        i18n.set_language("en")
    with speaking("ja"):
        assert {key: engine_word(key) for key in i18n.WORDS} == spoken
        assert engine_word("stopped") == "中止" and engine_word("nonsense") == "nonsense"
    with speaking("en"):
        assert engine_word("stopped") == "stopped"
