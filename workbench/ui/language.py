"""The window's language: the setting, the translators installed at start, and the restart.

The setting (QSettings key `language`) is "system", "en" or "ja"; "system", the default, is
Japanese when the system's locale is Japanese and English otherwise. `install` puts the
translators on the application before any widget is made: the window's own
(`translations/workbench_ja.qm`, made by packaging/update_translations.py) and Qt's
(`qtbase_ja`, the standard dialogs' buttons), and makes Japanese the default QLocale, so
numbers and dates shown through QLocale follow. Widgets are built in code once, with their
texts translated then: a change of language takes effect at the next start, which the
View > Language menu offers to do (`restart_command`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from workbench import i18n

SETTING = "language"
SYSTEM, ENGLISH, JAPANESE = "system", "en", "ja"
CHOICES = (SYSTEM, ENGLISH, JAPANESE)
QM_FILE = Path(__file__).resolve().parent / "translations" / "workbench_ja.qm"
# The installed translators: Qt keeps only a pointer, Python must keep the objects alive.
_installed: list[QTranslator] = []
_locale_before: list[QLocale] = []  # the default QLocale that `install` replaced


def settings() -> QSettings:
    """The application's settings (tests replace this with a temporary file's)."""
    return QSettings()


def stored_choice() -> str:
    value = settings().value(SETTING, SYSTEM)
    return value if value in CHOICES else SYSTEM


def store_choice(choice: str) -> None:
    if choice not in CHOICES:
        raise ValueError(f"language must be one of {', '.join(CHOICES)}, not {choice!r}")
    settings().setValue(SETTING, choice)


def resolve(choice: str, system: QLocale | None = None) -> str:
    """The language a choice means on this system: "en" or "ja"."""
    if choice in (ENGLISH, JAPANESE):
        return choice
    locale = QLocale.system() if system is None else system
    return JAPANESE if locale.language() == QLocale.Language.Japanese else ENGLISH


def qt_translations_dirs() -> list[Path]:
    """Where Qt's own .qm files may be: Qt's path, then PySide6's folder (a frozen bundle)."""
    import PySide6

    package = Path(PySide6.__file__).resolve().parent
    folders = [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        package / "Qt" / "translations",
        package / "translations",
    ]
    return [folder for folder in dict.fromkeys(folders) if folder.is_dir()]


def load_translators() -> tuple[QTranslator | None, QTranslator | None]:
    """The window's Japanese translator and Qt's `qtbase_ja`; None for one not found."""
    own = QTranslator()
    own_loaded = own.load(str(QM_FILE))
    qt = QTranslator()
    qt_loaded = any(qt.load("qtbase_ja", str(folder)) for folder in qt_translations_dirs())
    return (own if own_loaded else None), (qt if qt_loaded else None)


def install(app: QCoreApplication, language: str | None = None) -> str:
    """Translate the application into `language` (a choice; None: the stored one).

    Call it before any widget is made. Returns the language in effect, "en" or "ja".
    """
    effective = resolve(language if language is not None else stored_choice())
    uninstall(app)
    # The engine's messages (diagnoses, errors) too, process-wide: the training thread's.
    i18n.set_language(effective)
    if effective == JAPANESE:
        for translator in load_translators():
            if translator is not None:
                app.installTranslator(translator)
                _installed.append(translator)
        _locale_before.append(QLocale())
        QLocale.setDefault(QLocale(QLocale.Language.Japanese, QLocale.Country.Japan))
    return effective


def uninstall(app: QCoreApplication) -> None:
    """Undo `install` on `app`: English again, and the default QLocale, for what is made next."""
    i18n.set_language(i18n.ENGLISH)
    while _installed:
        app.removeTranslator(_installed.pop())
    if _locale_before:
        QLocale.setDefault(_locale_before[0])
        _locale_before.clear()


def restart_command(argv: list[str] | None = None) -> tuple[str, list[str], str]:
    """(program, arguments, folder) that start this program again as it was started.

    A frozen app is its own program; from source it is `python -m workbench`. A `--lang`
    given at this start is left out, so the new start follows the setting just changed.
    """
    args = _without_lang(list(sys.argv[1:] if argv is None else argv))
    if getattr(sys, "frozen", False):
        return sys.executable, args, os.getcwd()
    return sys.executable, ["-m", "workbench", *args], os.getcwd()


def _without_lang(args: list[str]) -> list[str]:
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            kept.append(arg)
    return kept
