"""One-line error messages, the form every problem takes in the window and on the command line."""

from __future__ import annotations


def first_line(error: BaseException) -> str:
    """The first line of an error's message, or its repr when it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else repr(error)
