"""`workbench run EXPERIMENT.toml --out DIR`: the same run as the window's, with no window.

Also `predict`, `report`, `datasets`, `inspect` and `compare`. Only light modules are
imported here: each command parses its arguments first and imports what it works with
(torch, scikit-learn, matplotlib take seconds) after, so a usage error or `--help` answers
at once.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core import Callback, EpochMetrics  # plain dataclasses: no torch
from workbench.errors import OneLineParser, print_error, printable
from workbench.i18n import _, word
from workbench.out_paths import refusal, write_error
from workbench.runs.ray_options import add_ray_options, join

if TYPE_CHECKING:
    from workbench.report.export import PdfWriter
    from workbench.runs import RunStore

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # the shell's convention for a run ended by Ctrl+C


class _PrintProgress(Callback):
    def on_epoch_end(self, metrics: EpochMetrics) -> None:
        line = _(
            "epoch {epoch}/{epochs}  loss {loss:.4f}  acc {accuracy:.4f}  "
            "val_loss {val_loss:.4f}  val_acc {val_accuracy:.4f}  ({seconds:.2f}s)"
        ).format(
            epoch=metrics.epoch,
            epochs=metrics.epochs,
            loss=metrics.train_loss,
            accuracy=metrics.train_accuracy,
            val_loss=metrics.val_loss,
            val_accuracy=metrics.val_accuracy,
            seconds=metrics.seconds,
        )
        print(line, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="workbench run", description="Run an experiment file without the window."
    )
    parser.add_argument("experiment", type=Path, help="the experiment file (TOML)")
    parser.add_argument(
        "--out", type=Path, default=Path("runs"), help="folder for report.json (default: runs)"
    )
    _add_data_dir(parser)
    add_ray_options(
        parser,
        "train on a Ray cluster: auto, HOST:PORT, ray://HOST:10001, or local to start one "
        "here; progress, the record and the report stay on this machine",
        "--ray-cpus",
        "--ray-gpus",
        "the run",
    )
    parser.add_argument(
        "--ray-data-there",
        action="store_true",
        help="the data file's path exists on the cluster: read it there instead of sending it",
    )
    return parser


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="the run store's folder (default: $WORKBENCH_DATA_DIR or the per-user data folder)",
    )


def _open_store(data_dir: Path | None) -> RunStore | None:
    from workbench.runs import RunStore, StoreError

    try:
        return RunStore(data_dir)
    except StoreError as error:
        print(_("warning: {error}; this run is not recorded").format(error=error), file=sys.stderr)
        return None


def run_command(argv: list[str]) -> int:
    """Run an experiment headless; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.ray_data_there and args.ray is None:
        parser.error(_("--ray-data-there needs --ray ADDRESS"))
    # Safetensors raises its own error type (not OSError) when the disk is full.
    from safetensors import SafetensorError

    from workbench.config import ExperimentError, load_experiment
    from workbench.core import RunStatus
    from workbench.core.checks import check_runnable
    from workbench.report import write_report
    from workbench.runs.session import report_of, train_and_record
    from workbench.runs.trained import FOLDER_EVALUATION, FOLDER_REPORT, FOLDER_WEIGHTS

    try:
        experiment = load_experiment(args.experiment)
    except ExperimentError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    try:
        if not args.ray_data_there:  # else checked on the cluster, against its copy
            check_runnable(experiment)
    except ExperimentError as error:
        print_error(f"{args.experiment}: {error}")
        return EXIT_BAD_INPUT
    if args.out.exists() and not args.out.is_dir():
        print_error(f"--out {args.out}: " + _("exists and is not a folder"))
        return EXIT_BAD_INPUT

    stop_token = threading.Event()

    def request_stop(signum, frame):  # first Ctrl+C: finish the batch, evaluate, write
        # The handler is swapped first: a second Ctrl+C while this one prints aborts.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        stop_token.set()
        print(_("stopping after this batch (Ctrl+C again to abort)"), file=sys.stderr, flush=True)

    # Joined before anything is recorded: an unreachable cluster leaves no run behind.
    if args.ray is not None and not join(args.ray):
        return EXIT_BAD_INPUT
    # Made now, once a cluster (if any) has answered: a folder that cannot be made is refused
    # before training, not after it.
    made_out = not args.out.exists()
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print_error(write_error("--out", args.out, error))
        return EXIT_BAD_INPUT
    store = _open_store(args.data_dir)
    previous = signal.signal(signal.SIGINT, request_stop)
    try:
        if args.ray is not None:
            from workbench.runs.ray_run import DataThereError, train_on_ray

            try:
                outcome = train_on_ray(
                    experiment,
                    store,
                    [_PrintProgress()],
                    stop_token,
                    cpus=args.ray_cpus,
                    gpus=args.ray_gpus,
                    data_there=args.ray_data_there,
                )
            except DataThereError as error:
                print_error(
                    f"{args.experiment}: " + _("on the cluster: {error}").format(error=error)
                )
                if made_out:  # nothing ran: leave no empty folder behind either
                    with contextlib.suppress(OSError):
                        args.out.rmdir()
                return EXIT_BAD_INPUT
        else:
            outcome = train_and_record(experiment, store, [_PrintProgress()], stop_token)
    except KeyboardInterrupt:  # the second Ctrl+C: no report; a task on a cluster is cancelled
        print(
            _("aborted: the run's finished epochs are recorded; it is listed as interrupted"),
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGINT, previous)
    result = outcome.result
    if store is not None:
        if outcome.record_error:
            print(
                _("warning: run store: {error}").format(error=outcome.record_error),
                file=sys.stderr,
            )
        else:
            print(
                _("recorded as run {run_id} in {folder}").format(
                    run_id=outcome.run_id, folder=store.folder
                )
            )
    report = report_of(experiment, outcome)
    from workbench.runs.store_files import remove_stale_parts

    # A write killed half-way in an earlier run left a temporary file: an hour old is stale.
    remove_stale_parts(
        [args.out], targets=(FOLDER_REPORT, FOLDER_WEIGHTS, FOLDER_EVALUATION, "experiment.toml")
    )
    try:
        # report.json last: a folder that has one is whole (weights, evaluation, experiment).
        save_run_folder(args.out, experiment, result)
        path = write_report(report, args.out / FOLDER_REPORT)
    except (OSError, SafetensorError) as error:
        # The run itself is recorded (above); only the folder could not be written.
        print_error(
            f"--out {args.out}: " + _("cannot write the run folder: {error}").format(error=error)
        )
        return EXIT_BAD_INPUT
    if result.test is None:
        summary = _("status: {status}  epochs: {epochs}").format(
            status=word(result.status), epochs=result.epochs_run
        )
    else:
        summary = _(
            "status: {status}  epochs: {epochs}  test accuracy: {accuracy:.4f}  "
            "test loss: {loss:.4f}"
        ).format(
            status=word(result.status),
            epochs=result.epochs_run,
            accuracy=result.test.accuracy,
            loss=result.test.loss,
        )
    print(summary)
    if result.divergence is not None:
        print(result.divergence.describe())
    if result.stop_reason is not None:  # a callback ended the run: say why, as for divergence
        print(_("stopped: {reason}").format(reason=printable(result.stop_reason)))
    if report["test_evaluations_on_split"] > 1:
        print(
            _(
                "note: this test set has now been evaluated {looks} times; tuning after "
                "seeing test results inflates them"
            ).format(looks=report["test_evaluations_on_split"])
        )
    for diagnosis in outcome.diagnoses:
        # The run doctor (core/doctor.py): what it saw and which technique to try. A
        # divergence is already told above, with the engine's own numbers.
        if diagnosis.id == "divergence" and result.divergence is not None:
            continue
        print(f"{word(diagnosis.severity)}: {diagnosis.evidence} {diagnosis.suggestion}")
    print(_("report: {path}").format(path=path))
    if result.status == RunStatus.FAILED:
        print_error(_("run failed: {error}").format(error=result.error))
        return EXIT_FAILED
    if result.status == RunStatus.STOPPED and stop_token.is_set():
        return EXIT_INTERRUPTED
    return EXIT_OK


def save_run_folder(folder: Path, experiment, result) -> None:
    """Write the tested weights, the evaluation file and the experiment beside report.json.

    With them `workbench report` and `workbench predict` can use the folder.
    """
    from safetensors.torch import save

    from workbench.atomic import atomic_write_bytes
    from workbench.config import save_experiment
    from workbench.runs.artifacts import save_evaluation
    from workbench.runs.trained import FOLDER_EVALUATION, FOLDER_WEIGHTS

    if result.weights is not None and result.test is not None:
        tensors = {k: v.contiguous() for k, v in result.weights.items()}
        # Serialised in memory, written whole or not at all (a full disk leaves nothing).
        data = save(tensors, metadata={"kept": result.weights_kept})
        atomic_write_bytes(folder / FOLDER_WEIGHTS, data)
    save_evaluation(folder / FOLDER_EVALUATION, result)
    save_experiment(experiment, folder / "experiment.toml")


def predict_command(argv: list[str]) -> int:
    """`workbench predict RUN INPUT --out predictions.csv`."""
    parser = OneLineParser(
        prog="workbench predict",
        description="Predict the class of every sample in a new file with a trained run, "
        "preprocessed as its training data was.",
    )
    parser.add_argument("run", help="a run id from the run store, or a 'workbench run' folder")
    parser.add_argument(
        "input", type=Path, help="a CSV or NPZ file, an image, or a folder of images"
    )
    parser.add_argument("--out", type=Path, help="CSV file for the predictions")
    _add_data_dir(parser)
    args = parser.parse_args(argv)
    from workbench.data.dataset import DatasetError
    from workbench.predict.predictor import Predictor
    from workbench.runs.store import default_data_dir
    from workbench.runs.trained import TrainedRunError, open_trained_run

    if args.out is not None and (
        why := refusal(args.out, args.data_dir or default_data_dir(), [args.input])
    ):
        print_error(why)
        return EXIT_BAD_INPUT
    try:
        predictor = Predictor(open_trained_run(args.run, args.data_dir))
        predictions = predictor.predict_path(args.input)
    except (TrainedRunError, DatasetError) as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    if args.out is None:
        sys.stdout.write(predictions.to_csv())
        return EXIT_OK
    try:
        predictions.write_csv(args.out)
    except OSError as error:
        print_error(write_error("--out", args.out, error))
        return EXIT_BAD_INPUT
    count = f"{len(predictions.inputs.names):,}"
    if predictions.accuracy is None:
        line = _("{count} predictions written to {path}").format(count=count, path=args.out)
    else:
        line = _(
            "{count} predictions written to {path} (accuracy against the file's labels: "
            "{accuracy:.4f})"
        ).format(count=count, path=args.out, accuracy=predictions.accuracy)
    print(line)
    return EXIT_OK


