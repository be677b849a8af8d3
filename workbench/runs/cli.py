"""`workbench runs list | show | export | test`: the run history from the command line."""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from workbench.config import ExperimentError, experiment_from_dict, experiment_to_toml
from workbench.core.probe_types import snapshot_to_dict
from workbench.errors import OneLineParser, first_line, print_error
from workbench.i18n import _
from workbench.out_paths import refusal
from workbench.report import ranking
from workbench.runs.diagnoses import diagnosis_entry, recorded_diagnoses
from workbench.runs.store import MAX_RUN_ID, RunRecord, RunStore, StoreError

EXIT_OK, EXIT_BAD_INPUT = 0, 2


def parse_run_id(text: str) -> int:
    """A run id as typed: ASCII digits only, within SQLite's 64-bit integers.

    int() alone reads "١" (Arabic-Indic one) as run 1, "1_0" as 10 and " 7" as 7, and a
    number too large for SQLite fails deep in the store with a traceback.

    Raises:
        StoreError: one line that quotes what was typed.
    """
    if not re.fullmatch(r"[0-9]+", text) or int(text) > MAX_RUN_ID:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise StoreError(
            _("run id {id}: not a run id (a whole number, as runs list shows)").format(
                id=repr(shown)
            )
        )
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="workbench runs", description="The recorded runs.")
    parser.add_argument("--data-dir", type=Path, help="the run store's folder")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="every run, newest first")
    listing.add_argument("--json", action="store_true", help="a JSON array instead of a table")
    show = commands.add_parser("show", help="one run with its history and experiment")
    show.add_argument("id")  # checked by parse_run_id, in one line
    show.add_argument("--json", action="store_true")
    export = commands.add_parser("export", help="a run's best model, to use elsewhere")
    export.add_argument("id")
    export.add_argument("--format", choices=("safetensors", "torchscript", "onnx"), required=True)
    export.add_argument("--out", type=Path, required=True, help="the file to write")
    test = commands.add_parser(
        "test",
        help="evaluate a run's kept weights on the test set, once: for the model you chose",
    )
    test.add_argument("id")
    return parser


def _test_command(store: RunStore, run_id: int) -> int:
    """Evaluate a recorded run on the test set and print its metrics."""
    from workbench.runs.final_test import NotEvaluableError, evaluate_stored_run

    try:
        _record, final = evaluate_stored_run(store, run_id)
    except NotEvaluableError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    test = final.result.test
    assert test is not None  # evaluate_stored_run always tests
    print(
        _(
            "run {run_id}: test accuracy {accuracy:.4f}, loss {loss:.4f}, F1 (macro) {f1:.4f}"
        ).format(run_id=run_id, accuracy=test.accuracy, loss=test.loss, f1=test.f1_macro)
    )
    print(_("models evaluated on this test set so far: {count}").format(count=final.evaluations))
    if final.record_error:
        print(
            _("warning: the evaluation was not recorded: {error}").format(error=final.record_error),
            file=sys.stderr,
        )
    return EXIT_OK


def _holds_other_text(path: Path, text: str) -> bool:
    """Whether `path` is a file whose text is not `text` (an export again is fine)."""
    try:
        return path.is_file() and path.read_text(encoding="utf-8") != text
    except (OSError, UnicodeDecodeError):
        return True


def _export_command(store: RunStore, run: RunRecord, fmt: str, out: Path) -> int:
    """Write a run's model and, next to it, its experiment as TOML."""
    experiment_file = out.with_suffix(".toml")
    if why := refusal(out, store.folder):  # the experiment's .toml: see _holds_other_text
        print_error(why)
        return EXIT_BAD_INPUT
    if experiment_file == out:
        print_error(
            f"--out {out}: "
            + _("the experiment is written as {name}; name the model file otherwise").format(
                name=out.name
            )
        )
        return EXIT_BAD_INPUT
    experiment_text = experiment_to_toml(experiment_from_dict(run.config, f"run {run.id}"))
    if _holds_other_text(experiment_file, experiment_text):
        # A person's own experiment file there was silently replaced by the run's.
        print_error(
            f"{experiment_file}: "
            + _("exists and holds another experiment; choose another --out name")
        )
        return EXIT_BAD_INPUT
    # torch is imported here, for an export only: listing answers at once without it.
    from workbench.atomic import atomic_write_text
    from workbench.runs.export import ExportError, export_run

    try:
        written = export_run(store, run, fmt, out)
        try:
            # Written whole or not at all, like the model (save_experiment writes in place).
            atomic_write_text(experiment_file, experiment_text)
        except OSError as error:
            raise ExportError(
                f"{experiment_file}: "
                + _("cannot write run {run_id}'s experiment: {reason}").format(
                    run_id=run.id, reason=error.strerror or first_line(error)
                )
            ) from None
    except ExportError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    print(_("wrote {model} and {experiment}").format(model=written, experiment=experiment_file))
    return EXIT_OK


def _fmt(value: float | None, digits: int = 4) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def runs_command(argv: list[str]) -> int:
    """Entry point of `workbench runs`; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        run_id = parse_run_id(args.id) if args.command != "list" else None
        store = RunStore(args.data_dir)
        if args.command == "list":
            runs = store.list_runs()
            if args.json:
                print(json.dumps([run.summary() for run in runs], indent=2))
                return EXIT_OK
            # "val acc" alone has meant two things: the column names its epoch, and the line
            # under the table says which epoch that is (workbench/report/ranking.py).
            header = ("id", "name", "status", "epochs", "best epoch", "val acc@best", "test acc")
            print("{:>4}  {:<24} {:<13} {:>6} {:>10} {:>12} {:>8}".format(*header))
            for run in runs:
                value, best_epoch = ranking.score(run)
                print(
                    f"{run.id:>4}  {run.name[:24]:<24} {run.status:<13} {run.epochs_run:>6} "
                    f"{'–' if best_epoch is None else best_epoch:>10} "
                    f"{_fmt(value, ranking.DISPLAY_DIGITS):>12} {_fmt(run.test_accuracy):>8}"
                )
            print(f"val acc@best = {_(ranking.DEFINITION)}")
            return EXIT_OK
        assert run_id is not None  # every command but list names a run
        if args.command == "test":
            return _test_command(store, run_id)
        run = store.get_run(run_id)
        if args.command == "show":
            if args.json:
                summary = run.summary()
                summary.update(
                    history=list(run.history),
                    config=run.config,
                    test=run.test,
                    divergence=run.divergence,
                    record_error=run.record_error,
                )
                snapshots = store.probes(run.id)
                summary["diagnoses"] = [
                    diagnosis_entry(d) for d in recorded_diagnoses(store, run, snapshots)
                ]
                # Each epoch's look inside the network: per-layer statistics and histograms.
                summary["probes"] = [snapshot_to_dict(s) for s in snapshots]
                # For 2-D data, the kept weights' decision boundary as the report keeps it.
                summary["decision_boundary"] = store.boundary(run.id)
                print(json.dumps(summary, indent=2))
            else:
                for key, value in run.summary().items():
                    print(f"{key:>18}: {value}")
                print(f"{'history':>18}: {run.epochs_run} epochs")
                if run.divergence:
                    print(f"{'diverged':>18}: {run.divergence.get('message')}")
                if run.record_error:
                    print(f"{'incomplete':>18}: {run.record_error}")
                for diagnosis in recorded_diagnoses(store, run):
                    print(f"{diagnosis.severity:>18}: {diagnosis.evidence} {diagnosis.suggestion}")
            return EXIT_OK
        return _export_command(store, run, args.format, args.out)
    except (StoreError, ExperimentError) as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
