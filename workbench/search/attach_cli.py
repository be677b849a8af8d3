"""`workbench search --attach --storage URL --study NAME`: watch a shared search from here.

Prints the study's search once, then one line per trial as it finishes (on whichever
machine), the machines taking part, and at the end the best trial; `--out DIR` also writes
trials.csv and search.json there (the learning curves are in the study for the window to
draw). Nothing is trained or written to the study. Ctrl+C stops watching, not the search.
"""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from workbench.errors import print_error
from workbench.i18n import _, word
from workbench.out_paths import write_error
from workbench.search.cli import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK
from workbench.search.trial_lines import progress_bar, trial_score, trial_values


def attach_command(args: argparse.Namespace) -> int:
    """Watch the study; the exit code (2: a bad option, storage or study)."""
    for option, value in (("--storage", args.storage), ("--study", args.study)):
        if not value:
            print_error(_("--attach needs {option}").format(option=option))
            return EXIT_BAD_INPUT
    if args.search is not None:
        print_error(_("--attach watches a study: give no search FILE"))
        return EXIT_BAD_INPUT
    from workbench.search.attach import StudyState, open_shared, watch
    from workbench.search.space import SearchError

    try:
        study, spec = open_shared(args.storage, args.study)
    except SearchError as error:
        print_error(f"{error}")
        return EXIT_BAD_INPUT
    metric = spec.search.metric
    print(
        _(
            "attached to study {study} in {storage}: search {name}, {total} trials of "
            "{epochs} epochs, {metric}"
        ).format(
            study=args.study,
            storage=args.storage,
            name=spec.name,
            total=spec.planned_trials(),
            epochs=spec.prepared_base().training.epochs,
            metric=metric,
        ),
        flush=True,
    )
    shown: set[int] = set()
    machines: tuple[str, ...] = ()

    def show(state: StudyState) -> None:
        nonlocal machines
        if state.hosts != machines:
            machines = state.hosts
            print(_("machines: {hosts}").format(hosts=", ".join(machines)), flush=True)
        for trial in sorted(state.trials, key=lambda t: t.number):
            if trial.status == "running" or trial.number in shown:
                continue
            shown.add(trial.number)
            # Counted as shown: trials that finished before attaching come first, one by one.
            done = min(len(shown), state.total)
            line = _("{bar} trial {done}/{total}  #{number} {status}").format(
                bar=progress_bar(done, state.total),
                done=done,
                total=state.total,
                number=trial.number,
                status=f"{word(trial.status):<13}",
            )
            line += f" {trial_score(trial, metric)}  {trial_values(trial)}"
            if trial.host:
                line += "  " + _("on {host}").format(host=trial.host)
            print(line, flush=True)

    stop = threading.Event()

    def stop_watching(signum: int, frame: Any) -> None:
        stop.set()

    previous = signal.signal(signal.SIGINT, stop_watching)
    try:
        state = watch(study, spec, show, stop)
    except Exception as error:  # noqa: BLE001 - the database went away mid-watch
        print_error(f"--storage {args.storage}: " + _("cannot read: {error}").format(error=error))
        return EXIT_FAILED
    finally:
        signal.signal(signal.SIGINT, previous)
    summary = _("{done}/{total} trials done, {running} running").format(
        done=state.done, total=state.total, running=state.running
    )
    if stop.is_set():
        summary += "; " + _("stopped watching (the search goes on)")
    print(summary)
    best = next((trial for trial in state.trials if trial.scored), None)
    if best is not None:
        print(
            _("best: trial #{number}  {score}").format(
                number=best.number, score=trial_score(best, metric)
            )
        )
    if args.out is not None:
        from workbench.search.results import write_results

        try:
            written = write_results(
                args.out,
                spec,
                state.trials,
                study=args.study,
                storage=args.storage,
                done=state.done,
            )
        except OSError as error:
            print_error(write_error("--out", args.out, error))
            return EXIT_BAD_INPUT
        print(_("wrote {paths}").format(paths=", ".join(str(path) for path in written)))
    return EXIT_OK