def report_command(argv: list[str], pdf_writer: PdfWriter | None = None) -> int:
    """`workbench report RUN [RUN ...] --format html|pdf|json|csv --out PATH`.

    `pdf_writer` prints HTML to PDF with Qt; the entry point passes it in, because this
    module must run without a GUI stack.
    """
    # The format names only (their package loads pydantic, 0.2 s): the renderers come after.
    from workbench.report.formats import COMPARISON_FORMATS, REPORT_FORMATS

    parser = OneLineParser(
        prog="workbench report",
        description="Write a finished run's test report (several runs: a comparison report, "
        "HTML or PDF).",
    )
    parser.add_argument(
        "runs", nargs="+", metavar="RUN", help="a run id, or a folder written by 'workbench run'"
    )
    parser.add_argument(
        "--format",
        choices=REPORT_FORMATS,
        help="default: from --out's suffix (.html, .pdf, .json, .csv), else html",
    )
    parser.add_argument(
        "--lang",
        choices=("ja", "en"),
        help="the language of an html or pdf report (default: the locale's, from LANG)",
    )
    parser.add_argument("--out", type=Path, required=True, help="the file to write")
    _add_data_dir(parser)
    args = parser.parse_args(argv)
    from workbench.report.export import export_comparison, export_report
    from workbench.runs.store import default_data_dir
    from workbench.runs.trained import TrainedRunError, open_trained_run

    suffix = args.out.suffix.lower().lstrip(".")
    if args.format is None:  # --out r.pdf once wrote an HTML page named r.pdf
        args.format = suffix if suffix in REPORT_FORMATS else "html"
    elif suffix in REPORT_FORMATS and suffix != args.format:
        print_error(
            f"--out {args.out}: "
            + _("a {suffix} name for a {fmt} report; name it .{fmt}").format(
                suffix=suffix, fmt=args.format
            )
        )
        return EXIT_BAD_INPUT
    if len(args.runs) > 1 and args.format not in COMPARISON_FORMATS:
        print_error(f"--format {args.format}: " + _("a comparison of several runs is html or pdf"))
        return EXIT_BAD_INPUT
    if args.out.is_dir():
        print_error(f"--out {args.out}: " + _("is a folder; give a file name"))
        return EXIT_BAD_INPUT
    if why := refusal(args.out, args.data_dir or default_data_dir()):
        print_error(why)
        return EXIT_BAD_INPUT
    try:
        runs = [open_trained_run(run, args.data_dir) for run in args.runs]
    except TrainedRunError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    writer = pdf_writer if args.format == "pdf" else None
    # The locale's language, as gettext reads it, unless --lang says otherwise.
    from workbench.i18n import from_environment

    language = args.lang or from_environment()
    try:
        if len(runs) > 1:
            written = export_comparison(
                [r.report for r in runs], args.format, args.out, writer, language
            )
        else:
            run = runs[0]
            written = export_report(run.report, args.format, args.out, run.images, writer, language)
    except OSError as error:
        print_error(write_error("--out", args.out, error))
        return EXIT_BAD_INPUT
    for path in written:
        print(_("wrote {path}").format(path=path))
    return EXIT_OK


