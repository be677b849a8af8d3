"""What an output file (`--out`) must never be: a file of the run store, or an input.

`workbench predict 1 data.csv --out runs.sqlite3` once wrote the predictions over the run
store's database (every run's history gone), `--out` into the store's weights folder
silently replaced another run's weights, and `--out data.csv` wrote over the input.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from workbench.i18n import _


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):  # a loop of links, a path too long: compared as given
        return path.absolute()


def refusal(out: Path, store_folder: Path | None, inputs: Iterable[Path] = ()) -> str | None:
    """Why `--out` may not be written (one line, naming it), or None when it may."""
    target = _resolved(out)
    if store_folder is not None:
        store = _resolved(store_folder)
        # A new file beside the store's database is harmless; its files and folders are not.
        in_store = target == store or (
            store in target.parents and (target.parent != store or target.exists())
        )
        if in_store:
            return f"--out {out}: " + _(
                "is one of the run store's files or folders ({folder}), which only the "
                "workbench writes; choose another file"
            ).format(folder=store_folder)
    for source in inputs:
        if target == _resolved(source):
            return f"--out {out}: " + _("is the input file; choose another name")
    return None


def write_error(option: str, path: Path | str | None, error: OSError) -> str:
    """One line for an output that could not be written: the option, the path and why.

    `strerror`, not the whole message: that names the temporary file written first.
    """
    return f"{option} {path}: " + _("cannot write: {error}").format(error=error.strerror or error)
