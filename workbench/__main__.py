"""Entry point: `workbench [EXPERIMENT.toml]` opens the window; `workbench run ...` does not."""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the headless runner or the window; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["runs"]:
        from workbench.runs.cli import runs_command

        return runs_command(argv[1:])
    if argv[:1] == ["search"]:
        from workbench.search.cli import search_command

        return search_command(argv[1:])
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
    from workbench.app import open_window

    return open_window(args.experiment)


def _print_pdf(html: str, resources: dict[str, bytes], path: Path) -> int:
    # Qt is loaded only when a PDF is asked for: the other formats need no GUI stack.
    from workbench.printing.pdf import write_pdf

    return write_pdf(html, resources, path)


def _window_parser() -> argparse.ArgumentParser:
    from workbench import __version__

    parser = argparse.ArgumentParser(
        prog="workbench",
        description="Train neural networks and watch how the training techniques work. "
        "Without the window: 'workbench run EXPERIMENT.toml --out DIR' trains, "
        "'workbench compare EXPERIMENT.toml --by optimizer' races variants, "
        "'workbench search SEARCH.toml' searches hyperparameters on validation data, "
        "'workbench runs list' shows the run history, 'workbench report RUN --format html' "
        "writes a report, 'workbench predict RUN INPUT' predicts on new data, "
        "'workbench datasets' lists the built-in datasets, "
        "'workbench inspect PATH' shows what importing a dataset gives.",
    )
    parser.add_argument("experiment", nargs="?", type=Path, help="an experiment file to open")
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
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