def datasets_command(argv: list[str]) -> int:
    """`workbench datasets`: the built-in datasets, one per line."""
    OneLineParser(prog="workbench datasets", description="List the built-in datasets.").parse_args(
        argv
    )
    from workbench.data.builtin import BUILTIN_DESCRIPTIONS

    for name, description in BUILTIN_DESCRIPTIONS.items():
        print(f"{name:<8} {description}")
    print(_("imported: idx (MNIST-format folder), csv, npz, folder (one sub-folder per class)"))
    return EXIT_OK


def inspect_command(argv: list[str]) -> int:
    """`workbench inspect PATH`: what an import would produce, without training."""
    parser = OneLineParser(
        prog="workbench inspect",
        description="Show what importing a dataset file or folder would give, without training.",
    )
    parser.add_argument("path", type=Path, help="an IDX folder, a CSV or NPZ file, or a folder")
    parser.add_argument("--label-column", help="CSV: the column holding the class")
    parser.add_argument(
        "--image-size", type=int, nargs=2, metavar=("HEIGHT", "WIDTH"), default=(28, 28)
    )
    parser.add_argument("--rgb", action="store_true", help="image folders: keep colour")
    args = parser.parse_args(argv)
    import numpy as np

    from workbench.data.dataset import DatasetError
    from workbench.data.importers import import_path

    try:
        report = import_path(
            args.path,
            label_column=args.label_column,
            image_size=tuple(args.image_size),
            grayscale=not args.rgb,
        )
    except DatasetError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    dataset = report.dataset
    shape = (
        "x".join(str(n) for n in dataset.image_shape)
        if dataset.image_shape
        else f"{dataset.n_features} features"
    )
    print(f"{args.path}: {dataset.name}")
    test_labels = dataset.test_labels
    test = len(test_labels) if test_labels is not None else None
    print(f"  samples: {dataset.n_samples:,} training" + (f", {test:,} test" if test else ""))
    print(f"  shape:   {shape} per sample, {dataset.features.dtype}")
    print(f"  classes: {dataset.n_classes}")
    train_counts = np.bincount(dataset.labels, minlength=dataset.n_classes)
    test_counts = (
        np.bincount(test_labels, minlength=dataset.n_classes)
        if test_labels is not None and test
        else None
    )
    for index, name in enumerate(dataset.class_names):
        line = f"    {name:<16} {train_counts[index]:>8,}"
        if test_counts is not None:
            line += f" {test_counts[index]:>8,}"
        print(line)
    for note in report.notes:
        print("  " + _("note: {note}").format(note=note))
    return EXIT_OK


