"""`workbench search SEARCH.toml`: a hyperparameter search without the window.

One line per finished trial, then the results table as DIR/trials.csv and DIR/search.json,
the winner as DIR/best.toml, and the best trial on screen. best.toml is the base experiment
with the best trial's values, as the window's Apply best gives it: the search's own trial
settings (`epochs`, `train_limit`) are left behind, so `workbench run best.toml` trains on the
whole training part for the base's epochs and evaluates the winner on the test set, which
the search never read.

The arguments are parsed before anything heavy is imported (Optuna, torch, scikit-learn), so
a usage error or `--help` answers at once.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.errors import OneLineParser, print_error
from workbench.i18n import _, word
from workbench.out_paths import write_error
from workbench.runs.ray_options import add_ray_options, join
from workbench.search.trial_lines import progress_bar, trial_score, trial_values, value_text

if TYPE_CHECKING:
    from workbench.config import Experiment
    from workbench.search.spec import SearchSpec

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="workbench search",
        description="Search hyperparameters on validation data (the test split is never read). "
        "Running the same search again resumes it; processes or machines given the same "
        "--storage and --study work on one search together.",
    )
    parser.add_argument(
        "search", type=Path, metavar="FILE", nargs="?", help="the search file (TOML)"
    )
    parser.add_argument(
        "--attach",
        action="store_true",
        help="watch the study given by --storage and --study, trained by other processes or "
        "machines: its trials as they finish, until it is done (Ctrl+C stops watching); "
        "no FILE, nothing is trained",
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="folder for trials.csv, search.json, best.toml (default: searches/STUDY)",
    )
    parser.add_argument(
        "--storage",
        metavar="URL",
        help="Optuna storage shared by every process of the search: a database URL "
        "(sqlite:///search.db, postgresql://user@host/db) or a journal file path "
        "(default: a journal file in the data folder)",
    )
    parser.add_argument(
        "--study",
        metavar="NAME",
        help="the study name within the storage (default: from the search file)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="the run store's folder (default: $WORKBENCH_DATA_DIR or the per-user data folder)",
    )
    parser.add_argument(
        "--trials",
        type=_positive,
        metavar="N",
        help="trials in total, done ones included (default: the file's trials); the same "
        "search, so a later run with more trials resumes it",
    )
    parser.add_argument(
        "--workers",
        type=_workers,
        metavar="N",
        help="trials trained at once, each in its own process (default: the file's workers; "
        "0 = one per two cores, 1 on a GPU)",
    )
    add_ray_options(
        parser,
        "train the trials as tasks of a Ray cluster (auto, HOST:PORT, ray://HOST:10001, or "
        "local), --workers at once; the storage must be one the cluster reaches",
        "--trial-cpus",
        "--trial-gpus",
        "each trial task",
    )
    return parser


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a whole number").format(text=repr(text))
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("must be 0 or more"))
    return value


def _positive(text: str) -> int:
    value = _workers(text)
    if not 1 <= value <= 1_000_000:  # the search file's own bounds for `trials`
        raise argparse.ArgumentTypeError(_("must be 1 to 1000000"))
    return value


def best_experiment(spec: SearchSpec, values: dict[str, Any]) -> Experiment:
    """The base experiment with a trial's values: what the window's Apply best trains.

    Not `spec.trial_experiment`: a trial trains on the search's `train_limit` for its
    `epochs`, a shortened run for ranking; the winner is trained in full, as the base says.
    """
    from workbench.search.space import apply_values

    return apply_values(spec.base, values, f"{spec.name} best")


def _check(spec: SearchSpec, source: Path) -> None:
    from workbench.config import ExperimentError
    from workbench.core.checks import check_runnable
    from workbench.search.space import SearchError

    try:
        check_runnable(spec.prepared_base())
    except ExperimentError as error:
        raise SearchError(f"{source}: {error}") from None


def search_command(argv: list[str]) -> int:
    """Run or resume a search headless; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.attach:
        from workbench.search.attach_cli import attach_command

        return attach_command(args)
    if args.search is None:
        parser.error(_("give a search FILE, or --attach with --storage and --study"))
    from workbench.config import save_experiment
    from workbench.runs.store import RunStore, StoreError
    from workbench.search.results import write_results
    from workbench.search.space import SearchError
    from workbench.search.spec import load_search

    try:
        spec = load_search(args.search)
        if args.trials is not None:
            # `trials` is not part of the search's identity (SearchSpec.signature): the
            # same study, run for longer or shorter.
            spec = spec.model_copy(
                update={"search": spec.search.model_copy(update={"trials": args.trials})}
            )
        _check(spec, args.search)
    except SearchError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        print_error(f"--out {args.out}: " + _("exists and is not a folder"))
        return EXIT_BAD_INPUT
    try:
        store = RunStore(args.data_dir)
    except StoreError as error:
        print_error(f"{error}")
        return EXIT_FAILED

    from workbench.search.runner import SearchProgress, SearchStart, run_search

    if args.ray is not None and not join(args.ray):
        return EXIT_BAD_INPUT

    metric = spec.search.metric
    stop_token = threading.Event()

    def request_stop(signum, frame):  # first Ctrl+C: trials in progress end within a batch
        # The handler is swapped first: a second Ctrl+C while this one prints aborts.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        stop_token.set()
        print(
            _("stopping: trials in progress end within a batch (Ctrl+C again to abort)"),
            file=sys.stderr,
            flush=True,
        )

    def show(progress: SearchProgress) -> None:
        trial = progress.trial
        line = (
            _("{bar} trial {done}/{total}  #{number} {status}").format(
                bar=progress_bar(progress.done, progress.total),
                done=progress.done,
                total=progress.total,
                number=trial.number,
                status=f"{word(trial.status):<13}",
            )
            + f" {trial_score(trial, metric)}  {trial_values(trial)}"
        )
        if trial.error and trial.status in ("failed", "interrupted"):
            line += f"  ({trial.error})"
        best = progress.best
        if best is not None:
            line += "  " + _("| best so far #{number} {value:.4f}").format(
                number=best.number, value=best.best_value
            )
        print(line, flush=True)

    def started(start: SearchStart) -> None:
        fields = {
            "name": spec.name,
            "strategy": spec.search.strategy,
            "total": start.total,
            "epochs": spec.prepared_base().training.epochs,
            "done": start.done,
            "metric": metric,
            "workers": start.workers,
            "study": start.study,
            "storage": start.storage,
        }
        if start.done:
            template = (
                _(
                    "search {name}: {strategy}, {total} trials of {epochs} epochs, {done} already "
                    "done, {metric}, {workers} worker; study {study} in {storage}"
                )
                if start.workers == 1
                else _(
                    "search {name}: {strategy}, {total} trials of {epochs} epochs, {done} already "
                    "done, {metric}, {workers} workers; study {study} in {storage}"
                )
            )
        else:
            template = (
                _(
                    "search {name}: {strategy}, {total} trials of {epochs} epochs, {metric}, "
                    "{workers} worker; study {study} in {storage}"
                )
                if start.workers == 1
                else _(
                    "search {name}: {strategy}, {total} trials of {epochs} epochs, {metric}, "
                    "{workers} workers; study {study} in {storage}"
                )
            )
        print(template.format(**fields), flush=True)

    workers = args.workers if args.workers is not None else spec.search.workers
    previous = signal.signal(signal.SIGINT, request_stop)
    try:
        outcome = run_search(
            spec,
            store,
            storage=args.storage,
            study=args.study,
            workers=workers,
            stop_token=stop_token,
            on_trial=show,
            on_start=started,
            ray=(args.trial_cpus, args.trial_gpus) if args.ray is not None else None,
        )
    except SearchError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(
            _("aborted; finished trials are kept: run the search again to resume"),
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    finally:
        signal.signal(signal.SIGINT, previous)

    elsewhere = outcome.running_elsewhere
    done = (
        _("{done}/{total} trials done, {elsewhere} still running in other processes")
        if elsewhere
        else _("{done}/{total} trials done")
    )
    print(done.format(done=outcome.done, total=outcome.total, elsewhere=elsewhere))
    out = args.out if args.out is not None else Path("searches") / outcome.study
    try:
        written = write_results(
            out,
            spec,
            outcome.trials,
            study=outcome.study,
            storage=outcome.storage,
            done=outcome.done,
            search_id=outcome.search_id,
        )
        best = outcome.best
        winner = best_experiment(spec, best.values) if best is not None else None
        if winner is not None:
            save_experiment(winner, out / "best.toml")
            written.append(out / "best.toml")
    except OSError as error:
        print_error(write_error("--out", out, error))
        return EXIT_BAD_INPUT
    except SearchError as error:  # the base refuses the winner's values without the trial's
        print_error(f"{out / 'best.toml'}: {error}")
        return EXIT_FAILED
    if best is None or winner is None:
        print(_("no trial has finished with a score yet"))
    else:
        print(
            _("best: trial #{number}  {score}  run {run_id}").format(
                number=best.number, score=trial_score(best, metric), run_id=best.run_id
            )
        )
        for path, value in best.values.items():
            print(f"  {path} = {value_text(value)}")
        limit = winner.data.train_limit
        then = (
            _(
                "to train it on {limit} training samples for {epochs} epochs and evaluate it "
                "on the test set: {command}"
            )
            if limit
            else _(
                "to train it on the whole training part for {epochs} epochs and evaluate it "
                "on the test set: {command}"
            )
        )
        command = f"workbench run {out / 'best.toml'}"
        print(then.format(limit=limit, epochs=winner.training.epochs, command=command))
    print(_("wrote {paths}").format(paths=", ".join(str(path) for path in written)))
    if outcome.error:
        print_error(f"{outcome.error}")
        return EXIT_FAILED
    if outcome.stopped:
        print(_("stopped; run the search again to resume it"), file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK
