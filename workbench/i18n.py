"""The engine's messages in the reader's language: English, or Japanese from a gettext catalogue.

The catalogue is `workbench/locale/ja/LC_MESSAGES/workbench.po` (what translators edit) and
its compiled `.mo` (what is loaded), both written by `python packaging/update_messages.py`,
which extracts every `_()` / `N_()` string of the engine with Babel.

The language is one for the whole process, not per thread: the training thread's diagnoses
must come out in the window's language. The engine alone starts in English whatever the
environment, so a library call or a test is deterministic; the command line calls
`set_language(None)` (the locale's language, as gettext reads it) and the window
`set_language` with its own setting.

Sentences with numbers are whole templates with named fields (`_("... {epochs} ...")
.format(epochs=...)`), so a translation can put the numbers where its grammar wants them.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Any

DOMAIN = "workbench"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
ENGLISH, JAPANESE = "en", "ja"
LANGUAGES = (ENGLISH, JAPANESE)
# gettext's order: the first of these that is set names the language (LANGUAGE may list several).
ENVIRONMENT = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

_language = ENGLISH
_translation: gettext.NullTranslations = gettext.NullTranslations()


def from_environment(environ: dict[str, str] | None = None) -> str:
    """The language the locale asks for, "ja" or "en", read as gettext reads it."""
    environ = dict(os.environ) if environ is None else environ
    for variable in ENVIRONMENT:
        value = environ.get(variable)
        if value:
            for entry in value.split(":"):
                code = entry.split(".")[0].split("_")[0].split("@")[0].lower()
                if code in LANGUAGES:
                    return code
            return ENGLISH  # C, POSIX, or a language without a catalogue
    return ENGLISH


def set_language(code: str | None) -> str:
    """Make `code` ("ja", "en"; None: the environment's) the language of every message made next.

    Returns the language in effect. A missing catalogue falls back to English.
    """
    global _language, _translation
    chosen = from_environment() if code is None else code
    if chosen not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {chosen!r}")
    _translation = (
        gettext.NullTranslations()
        if chosen == ENGLISH
        else gettext.translation(DOMAIN, LOCALE_DIR, languages=[chosen], fallback=True)
    )
    _language = chosen
    return chosen


def language() -> str:
    """The language messages are made in now: "en" or "ja"."""
    return _language


def _(message: str) -> str:
    """`message` in the current language (itself where the catalogue has no translation)."""
    return _translation.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for a mark without translation
    """Mark `message` for extraction only; it is translated where it is shown, with `_()`."""
    return message


# The words of the run store (a run's or a trial's status, a diagnosis's severity) as the
# command line's sentences show them. The store, report.json and --json keep the English word.
WORDS = {
    "completed": N_("completed"),
    "early_stopped": N_("early_stopped"),
    "stopped": N_("stopped"),
    "diverged": N_("diverged"),
    "failed": N_("failed"),
    "pruned": N_("pruned"),
    "running": N_("running"),
    "interrupted": N_("interrupted"),
    "unknown": N_("unknown"),
    "problem": N_("problem"),
    "warning": N_("warning"),
    "info": N_("info"),
}


def word(value: object) -> str:
    """A status or a severity in the current language; an unknown one as it is."""
    text = str(value)
    return _(WORDS[text]) if text in WORDS else text


class Message(str):
    """A sentence made in the current language that can be made again in English.

    Its text is the translated template filled in; it keeps the English template and the
    fields, so what goes into a file with an English contract (report.json) stays English
    whatever the window's language. Fields may be Messages themselves (a layer's name).
    """

    template: str
    fields: dict[str, Any]

    def __new__(cls, template: str, /, **fields: Any) -> Message:
        made = super().__new__(cls, _(template).format(**fields))
        made.template, made.fields = template, fields
        return made

    def english(self) -> str:
        """The same sentence in English."""
        return self.template.format(**{key: english(value) for key, value in self.fields.items()})

    def __reduce__(self) -> tuple[Any, ...]:
        # str's own pickling would call __new__ with the finished text as the template.
        return (_rebuild, (str(self), self.template, self.fields))


def _rebuild(text: str, template: str, fields: dict[str, Any]) -> Message:
    made = str.__new__(Message, text)
    made.template, made.fields = template, fields
    return made


def english(value: Any) -> Any:
    """A Message's English text; any other value as it is."""
    return value.english() if isinstance(value, Message) else value