def compare_command(argv: list[str]) -> int:
    """`workbench compare EXPERIMENT.toml --by AXIS [--values ...]`: race the variants."""
    # The choices for --by, without torch; the engine is imported once the arguments parse.
    from workbench.runs.compare import COMPARE_BY

    parser = OneLineParser(
        prog="workbench compare",
        description="Train the experiment once per variant of one technique, from the same "
        "initial weights and batch order, and say which did best on validation data. The "
        "test set is not used unless --test is given: comparing is choosing, and choosing "
        "is done on validation data.",
    )
    parser.add_argument("experiment", type=Path)
    parser.add_argument("--by", choices=COMPARE_BY, default="optimizer")
    parser.add_argument(
        "--lr",
        default="",
        metavar="NAME=RATE,...",
        help="an optimizer race's learning rates, e.g. sgd=0.1,adam=0.001; the others keep "
        "the book's (SGD, Momentum, AdaGrad, RMSprop 0.01; Adam 0.001)",
    )
    parser.add_argument(
        "--values",
        metavar="A,B,...",
        help="the values to compare, for an axis that takes values: batch_size (1,32,256,full; "
        "'full' = the whole training part in one batch), lr, weight_decay, l1, dropout, "
        "weight_scale (the std of normal initial weights), epochs, train_limit ('all' = every "
        "training sample), activation (sigmoid,relu,...), schedule (constant,step,cosine,"
        "cosine+warmup,...); each has defaults",
    )
    parser.add_argument(
        "--test",
        action="store_true",
        help="also evaluate every variant on the test set (each counts as a look at it)",
    )
    _add_data_dir(parser)
    args = parser.parse_args(argv)
    from workbench.config import ExperimentError, load_experiment
    from workbench.core.checks import check_runnable
    from workbench.report.ranking import LABEL, accuracy_at_best_epoch, best_among, describe_best
    from workbench.runs.compare import ValuesError, comparison_group, parse_rates, parse_values
    from workbench.runs.session import train_and_record

    try:
        rates = parse_rates(args.lr)
        values = parse_values(args.by, args.values) if args.values is not None else None
    except ValueError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    if args.lr and args.by != "optimizer":
        print_error("--lr: " + _("only an optimizer race (--by optimizer) takes rates"))
        return EXIT_BAD_INPUT
    try:
        experiment = load_experiment(args.experiment)
        group = comparison_group(experiment, args.by, rates, values)
        for variant in group:
            check_runnable(variant)
    except ExperimentError as error:
        # The file's own errors name it already; a variant's name only its key.
        message = str(error)
        named = message.startswith(f"{args.experiment}:")
        print_error(message if named else f"{args.experiment}: {message}")
        return EXIT_BAD_INPUT
    except ValuesError as error:  # a value the experiment cannot take (size 1, batch norm)
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    store = _open_store(args.data_dir)
    stop_token = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda signum, frame: stop_token.set())
    rows = []
    # Each size's run is measured (time, memory, noise): see workbench/runs/batch_stats.py.
    measured = args.by == "batch_size"
    costs = []
    unrecorded = False  # said once that the store did not take a variant
    try:
        if measured:
            from workbench.runs.batch_stats import BatchStats, warm_up

            warm_up(group, stop_token)
        for number, variant in enumerate(group, start=1):
            if stop_token.is_set():
                break
            print(
                _("== variant {number}/{count}: {name}").format(
                    number=number, count=len(group), name=variant.name
                ),
                flush=True,
            )
            stats = BatchStats() if measured else None
            outcome = train_and_record(
                variant,
                store,
                [_PrintProgress(), *([stats] if stats else [])],
                stop_token,
                evaluate_test=args.test,
            )
            result = outcome.result
            if outcome.record_error and not unrecorded:  # once: a read-only store, a full disk
                unrecorded = True
                print(
                    _("warning: run store: {error}").format(error=outcome.record_error),
                    file=sys.stderr,
                )
            best = accuracy_at_best_epoch(result.history, result.best_epoch)
            rows.append((variant.name, str(result.status), best, result.test))
            if stats is not None and stats.stats is not None:
                costs.append(stats.stats)
    finally:
        signal.signal(signal.SIGINT, previous)
    header = "val acc@best"
    print(f"\n{'variant':<40} {'status':<14} {header:>12} {'test acc':>9}")
    # Runs with no value (a failed run) last; the rest best first.
    for name, status, best, test in sorted(
        rows, key=lambda row: (row[2] is None, -(row[2] or 0.0))
    ):
        best_text = f"{best:.4f}" if best is not None else "–"
        test_text = f"{test.accuracy:.4f}" if test is not None else "–"
        print(f"{name[:40]:<40} {status:<14} {best_text:>12} {test_text:>9}")
    print(f"({header}: {_(LABEL)})")
    if rows:
        winner = best_among((name, value) for name, _, value, _ in rows)
        print(describe_best(winner.winners, winner.value))
    if costs:
        from workbench.runs.batch_stats import describe_measures, stats_table

        print()
        for line in stats_table(costs):
            print(line)
        print(describe_measures(costs))
    if not args.test:
        print(_("the test set was not used (--test evaluates every variant on it)"))
    return EXIT_INTERRUPTED if stop_token.is_set() else EXIT_OK
