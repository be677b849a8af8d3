"""The Optuna side of a search: storage, study, sampler, pruner, and counting trials.

Optuna samples and prunes; the workbench trains. Every process (a local worker or another
machine) opens the same study in the same storage and asks it for the next trial, so the
study is the one record of which values were tried and how each did.

Trial numbers, not a per-process random stream, decide the values: the random sampler is
re-seeded from (seed, trial number) before each trial, so the same seed gives the same values
whatever the number of workers, and a resumed search does not repeat the values it tried.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.i18n import _
from workbench.search.space import SearchError

if TYPE_CHECKING:
    import optuna
    from optuna.trial import FrozenTrial

    from workbench.search.spec import SearchSpec

HOST = socket.gethostname()
JOURNAL_NAME = "journal.log"
_SIGNATURE = "workbench_signature"
_RDB_ATTEMPTS = 4
# A database storage's workers say every HEARTBEAT_S that their trial still trains; a running
# trial not heard of for STALE_AFTER_S (its machine gone, never to come back) is failed by the
# next worker that looks, and its values queued again. A journal file keeps no heartbeats.
HEARTBEAT_S = 10
STALE_AFTER_S = 120


def quiet_optuna() -> None:
    """Optuna logs every trial at INFO; the CLI prints its own line per trial."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # Heartbeats are kept here for the ask-and-tell loop (trial_heartbeat), which Optuna
    # warns about on every ask; failing stale trials is "experimental" since Optuna 2.9.
    warnings.filterwarnings("ignore", message="Heartbeat of storage is supposed to be used")
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def default_storage(data_dir: str | Path, study: str) -> str:
    """The journal file of a search in the run store's folder: `searches/<study>/journal.log`."""
    return str(Path(data_dir) / "searches" / study / JOURNAL_NAME)


def open_storage(storage: str) -> optuna.storages.BaseStorage:
    """An Optuna storage from a database URL (`sqlite:///…`, `postgresql://…`) or a file path.

    A path is a journal file (created with its folder if missing): several processes can
    share it on one machine, or several machines on a shared disk.
    """
    import optuna
    from optuna.storages.journal import (
        JournalFileBackend,
        JournalFileOpenLock,
        JournalFileSymlinkLock,
    )

    if "://" in storage:
        # Wait for a busy SQLite file rather than fail ("database is locked") when several
        # processes write at once; other databases queue writers themselves.
        kwargs: dict[str, Any] = {}
        if storage.startswith("sqlite"):
            kwargs["engine_kwargs"] = {"connect_args": {"timeout": 60}}
        url = database_url(storage)
        for attempt in range(_RDB_ATTEMPTS):
            try:
                with warnings.catch_warnings():  # "experimental" since Optuna 2.9
                    warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                    return optuna.storages.RDBStorage(
                        url,
                        heartbeat_interval=HEARTBEAT_S,
                        grace_period=STALE_AFTER_S,
                        heartbeat_stale_trial_callback=requeue,  # Optuna failed it
                        **kwargs,
                    )
            except ImportError as error:  # the database's driver is not installed
                hint = ""
                if url.startswith("postgresql+psycopg:"):
                    extra = "pip install 'workbench[postgres]'"
                    hint = "; " + _("install the 'postgres' extra: {command}").format(command=extra)
                raise SearchError(f"--storage {storage}: cannot open: {error}{hint}") from None
            except Exception as error:  # a bad URL, a refused connection, or a race (below)
                # Processes that open a new database together race to create its tables
                # (optuna/optuna#1092); the loser finds them made when it tries again.
                if attempt + 1 == _RDB_ATTEMPTS:
                    text = str(error).strip()
                    message = text.splitlines()[0] if text else repr(error)
                    raise SearchError(f"--storage {storage}: cannot open: {message}") from None
                time.sleep(0.5 * (attempt + 1))
    try:
        path = Path(storage).expanduser()
    except RuntimeError:  # "~nosuchuser/...": no such home folder
        raise SearchError(f"--storage {storage}: no such user for '~' in the path") from None
    if path.exists() and not path.is_file():  # a folder, a pipe: Optuna's own error was bare
        raise SearchError(
            f"--storage {storage}: " + _("not a file; give a journal file or a database URL")
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Windows cannot make symlinks without privileges; O_EXCL files work everywhere.
        lock_type = JournalFileOpenLock if os.name == "nt" else JournalFileSymlinkLock
        backend = JournalFileBackend(str(path), lock_obj=lock_type(str(path)))
        # Reads the journal back: another kind of file fails here, as JSON that is not.
        return optuna.storages.JournalStorage(backend)
    except OSError as error:
        raise SearchError(f"--storage {storage}: cannot open: {error}") from None
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):  # JSONDecodeError is one
        raise SearchError(
            f"--storage {storage}: " + _("not a search journal (the file --storage writes)")
        ) from None


