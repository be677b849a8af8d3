"""How a run's or a search's status (a word of the run store) is shown: translated.

The store, the reports and the command line keep the English words (`completed`,
`early_stopped`...); the window shows them through `status_name`, which gives the same word
in English and the translation's in another language.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# Every status the store records, for lupdate (RunStatus, the search's trials and searches).
_STATUSES = {
    "completed": QT_TRANSLATE_NOOP("RunStatus", "completed"),
    "early_stopped": QT_TRANSLATE_NOOP("RunStatus", "early_stopped"),
    "stopped": QT_TRANSLATE_NOOP("RunStatus", "stopped"),
    "diverged": QT_TRANSLATE_NOOP("RunStatus", "diverged"),
    "failed": QT_TRANSLATE_NOOP("RunStatus", "failed"),
    "pruned": QT_TRANSLATE_NOOP("RunStatus", "pruned"),
    "running": QT_TRANSLATE_NOOP("RunStatus", "running"),
    "interrupted": QT_TRANSLATE_NOOP("RunStatus", "interrupted"),
    "incomplete": QT_TRANSLATE_NOOP("RunStatus", "incomplete"),
    "finished": QT_TRANSLATE_NOOP("RunStatus", "finished"),
}


def status_name(status: object) -> str:
    """The status as the window shows it; an unknown one as it is."""
    text = str(status)
    return (
        QCoreApplication.translate("RunStatus", str(_STATUSES[text])) if text in _STATUSES else text
    )
