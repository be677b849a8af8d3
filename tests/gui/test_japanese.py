"""The window in Japanese: the .ts and .qm are current and complete, no English is left.

The translation's files: resources/i18n/workbench_ja.ts (what translators edit) and
workbench/ui/translations/workbench_ja.qm (what the window loads), both written by
`python packaging/update_translations.py`, which also prints how many messages are left
unfinished. A new `tr()` string fails `test_the_ts_file_is_current` until that script has
run, and `test_every_message_is_translated` until it is translated.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QMessageBox

from tests.gui.conftest import run_to_end
from tests.gui.text_walk import english, texts, visit_every_tab
from tests.i18n_support import ROOT, packaging_script
from workbench.app import create_window
from workbench.ui import language, language_menu

update_translations = packaging_script("update_translations")
TS = update_translations.TS


def _messages(ts: Path) -> dict[tuple[str, str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            key = (name, message.findtext("source", ""), message.findtext("comment", ""))
            found[key] = message
    return found


def _listed(keys, most=40) -> str:
    lines = [f"  [{context}] {source!r}" for context, source, _ in sorted(keys)[:most]]
    more = f"\n  ... and {len(keys) - most} more" if len(keys) > most else ""
    return "\n".join(lines) + more


# -- the files -------------------------------------------------------------------------------
def test_the_ts_file_is_current(tmp_path):
    """lupdate on today's sources adds no message to the .ts and drops none from it."""
    fresh = tmp_path / "workbench_ja.ts"
    shutil.copy(TS, fresh)
    update_translations.lupdate(fresh)
    committed, current = _messages(TS), _messages(fresh)
    new = current.keys() - committed.keys()
    vanished = committed.keys() - current.keys()
    assert not new, (
        f"{len(new)} source texts are not in {TS.name}; run "
        f"`python packaging/update_translations.py` and translate them:\n{_listed(new)}"
    )
    assert not vanished, (
        f"{len(vanished)} messages of {TS.name} are no longer in the sources; run "
        f"`python packaging/update_translations.py`:\n{_listed(vanished)}"
    )


def test_every_message_is_translated():
    left = [
        key for key, message in _messages(TS).items() if not update_translations.finished(message)
    ]
    assert not left, (
        f"{len(left)} of {len(_messages(TS))} messages of {TS.name} are unfinished "
        f"(translate them, then run `python packaging/update_translations.py`):\n{_listed(left)}"
    )


def test_the_qm_file_holds_every_finished_translation():
    """Compared by what it translates, not by bytes: lrelease's output differs between Qts."""
    translator = QTranslator()
    assert translator.load(str(language.QM_FILE)), f"{language.QM_FILE} does not load"
    wrong = []
    for (context, source, comment), message in _messages(TS).items():
        if not update_translations.finished(message):
            continue
        node = message.find("translation")
        forms = [form.text or "" for form in node.iter("numerusform")] or [node.text or ""]
        got = translator.translate(context, source, comment or None, 1 if len(forms) > 1 else -1)
        if got not in forms:
            wrong.append((context, source, comment))
    assert not wrong, (
        f"{len(wrong)} translations of {TS.name} are not in {language.QM_FILE.name} as they "
        f"are in the .ts; run `python packaging/update_translations.py`:\n{_listed(wrong)}"
    )


def test_translations_done_apart_are_merged_by_context_and_source(tmp_path):
    def ts(path, *messages):
        unfinished = ' type="unfinished"'
        body = "".join(
            f"<context><name>{context}</name><message><source>{source}</source>"
            f"<translation{'' if text else unfinished}>{text}</translation>"
            "</message></context>"
            for context, source, text in messages
        )
        path.write_text(f'<?xml version="1.0"?><TS version="2.1">{body}</TS>', "utf-8")
        return path

    sentence = "Walk this optimizer down the function."
    main = ts(tmp_path / "main.ts", ("A", "Train", ""), ("B", "Train", ""), ("C", sentence, ""))
    part = ts(tmp_path / "part.ts", ("A", "Train", "学習"), ("old", sentence, "関数を下る"))
    assert update_translations.merge(main, [part]) == 2
    merged = _messages(main)
    assert merged[("A", "Train", "")].findtext("translation") == "学習"
    assert not update_translations.finished(merged[("B", "Train", "")])  # a word: not guessed
    assert merged[("C", sentence, "")].findtext("translation") == "関数を下る"  # moved class