def database_url(storage: str) -> str:
    """SQLAlchemy's URL for `storage`: a plain `postgresql://` gets the psycopg (v3) driver.

    SQLAlchemy before 2.1 would pick psycopg2 for it, which the `postgres` extra does not
    install; a URL that names its driver (`postgresql+psycopg2://`) is kept as it is.
    """
    if storage.startswith("postgresql://") or storage.startswith("postgres://"):
        return "postgresql+psycopg://" + storage.split("://", 1)[1]
    return storage


def trial_seed(seed: int, number: int) -> int:
    """The random sampler's seed for one trial: independent streams for (seed, number)."""
    return int(np.random.SeedSequence([seed, number]).generate_state(1)[0])


def make_sampler(spec: SearchSpec) -> optuna.samplers.BaseSampler:
    """RandomSampler re-seeded per trial, or GridSampler over the grid's values."""
    import optuna

    settings = spec.search
    if settings.strategy == "grid":

        class CountedGridSampler(optuna.samplers.GridSampler):
            """GridSampler without its `study.stop()` once the grid is done.

            That call raises outside `study.optimize` (this is ask-and-tell); the runner
            stops by counting trials instead (`SearchSpec.planned_trials`).
            """

            def after_trial(self, study, trial, state, values) -> None:  # type: ignore[override]
                pass

        grid = {path: list(param.grid_values() or ()) for path, param in settings.space.items()}
        return CountedGridSampler(grid, seed=settings.seed)

    class TrialSeededRandomSampler(optuna.samplers.RandomSampler):
        """Optuna's RandomSampler, its stream restarted at each trial from its number."""

        def before_trial(self, study: optuna.Study, trial: FrozenTrial) -> None:
            super().__init__(seed=trial_seed(settings.seed, trial.number))

    return TrialSeededRandomSampler(seed=settings.seed)


def make_pruner(spec: SearchSpec) -> optuna.pruners.BasePruner:
    import optuna

    pruning = spec.search.pruning
    if pruning == "median":
        # Five finished trials before anyone is judged, and never on the first epoch alone.
        return optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=2)
    if pruning == "halving":
        return optuna.pruners.SuccessiveHalvingPruner()
    return optuna.pruners.NopPruner()


def make_distributions(spec: SearchSpec) -> dict[str, optuna.distributions.BaseDistribution]:
    """What `study.ask` samples each parameter from; a grid's values are categorical."""
    from optuna.distributions import (
        CategoricalDistribution,
        FloatDistribution,
        IntDistribution,
    )

    distributions: dict[str, Any] = {}
    for path, param in spec.search.space.items():
        if spec.search.strategy == "grid" or param.kind == "choice":
            values = param.grid_values() if spec.search.strategy == "grid" else param.values
            distributions[path] = CategoricalDistribution(tuple(values or ()))
        elif param.kind == "int":
            distributions[path] = IntDistribution(
                int(param.low or 0), int(param.high or 0), log=param.log, step=param.step or 1
            )
        else:
            distributions[path] = FloatDistribution(
                float(param.low or 0.0), float(param.high or 0.0), log=param.is_log
            )
    return distributions


def open_study(spec: SearchSpec, storage: optuna.storages.BaseStorage, name: str) -> optuna.Study:
    """Create the study or join it; refuse one that holds a different search.

    A study records the signature of its search (space, metric, epochs, seed, ...). Another
    search file with the same study name would mix trials that do not compare.
    """
    import optuna

    study = optuna.create_study(
        study_name=name,
        storage=storage,
        sampler=make_sampler(spec),
        pruner=make_pruner(spec),
        direction="maximize" if spec.search.maximize else "minimize",
        load_if_exists=True,
    )
    signature = study.user_attrs.get(_SIGNATURE)
    if signature is None:
        study.set_user_attr(_SIGNATURE, spec.signature())
        study.set_user_attr("workbench_spec", spec.to_json())
    elif signature != spec.signature():
        raise SearchError(
            f"--study {name}: this study holds a different search (its space, metric, epochs "
            "or base experiment differ); give another study name"
        )
    return study


