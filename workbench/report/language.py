"""The language a report is written in: its own gettext catalogue, and the engine's sentences.

The report's strings (the templates' `{% trans %}` blocks and `_()` calls, and `_()` / `N_()`
in the report code that imports this module) live in the gettext domain "report":
`workbench/locale/ja/LC_MESSAGES/report.po` and its compiled `.mo`, both written by
`python packaging/update_messages.py`. The engine's own sentences (the run doctor's, the
divergence sentence) come from the engine's catalogue, `workbench`, translated again here
from their English templates, so a Japanese report of an English run (or the other way
round) says them in the report's language.

A report's language is not the process's: `workbench report --lang ja` under an English
locale, or the window exporting while its training thread speaks. `speaking(code)` sets it
for the current thread (a context variable) while a report is rendered; `_()` reads it.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workbench import i18n

DOMAIN = "report"


@dataclass(frozen=True)
class Speech:
    """A language's two catalogues: the report's own and the engine's."""

    code: str
    report: gettext.NullTranslations
    engine: gettext.NullTranslations


@functools.cache
def speech(code: str) -> Speech:
    """The catalogues of language `code` ("en": none, every string as it is written)."""
    if code not in i18n.LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(i18n.LANGUAGES)}, not {code!r}")
    if code == i18n.ENGLISH:
        return Speech(code, gettext.NullTranslations(), gettext.NullTranslations())

    def load(domain: str) -> gettext.NullTranslations:
        return gettext.translation(domain, i18n.LOCALE_DIR, languages=[code], fallback=True)

    return Speech(code, load(DOMAIN), load(i18n.DOMAIN))


_current: ContextVar[Speech] = ContextVar("report_language")


def resolve(code: str | None) -> str:
    """`code`, or the engine's language now (the window's, or the locale's on the command line)."""
    chosen = i18n.language() if code is None else code
    speech(chosen)  # checks it
    return chosen


@contextmanager
def speaking(code: str | None) -> Iterator[Speech]:
    """Render what runs inside in language `code` (None: the engine's current language)."""
    token = _current.set(speech(resolve(code)))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current() -> Speech:
    """The language being rendered in; English outside `speaking`."""
    return _current.get(None) or speech(i18n.ENGLISH)


def language() -> str:
    return current().code


def _(message: str) -> str:
    """`message` in the report's language."""
    return current().report.gettext(message)


def N_(message: str) -> str:  # noqa: N802 - gettext's name for a mark without translation
    """Mark `message` for extraction only; translated where it is shown, with `_()`."""
    return message


def engine_message(message: Any) -> str:
    """An engine sentence (`workbench.i18n.Message`) in the report's language; others as str."""
    if not isinstance(message, i18n.Message):
        return str(message)
    fields = {key: engine_message(value) for key, value in message.fields.items()}
    return current().engine.gettext(message.template).format(**fields)


def engine_text(template: str, fields: Mapping[str, Any]) -> str:
    """An engine template (English, as the sources say it) translated and filled in.

    Raises:
        KeyError, IndexError, ValueError: When the fields do not fit the template.
    """
    return current().engine.gettext(template).format(**fields)


def engine_word(value: object) -> str:
    """A status or a severity (`workbench.i18n.WORDS`) in the report's language.

    The engine's catalogue's word, as the command line and the window say it; an unknown one
    as it is.
    """
    text = str(value)
    return current().engine.gettext(i18n.WORDS[text]) if text in i18n.WORDS else text


def join_list(items: Iterable[str]) -> str:
    """Items listed as the report's language lists them: "a, b, c"; in Japanese "a、b、c"."""
    return ("、" if language() == i18n.JAPANESE else ", ").join(items)


def date_time(when: datetime) -> str:
    """A date and time as the report's language writes it.

    Japanese: 2026年12月2日 13:05; English: 2 December 2026 13:05.
    """
    if language() == i18n.JAPANESE:
        return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"
    return f"{when.day} {_MONTHS[when.month - 1]} {when.year} {when:%H:%M}"


# Not strftime's %B, which follows the process's locale (LC_TIME), not the report's language.
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