def test_the_wheel_and_the_frozen_app_carry_the_qm_files():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"workbench.ui" = ["translations/*.qm"]' in text
    assert language.QM_FILE.parts[-4:] == ("workbench", "ui", "translations", "workbench_ja.qm")
    spec = (ROOT / "packaging" / "workbench.spec").read_text(encoding="utf-8")
    assert 'collect_data_files("workbench.ui", includes=["translations/*.qm"])' in spec
    assert '"PySide6/Qt/translations/qtbase_ja.qm"' in spec  # kept among Qt's dropped ones


# -- the setting ---------------------------------------------------------------------------
@pytest.fixture
def settings_file(tmp_path, monkeypatch):
    """The language setting in a temporary file, never in the person's own settings."""
    path = tmp_path / "settings.ini"
    monkeypatch.setattr(
        language, "settings", lambda: QSettings(str(path), QSettings.Format.IniFormat)
    )
    return path


def test_system_means_japanese_on_a_japanese_system_and_english_elsewhere(settings_file):
    japan = QLocale(QLocale.Language.Japanese, QLocale.Country.Japan)
    germany = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    assert language.stored_choice() == "system"  # the default
    assert language.resolve("system", japan) == "ja"
    assert language.resolve("system", germany) == "en"
    assert language.resolve("en", japan) == "en"
    assert language.resolve("ja", germany) == "ja"
    language.store_choice("ja")
    assert language.stored_choice() == "ja"
    with pytest.raises(ValueError):
        language.store_choice("fr")


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="macOS and Windows read their own settings"
)
def test_the_system_locale_is_read_from_lang():
    code = "from workbench.ui.language import resolve; print(resolve('system'))"
    for lang, expected in (("ja_JP.UTF-8", "ja"), ("C", "en")):
        env = {"PATH": "/usr/bin:/bin", "LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""}
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
        )
        assert out.stdout.strip() == expected, (lang, out.stdout, out.stderr)


def test_the_language_menu_stores_the_choice_and_offers_a_restart(
    qtbot, settings_file, monkeypatch
):
    window = create_window()
    qtbot.addWidget(window)
    menu = window.findChild(QMenu, "languageMenu")
    assert menu is not None
    actions = {action.objectName(): action for action in menu.actions()}
    assert list(actions) == [
        "languageSystemAction",
        "languageEnglishAction",
        "languageJapaneseAction",
    ]
    assert [a.text() for a in actions.values()] == ["System", "English", "日本語"]
    assert actions["languageSystemAction"].isChecked()  # nothing stored: System
    assert all(a.isCheckable() for a in actions.values())

    asked, started = [], []
    monkeypatch.setattr(language_menu, "ask_restart", lambda w, busy: asked.append(busy))
    actions["languageJapaneseAction"].trigger()
    assert language.stored_choice() == "ja"
    assert actions["languageJapaneseAction"].isChecked()
    assert not actions["languageSystemAction"].isChecked()  # exclusive
    assert asked == [False]

    # Restart now: the window closes as for Quit, then the same program starts again.
    monkeypatch.setattr(language_menu, "ask_restart", lambda w, busy: True)
    monkeypatch.setattr(
        language_menu.QProcess, "startDetached", lambda *args: started.append(args) or True
    )
    monkeypatch.setattr(sys, "argv", ["workbench", "--lang", "ja", "exp.toml"])
    window.show()
    actions["languageEnglishAction"].trigger()
    assert language.stored_choice() == "en"
    assert not window.isVisible()
    program, arguments, _ = started[0]
    assert program == sys.executable
    assert arguments == ["-m", "workbench", "exp.toml"]  # --lang left out: the setting rules