def _pid_alive(pid: Any) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def is_stale(trial: FrozenTrial) -> bool:
    """A running trial whose process on this machine is gone (killed, crashed).

    A trial without its pid yet is not: its worker sets the pid before the host, but another
    worker starting meanwhile would otherwise fail a trial that is just beginning.
    """
    attrs = trial.user_attrs
    pid = attrs.get("pid")
    return attrs.get("host") == HOST and pid is not None and not _pid_alive(pid)


def retried(trials: list[FrozenTrial]) -> set[int]:
    """Numbers of trials that were interrupted and queued again with the same values."""
    return {t.user_attrs["retry_of"] for t in trials if "retry_of" in t.user_attrs}


def count_toward_total(study: optuna.Study) -> int:
    """Trials that count toward the search's total: finished, or running somewhere.

    A trial interrupted by a stop (and queued again) does not count, nor does a running trial
    whose process on this machine is gone. A running trial of another machine does: it may
    still finish.
    """
    from optuna.trial import TrialState

    trials = study.get_trials(deepcopy=False)
    requeued = retried(trials)
    count = 0
    for trial in trials:
        if trial.state in (TrialState.COMPLETE, TrialState.PRUNED):
            count += 1
        elif trial.state == TrialState.FAIL and trial.number not in requeued:
            count += 1
        elif trial.state == TrialState.RUNNING and not is_stale(trial):
            count += 1
    return count


def count_done(study: optuna.Study) -> int:
    """Finished trials that count toward the total (running ones left out)."""
    from optuna.trial import TrialState

    trials = study.get_trials(deepcopy=False)
    requeued = retried(trials)
    return sum(
        1
        for t in trials
        if t.state in (TrialState.COMPLETE, TrialState.PRUNED)
        or (t.state == TrialState.FAIL and t.number not in requeued)
    )


def fail_and_queue_again(study: optuna.Study, trial: FrozenTrial) -> None:
    """End a running trial whose worker is gone as failed; the next trial asked runs its values."""
    from optuna.trial import TrialState

    study.tell(trial.number, state=TrialState.FAIL, skip_if_finished=True)
    requeue(study, trial)


def requeue(study: optuna.Study, trial: FrozenTrial | optuna.Trial) -> None:
    """Queue a trial's values again: the next trial asked for runs them (grid points too)."""
    study.enqueue_trial(dict(trial.params), user_attrs={"retry_of": trial.number})


@contextmanager
def trial_heartbeat(study: optuna.Study, storage: Any, number: int) -> Iterator[None]:
    """Say every HEARTBEAT_S that trial `number` still trains, for a database storage."""
    from optuna.storages import RDBStorage

    if not isinstance(storage, RDBStorage):
        yield
        return
    trial_id = storage.get_trial_id_from_study_id_trial_number(
        storage.get_study_id_from_name(study.study_name), number
    )
    done = threading.Event()

    def beat() -> None:
        while True:
            try:
                storage.record_heartbeat(trial_id)
            except Exception:  # a database that went away: the trial itself will say so
                return
            if done.wait(HEARTBEAT_S):
                return

    thread = threading.Thread(target=beat, name=f"heartbeat-{number}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def fail_silent_trials(study: optuna.Study) -> None:
    """Fail a database storage's running trials not heard of for STALE_AFTER_S.

    Their machine is gone (see HEARTBEAT_S); their values are queued again.
    """
    import optuna

    optuna.storages.fail_stale_trials(study)


def recover_stale(study: optuna.Study) -> int:
    """Fail this machine's trials whose process died, and queue their values again.

    Trials of other machines that stopped reporting are failed and queued too (database
    storages only: fail_silent_trials); they are not counted.
    """
    from optuna.trial import TrialState

    fail_silent_trials(study)
    stale = [
        t for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)) if is_stale(t)
    ]
    for trial in stale:
        fail_and_queue_again(study, trial)
    return len(stale)
