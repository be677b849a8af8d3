"""Entry point: `workbench [EXPERIMENT.toml]` opens the window; `workbench run ...` does not."""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from pathlib import Path

from workbench.errors import OneLineParser, print_error
from workbench.i18n import _, set_language

EXIT_BAD_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the headless runner or the window; returns the exit code.

    The one error boundary of every command: whatever a command does not turn into its own
    one-line message (a file deeper than the parser's recursion, a path with a NUL byte, a
    hand-edited file of the wrong type) ends here as one line on stderr and exit code 2,
    never a traceback. WORKBENCH_DEBUG=1 lets the traceback through, for bug reports.
    """
    # The engine's messages follow the locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), as
    # gettext reads it; the window then sets its own language setting instead.
    set_language(None)
    try:
        return _dispatch(sys.argv[1:] if argv is None else argv)
    except Exception as error:  # noqa: BLE001 - the boundary: no traceback escapes
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        from workbench.errors import first_line

        # RecursionError and MemoryError carry no message worth more than their name.
        print_error(
            _("{message} ({kind})").format(message=first_line(error), kind=type(error).__name__)
        )
        return EXIT_BAD_INPUT


def _dispatch(argv: list[str]) -> int:
    if argv[:1] == ["runs"]:
        from workbench.runs.cli import runs_command

        return runs_command(argv[1:])
    if argv[:1] == ["search"]:
        from workbench.search.cli import search_command

        return search_command(argv[1:])
    if argv[:1] == ["paths"]:
        from workbench.playground.paths_cli import paths_command

        return paths_command(argv[1:])
    if argv[:1] == ["lr-find"]:
        from workbench.playground.lr_find_cli import lr_find_command

        return lr_find_command(argv[1:])
    if argv[:1] in (["lesson"], ["lessons"]):
        from workbench.lessons.cli import lesson_command, lessons_command

        chosen = lesson_command if argv[0] == "lesson" else lessons_command
        return chosen(argv[1:])
    if argv[:1] == ["report"]:
        from workbench import cli

        return cli.report_command(argv[1:], pdf_writer=_print_pdf)
    if argv[:1] in (["run"], ["datasets"], ["inspect"], ["compare"], ["predict"]):
        from workbench import cli

        command = {
            "run": cli.run_command,
            "datasets": cli.datasets_command,
            "inspect": cli.inspect_command,
            "compare": cli.compare_command,
            "predict": cli.predict_command,
        }
        return command[argv[0]](argv[1:])
    # Parsed before the heavy imports (torch, Qt), so --help and --version answer at once.
    parser = _window_parser()
    args = parser.parse_args(argv)
    if args.self_test:
        if args.experiment is not None:
            parser.error("--self-test takes no experiment file")
        from workbench.selftest import run_self_test

        return run_self_test()
    try:
        from workbench.app import open_window
    except ImportError as error:
        # A system library Qt links to is missing (libEGL.so.1, libfontconfig.so.1 ...): one
        # line naming it, not a traceback from deep inside PySide6. Anything else is a bug.
        reason = (str(error).strip().splitlines() or [""])[0]
        if "cannot open shared object file" not in reason:
            raise
        print_error(
            _(
                "cannot load Qt for the window: {reason}; the README's 'System packages "
                "on Linux' lists what to install (or train without a window: "
                "'workbench run EXPERIMENT.toml')"
            ).format(reason=reason)
        )
        return 2
    return open_window(args.experiment, args.lang)


def _print_pdf(html: str, resources: dict[str, bytes], path: Path) -> int:
    # Qt is loaded only when a PDF is asked for: the other formats need no GUI stack.
    from workbench.printing.pdf import write_pdf

    return write_pdf(html, resources, path)


# The commands that run without the window: (usage, what it does), one line each in --help.
COMMANDS = (
    ("run EXPERIMENT.toml", "train without the window; write the report to --out DIR"),
    (
        "compare EXPERIMENT.toml",
        "race the variants of one technique (--by optimizer, init, batch_size...)",
    ),
    ("search SEARCH.toml", "search hyperparameters on validation data"),
    ("lr-find EXPERIMENT.toml", "suggest a learning rate: a short sweep (range test)"),
    ("runs list|show|export", "the recorded runs"),
    ("report RUN", "write a run's report: html, pdf, json or csv"),
    ("predict RUN INPUT", "predict on new data with a trained run"),
    ("paths", "optimizer paths on a 2-D function, as the book's figure 6-8"),
    ("lessons", "list the lessons: the chapter's experiments, guided"),
    ("lesson NAME --out DIR", "run a lesson; check what its runs show; write lesson.html"),
    ("datasets", "list the built-in datasets"),
    ("inspect PATH", "show what importing a dataset gives"),
)


def _commands_epilog() -> str:
    width = max(len(usage) for usage, _ in COMMANDS)
    lines = [f"  workbench {usage:<{width}}  {what}" for usage, what in COMMANDS]
    return "\n".join(
        ["commands (each takes --help):", *lines, "", "Example files: resources/examples/"]
    )


def _window_parser() -> argparse.ArgumentParser:
    from workbench import __version__

    parser = OneLineParser(
        prog="workbench",
        usage="workbench [-h] [--version] [--self-test] [--lang {en,ja}] [EXPERIMENT.toml]\n"
        "       workbench COMMAND [ARGS ...]",
        description="Train neural networks and watch how the training techniques work.\n"
        "Without a command, open the window (on EXPERIMENT.toml if given).",
        epilog=_commands_epilog(),
        # Keeps the command list's line breaks, which the default formatter would re-flow.
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "experiment",
        nargs="?",
        type=Path,
        metavar="EXPERIMENT.toml",
        help="an experiment file to open",
    )
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument(
        "--lang",
        choices=("en", "ja"),
        help="the window's language for this start (en: English, ja: 日本語); "
        "default: View > Language, whose own default is the system's",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation: open the window offscreen, train 2 epochs on the "
        "digits, export and check a report, run a 2-trial search in worker processes; "
        "one line per step, exit code 0 when all passed",
    )
    return parser


if __name__ == "__main__":
    # First thing, before anything might start a process: needed by the frozen app.
    multiprocessing.freeze_support()
    sys.exit(main())
