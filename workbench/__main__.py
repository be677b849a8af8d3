"""Entry point: `workbench [EXPERIMENT.toml]` opens the window; `workbench run ...` does not."""

from __future__ import annotations

import multiprocessing
import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the headless runner or the window; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["runs"]:
        from workbench.runs.cli import runs_command

        return runs_command(argv[1:])
    if argv[:1] in (["run"], ["datasets"], ["inspect"], ["compare"]):
        from workbench import cli

        command = {
            "run": cli.run_command,
            "datasets": cli.datasets_command,
            "inspect": cli.inspect_command,
            "compare": cli.compare_command,
        }
        return command[argv[0]](argv[1:])
    from workbench.app import gui_command

    return gui_command(argv)


if __name__ == "__main__":
    # First thing, before anything might start a process: needed by the frozen app.
    multiprocessing.freeze_support()
    sys.exit(main())