def test_an_application_made_by_the_app_is_translated_before_its_window(tmp_path):
    """What `workbench --lang ja` does: a fresh process, its QApplication made by the app."""
    code = (
        "from PySide6.QtCore import QLocale\n"
        "from PySide6.QtWidgets import QMenu\n"
        "from workbench import app\n"
        "app._application('ja')\n"
        "window = app.create_window()\n"
        "print(window.findChild(QMenu, 'viewMenu').title(), QLocale().name())\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert out.stdout.split() == ["表示(&V)", "ja_JP"], out.stdout + out.stderr


def test_restart_starts_a_frozen_app_as_itself(monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    program, arguments, _ = language.restart_command(["--lang=en", "a.toml"])
    assert (program, arguments) == (sys.executable, ["a.toml"])


def test_the_window_line_takes_a_language(capsys):
    from workbench.__main__ import _window_parser

    assert _window_parser().parse_args(["--lang", "ja"]).lang == "ja"
    with pytest.raises(SystemExit):
        _window_parser().parse_args(["--lang", "fr"])
    assert "--lang" in capsys.readouterr().err


def test_japanese_numbers_and_translators_come_and_go(qapp):
    before = QLocale().name()
    assert language.install(qapp, "ja") == "ja"
    try:
        assert QLocale().language() == QLocale.Language.Japanese
        assert qapp.translate(*_KNOWN) != _KNOWN[1]
    finally:
        language.uninstall(qapp)
    assert QLocale().name() == before
    assert qapp.translate(*_KNOWN) == _KNOWN[1]
    assert language.install(qapp, "en") == "en"
    assert QLocale().name() == before


_KNOWN = ("LanguageMenu", "&Language")


# -- the window in Japanese ------------------------------------------------------------------
@pytest.fixture
def japanese(qapp, monkeypatch, tmp_path):
    # An empty run store: runs other tests recorded are named in English, and a run's name
    # is the person's own text, not the window's.
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "store"))
    language.install(qapp, "ja")
    yield
    language.uninstall(qapp)


def _dialog_texts(window) -> list[tuple[str, str]]:
    """Texts of the dialogs the window opens, made without being shown."""
    from workbench.ui.axis_values import AxisValuesDialog, axis_texts
    from workbench.ui.batch_size_compare import BatchSizeDialog
    from workbench.ui.lr_finder_dialog import LrFinderDialog
    from workbench.ui.race_rates import RaceRatesDialog

    dialogs = [
        *(AxisValuesDialog(by, "", window) for by in axis_texts()),
        BatchSizeDialog("1, 32, 256, full", 1000, 5, window),
        RaceRatesDialog({}, window),
        LrFinderDialog(window.current_experiment(), window),
        language_menu.restart_box(window, busy=False),
        language_menu.restart_box(window, busy=True),
    ]
    found = []
    for dialog in dialogs:
        found += texts(dialog)
        dialog.deleteLater()
    return found


def _report(left) -> str:
    lines = [f"  {where}: {text!r}  (English: {', '.join(words)})" for where, text, words in left]
    return f"{len(left)} texts of the Japanese window hold English words:\n" + "\n".join(lines)


def test_every_text_of_the_window_is_japanese(qtbot, japanese):
    window = create_window()
    qtbot.addWidget(window)
    window.fit_to(1360, 820)
    window.show()
    qtbot.waitExposed(window)
    visit_every_tab(window)
    found = texts(window) + _dialog_texts(window)
    left = english(found)
    assert not left, _report(left)


def test_a_finished_run_is_told_in_japanese(qtbot, japanese):
    window = create_window()
    qtbot.addWidget(window)
    window.form._epochs.setValue(2)
    window.form._batch_size.setValue(64)
    window.form._device.setCurrentIndex(window.form._device.findData("cpu"))
    window.form._name.setText("実験")  # a name is the person's, in any language
    run_to_end(qtbot, window)
    visit_every_tab(window)
    left = english(texts(window))
    assert not left, _report(left)


def test_qt_own_dialog_buttons_are_japanese(qtbot, japanese):
    box = QMessageBox(QMessageBox.Icon.Question, "", "", QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "キャンセル"
    assert QApplication.instance() is not None


def test_a_spiral_run_names_its_classes_in_japanese(qtbot, japanese):
    """The built-in 2-D datasets' classes ("arm 0", "inner"...) are shown translated; the
    data and the record keep the English names, so runs compare across languages."""
    from tests.gui.conftest import evaluate_test
    from tests.gui.test_decision_boundary import choose

    window = create_window()
    qtbot.addWidget(window)
    choose(window, "spiral")
    window.form._epochs.setValue(2)
    window.form._device.setCurrentIndex(window.form._device.findData("cpu"))
    window.form._name.setText("渦巻き")
    run_to_end(qtbot, window)
    evaluate_test(qtbot, window)  # the confusion matrix names the classes too
    visit_every_tab(window)
    left = english(texts(window))
    assert not left, _report(left)
    legend = window.findChild(QLabel, "boundaryLegend")
    assert "腕 0" in legend.text() and "arm" not in legend.text()
    (record,) = window.store.list_runs()
    assert [c["label"] for c in record.test["per_class"]] == ["arm 0", "arm 1", "arm 2"]
