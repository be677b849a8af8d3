"""One-line error messages, the form every problem takes in the window and on the command line."""

from __future__ import annotations

import argparse
import sys
import typing
import unicodedata


class UserError(Exception):
    """A problem with what the user gave (a file, a field, an address, a run), not a bug.

    Its message is one line meant for them: the window's background jobs show it as it is,
    where any other exception is logged as a bug and shown with its type.
    """


# Characters that would break a message over lines or hide part of it on a terminal:
# control characters (newline, \x85...), lone surrogates, line and paragraph separators.
UNPRINTABLE = {"Cc", "Cs", "Zl", "Zp"}


def first_line(error: BaseException) -> str:
    """The first line of an error's message, or its repr when it has none."""
    text = str(error).strip()
    return text.splitlines()[0] if text else repr(error)


def described(error: BaseException) -> str:
    """One line about `error`: a UserError's message as it is; any other's with its type."""
    if isinstance(error, UserError):
        return first_line(error)
    return f"{type(error).__name__}: {first_line(error)}"


def printable(text: str) -> str:
    """`text` with unprintable characters escaped (a line break as its escape), on one line.

    Messages echo what a person typed (a path, a run id, a key), which can hold anything.
    """
    if not any(unicodedata.category(char) in UNPRINTABLE for char in text):
        return text
    return "".join(
        ascii(char)[1:-1] if unicodedata.category(char) in UNPRINTABLE else char for char in text
    )


def print_error(message: str) -> None:
    """Print `message` as the command line's one error line: "error: ..." on stderr."""
    print(f"error: {printable(message)}", file=sys.stderr)


class OneLineParser(argparse.ArgumentParser):
    """argparse, with its usage errors as one line like every other error, exit code 2.

    argparse prints its usage (several lines) and then the error; the usage is a --help away.
    """

    def error(self, message: str) -> typing.NoReturn:
        self.exit(2, f"error: {printable(f'{self.prog}: {message}')} (see {self.prog} --help)\n")
