"""The run store: one SQLite database (WAL, versioned schema) plus best weights as safetensors.

Every write is its own short transaction on its own connection, so the training thread, the
window and a `workbench run` in another process can all use the store at once, and a process
killed mid-run leaves every epoch it finished on disk.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_data_dir

from workbench.atomic import atomic_write_bytes
from workbench.core.events import EPOCH_VALUES, EpochMetrics, RunResult
from workbench.core.probe_types import ProbeSnapshot, snapshot_from_dict, snapshot_to_dict
from workbench.errors import UserError, first_line
from workbench.i18n import _
from workbench.runs import store_files
from workbench.runs.artifacts import Evaluation, load_evaluation, save_evaluation

if TYPE_CHECKING:
    import torch

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 8
DATA_DIR_VARIABLE = "WORKBENCH_DATA_DIR"

# Version 1. The `epochs` table's value columns are EpochMetrics' values (EPOCH_VALUES), which
# the store reads and writes by name; like every migration this SQL is frozen, so a new field
# of EpochMetrics needs a migration that adds its column (test_run_store checks they agree).
_SCHEMA = """
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    finished REAL,
    status TEXT NOT NULL,
    config TEXT NOT NULL,
    environment TEXT NOT NULL,
    best_epoch INTEGER,
    best_val_accuracy REAL,
    test TEXT,
    error TEXT,
    tags TEXT NOT NULL DEFAULT '',
    pid INTEGER
);
CREATE TABLE epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    train_loss REAL,
    train_accuracy REAL,
    val_loss REAL,
    val_accuracy REAL,
    lr REAL,
    seconds REAL,
    PRIMARY KEY (run_id, epoch)
);
"""
# Version 2: each run names its test set, so a report can say how often that test set was
# evaluated (tuning on test results inflates them).
_SCHEMA_2 = """
ALTER TABLE runs ADD COLUMN test_split TEXT;
CREATE INDEX runs_by_test_split ON runs (test_split);
"""
# Version 3: hyperparameter searches. A search's trials are ordinary runs that name their
# search and Optuna trial number, so the run history, reports and exports all work on them.
# (storage, study) is unique: running a search again on the same study resumes its record.
_SCHEMA_3 = """
CREATE TABLE searches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created REAL NOT NULL,
    finished REAL,
    spec TEXT NOT NULL,
    storage TEXT NOT NULL,
    study TEXT NOT NULL,
    status TEXT NOT NULL,
    pid INTEGER,
    UNIQUE (storage, study)
);
ALTER TABLE runs ADD COLUMN search_id INTEGER REFERENCES searches(id) ON DELETE SET NULL;
ALTER TABLE runs ADD COLUMN trial INTEGER;
CREATE INDEX runs_by_search ON runs (search_id, trial);
"""
# Version 4: why a diverged run was stopped (Divergence.as_dict() as JSON), so its report and
# the run history say "grew from 2.3 to 1.5e28 in epoch 1" however the run is opened.
_SCHEMA_4 = """
ALTER TABLE runs ADD COLUMN divergence TEXT;
"""
# Version 5: when a run was evaluated on the test set. Runs are tested at their end or later,
# on purpose (Evaluate on test set), so "the Nth look at this test set" follows this time,
# not the run's id. Runs tested before version 5 were tested as they finished.
_SCHEMA_5 = """
ALTER TABLE runs ADD COLUMN tested REAL;
UPDATE runs SET tested = finished WHERE test IS NOT NULL;
"""
# Version 6: why a run's record is incomplete (the store failed mid-run: a full disk). Such a
# run is `incomplete`, not `interrupted`: it ended, but not every epoch or file was kept.
_SCHEMA_6 = """
ALTER TABLE runs ADD COLUMN record_error TEXT;
"""
# Version 7: what the probes saw inside the network (workbench/core/probes.py), one row per
# epoch (0 = at initialisation): the snapshot's JSON, zlib-compressed (histograms are small
# integer arrays; five layers over 100 epochs take some 100 KB). JSON, never a pickle: a store
# copied from someone else is read without running anything it holds.
_SCHEMA_7 = """
CREATE TABLE probes (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    epoch INTEGER NOT NULL,
    snapshot BLOB NOT NULL,
    PRIMARY KEY (run_id, epoch)
);
"""
# Version 8: the decision boundary of a run of 2-D data (workbench/core/boundary.py), one row
# per run: report.json's `decision_boundary` section as JSON, zlib-compressed. That section is
# compact already (the grid's classes as base-36 digits and its confidence in tenths, one
# string per grid row; its axes; a sample of each part's points) and is what the report's
# figure draws, so a report made later from the store has the very section the run's own
# report had: 6-7 KB a run on the spiral. Written with the run's ending; a later test
# evaluation adds the test points. JSON, never a pickle, as for the probes.
_SCHEMA_8 = """
CREATE TABLE boundaries (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
    entry BLOB NOT NULL
);
"""
# Schema version -> the SQL that brings a database from the version before up to it.
_MIGRATIONS: dict[int, str] = {
    1: _SCHEMA,
    2: _SCHEMA_2,
    3: _SCHEMA_3,
    4: _SCHEMA_4,
    5: _SCHEMA_5,
    6: _SCHEMA_6,
    7: _SCHEMA_7,
    8: _SCHEMA_8,
}

# Runs whose final weights are kept for a later test evaluation or prediction.
_KEPT = ("completed", "early_stopped", "stopped")

# SQLite's integers are 64-bit: a larger run id names no run (and would not even bind).
MAX_RUN_ID = 2**63 - 1


def _newer_schema(version: int) -> str:
    return _(
        "made by a newer workbench (schema {version}, this one reads up to {supported})"
    ).format(version=version, supported=SCHEMA_VERSION)


class StoreError(UserError):
    """The run store cannot be opened or written; one line that names the file."""


def default_data_dir() -> Path:
    """`$WORKBENCH_DATA_DIR`, or the per-user data folder of this platform."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    return Path(override) if override else Path(user_data_dir("workbench", appauthor=False))


@dataclass(frozen=True)
class RunRecord:
    """One recorded run as the store holds it."""

    id: int
    name: str
    created: float
    finished: float | None
    status: str
    config: dict[str, Any]
    environment: dict[str, Any]
    best_epoch: int | None
    best_val_accuracy: float | None
    test: dict[str, Any] | None
    error: str | None
    tags: tuple[str, ...]
    epochs_run: int
    history: tuple[dict[str, float], ...] = ()  # empty when listed without histories
    search_id: int | None = None  # the search this run is a trial of, if any
    trial: int | None = None  # its Optuna trial number within that search
    # A diverged run's Divergence.as_dict() (non-finite losses as None); None otherwise.
    divergence: dict[str, Any] | None = None
    # Why an `incomplete` run's record lacks epochs or files (the store failed mid-run).
    record_error: str | None = None
    # The test set the run was evaluated on (a hash of its rows); None when never tested.
    test_split: str | None = None

    @property
    def test_accuracy(self) -> float | None:
        return None if self.test is None else self.test.get("accuracy")

    def summary(self) -> dict[str, Any]:
        """The fields `workbench runs list --json` prints."""
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "epochs_run": self.epochs_run,
            "best_epoch": self.best_epoch,
            "best_val_accuracy": self.best_val_accuracy,
            "test_accuracy": self.test_accuracy,
            "created": self.created,
            "duration_s": None if self.finished is None else self.finished - self.created,
            "tags": list(self.tags),
            "dataset": self.config.get("data", {}).get("source"),
            "optimizer": self.config.get("optimizer", {}).get("name"),
            "lr": self.config.get("optimizer", {}).get("lr"),
            "search_id": self.search_id,
            "trial": self.trial,
        }


@dataclass(frozen=True)
class SearchRecord:
    """One hyperparameter search as the store holds it; its trials are runs."""

    id: int
    name: str
    created: float
    finished: float | None
    # running, finished (no trial left to start), stopped, failed (its storage failed) or
    # interrupted (its process is gone)
    status: str
    spec: dict[str, Any]  # the search file, resolved (workbench.search.SearchSpec as JSON)
    storage: str  # the Optuna storage: a database URL or a journal file's path
    study: str  # the Optuna study name within it
    trials_recorded: int  # trial runs recorded in this store (other machines keep their own)


def _finite(value: float | None) -> float | None:
    # SQLite stores NaN as NULL anyway; do it on purpose so JSON exports stay valid.
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return None
    return value


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, owned by someone else
    return True


class RunStore:
    """Runs in `folder/runs.sqlite3`, best weights in `folder/weights/<id>.safetensors`.

    A store that cannot be written (a read-only file, folder or mount) is opened read-only:
    it lists and shows its runs, and every write raises a StoreError that says so.
    """

    def __init__(self, folder: str | Path | None = None, *, read_only: bool = False) -> None:
        self.folder = Path(folder) if folder is not None else default_data_dir()
        self.path = self.folder / "runs.sqlite3"
        self.read_only = read_only or store_files.looks_read_only(self.folder, self.path)
        self._uri: str | None = None  # the read-only URI the store is read through
        self._held = threading.local()  # a connection a thread keeps open (held_connection)
        # The schema the file has: below SCHEMA_VERSION only in a read-only store, which
        # cannot be migrated; tables added since are then read as empty.
        self.schema_version = SCHEMA_VERSION
        try:
            if not self.read_only:
                self._open_writable()
            if self.read_only:
                self._open_read_only()
        except StoreError as error:
            if isinstance(error.__cause__, sqlite3.Error):
                raise StoreError(
                    f"{self.path}: "
                    + _("cannot open the run store: {error}").format(error=error.__cause__)
                ) from None
            raise
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                f"{self.path}: " + _("cannot open the run store: {error}").format(error=error)
            ) from None

    def _open_writable(self) -> None:
        try:
            (self.folder / "weights").mkdir(parents=True, exist_ok=True)
            self._migrate()
            # Inside the error handling: this write is what fails first in a read-only store
            # that os.access could not tell apart (a read-only mount seen as writable).
            self.recover_interrupted()
        except (OSError, sqlite3.Error, StoreError) as error:
            cause = error.__cause__ if isinstance(error, StoreError) else error
            if cause is None or not store_files.is_read_only_error(cause):
                raise
            if not self.path.exists():
                raise
            self.read_only = True
            return
        # Orphans of writes a kill interrupted; only a store that can be written is tidied.
        store_files.remove_stale_parts((self.folder, self.folder / "weights"))

    def _open_read_only(self) -> None:
        """Read through `mode=ro`, or `immutable=1` where that cannot open (no -shm file)."""
        if not self.path.exists():
            raise StoreError(f"{self.path}: " + _("no run store here, and its folder is read-only"))
        for immutable in (False, True):
            self._uri = store_files.read_only_uri(self.path, immutable=immutable)
            try:
                with self._connect() as db:
                    version = db.execute("PRAGMA user_version").fetchone()[0]
                    db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                break
            except StoreError:
                if immutable:
                    raise
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: " + _newer_schema(version))
        if version < 1:
            raise StoreError(f"{self.path}: " + _("read-only, and not a run store"))
        self.schema_version = version
        # An older schema is read as it is: it cannot be migrated, and the columns added
        # since are read as missing (RunStore._record).

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(
                f"{self.path}: " + _("the run store is read-only; nothing can be recorded")
            )

    @contextmanager
    def held_connection(self) -> Iterator[None]:
        """Inside the block, this thread's reads and writes share one open connection.

        A run writes two rows an epoch (its metrics and its look inside the network). Opening
        and closing a connection for each cost 20-35 ms here (closing the last connection to
        a WAL database checkpoints it to disk), a quarter of a short run's time on the 8x8
        digits; on a held connection a commit takes well under a millisecond. If the store
        cannot be opened, the block runs without (each write then opens its own and fails
        in its own words).
        """
        if getattr(self._held, "connection", None) is not None:
            yield  # already held further out in this thread
            return
        try:
            connection = self._open_connection()
        except sqlite3.Error:
            connection = None
        if connection is None:
            yield
            return
        self._held.connection = connection
        try:
            yield
        finally:
            self._held.connection = None
            connection.close()

    def _open_connection(self) -> sqlite3.Connection:
        if self._uri is not None:
            connection = sqlite3.connect(self._uri, uri=True, timeout=10)
        else:
            connection = sqlite3.connect(self.path, timeout=10)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            # In WAL mode NORMAL syncs the disk at checkpoints, not at every commit: a commit
            # still survives the process being killed (only a power cut can lose the last
            # few), and the store stays consistent. FULL cost ~4 ms a commit here.
            connection.execute("PRAGMA synchronous = NORMAL")
        except BaseException:
            connection.close()
            raise
        return connection

    @contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One connection and one transaction; SQLite's errors become one-line StoreErrors."""
        if write:
            self._require_writable()
        held = getattr(self._held, "connection", None)
        try:
            if held is not None:
                with held:  # one transaction: committed on success, rolled back on error
                    yield held
                return
            connection = self._open_connection()
            try:
                with connection:
                    yield connection
            finally:
                connection.close()
        except sqlite3.Error as error:
            # "database or disk is full", "database is locked": one line that names the file,
            # the error kept as the cause (RunStore.__init__ tells read-only errors by it).
            raise StoreError(f"{self.path}: {first_line(error)}") from error

    def _migrate(self) -> None:
        with self._connect() as db:
            db.execute("PRAGMA journal_mode = WAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"{self.path}: " + _newer_schema(version))
            for target in range(version + 1, SCHEMA_VERSION + 1):
                db.executescript(_MIGRATIONS[target])
                db.execute(f"PRAGMA user_version = {target}")

    # -- writing -------------------------------------------------------------------------------
    def create_run(
        self,
        name: str,
        config: Mapping[str, Any],
        environment: Mapping,
        *,
        search_id: int | None = None,
        trial: int | None = None,
    ) -> int:
        """Record a run that starts now (a search's trial when `search_id` is given)."""
        with self._connect(write=True) as db:
            cursor = db.execute(
                "INSERT INTO runs (name, created, status, config, environment, pid, search_id, "
                "trial) VALUES (?, ?, 'running', ?, ?, ?, ?, ?)",
                (
                    name,
                    time.time(),
                    json.dumps(config),
                    json.dumps(environment),
                    os.getpid(),
                    search_id,
                    trial,
                ),
            )
            run_id = cursor.lastrowid
            # sqlite3 leaves it None only when no row was inserted, and the INSERT succeeded.
            assert run_id is not None
            return run_id

    def add_epoch(self, run_id: int, metrics: EpochMetrics) -> None:
        values = [_finite(getattr(metrics, field)) for field in EPOCH_VALUES]
        with self._connect(write=True) as db:
            db.execute(
                f"INSERT OR REPLACE INTO epochs (run_id, epoch, {', '.join(EPOCH_VALUES)}) "
                f"VALUES (?, ?, {', '.join('?' for _ in EPOCH_VALUES)})",
                (run_id, metrics.epoch, *values),
            )

    def add_probe(self, run_id: int, snapshot: ProbeSnapshot) -> None:
        """Keep an epoch's look inside the network (the last look of each epoch wins)."""
        blob = zlib.compress(json.dumps(snapshot_to_dict(snapshot)).encode("utf-8"))
        with self._connect(write=True) as db:
            db.execute(
                "INSERT OR REPLACE INTO probes (run_id, epoch, snapshot) VALUES (?, ?, ?)",
                (run_id, snapshot.epoch, blob),
            )

    def probes(self, run_id: int) -> list[ProbeSnapshot]:
        """A run's looks inside the network, by epoch; [] for a run recorded without them.

        A damaged row is left out rather than failing the run's other views.
        """
        if self.schema_version < 7:
            return []  # a read-only store from before the probes were kept
        with self._connect() as db:
            rows = db.execute(
                "SELECT epoch, snapshot FROM probes WHERE run_id = ? ORDER BY epoch", (run_id,)
            ).fetchall()
        snapshots = []
        for epoch, blob in rows:
            try:
                snapshots.append(snapshot_from_dict(json.loads(zlib.decompress(blob))))
            except (zlib.error, ValueError, KeyError, TypeError) as error:
                logger.warning("run %s: probe of epoch %s unreadable: %s", run_id, epoch, error)
        return snapshots

    def save_best(
        self, run_id: int, epoch: int, val_accuracy: float, weights: Mapping[str, torch.Tensor]
    ) -> None:
        """Keep the best weights so far (written to a temporary file, then renamed)."""
        self._require_writable()
        self._save_weights(run_id, weights, epoch, "best")
        with self._connect(write=True) as db:
            db.execute(
                "UPDATE runs SET best_epoch = ?, best_val_accuracy = ? WHERE id = ?",
                (epoch, _finite(val_accuracy), run_id),
            )

    def finish(
        self,
        run_id: int,
        result: RunResult,
        *,
        record_error: str | None = None,
        boundary: Mapping[str, Any] | None = None,
    ) -> str | None:
        """Record how the run ended; keep the weights it tested and its evaluation file.

        `boundary`: for 2-D data, the report's `decision_boundary` section, kept with the
        ending in one transaction.

        The run is recorded `incomplete` when `record_error` says why its record lacks
        something (an earlier write failed), or when its files cannot be written now (a full
        disk): the row is written all the same, so the run is not later taken for one that
        was killed. Returns why the record is incomplete, or None when it is whole.
        """
        self._require_writable()
        try:
            if result.weights is not None and (result.test is not None or result.status in _KEPT):
                # The kept weights (tested now, or to be tested later) replace the best-so-far
                # ones: they may be the last epoch's.
                self._save_weights(
                    run_id, result.weights, result.weights_epoch, result.weights_kept
                )
            save_evaluation(self.evaluation_path(run_id), result)
        except Exception as error:  # OSError, SafetensorError...: the row must still be written
            record_error = record_error or (
                f"its final weights or evaluation file are missing: {self.folder / 'weights'}: "
                f"{first_line(error)}"
            )
        status = str(result.status)
        if record_error is not None:
            record_error = f"{record_error} (the run ended {status})"
            status = "incomplete"
        test = json.dumps(asdict(result.test)) if result.test is not None else None
        test_split = result.test_split if result.test is not None else None
        divergence = None
        if result.divergence is not None:
            # Strict JSON, like report.json: a NaN or infinite loss is written as null.
            entry = {
                key: _finite(value) if isinstance(value, float) else value
                for key, value in result.divergence.as_dict().items()
            }
            divergence = json.dumps(entry, allow_nan=False)
        # Written as each new best was kept (save_best); a run trained elsewhere (a Ray task)
        # kept none here, and its score is the one its history holds at its best epoch.
        best_val_accuracy = next(
            (m.val_accuracy for m in result.history if m.epoch == result.best_epoch), None
        )
        finished = time.time()
        with self._connect(write=True) as db:
            db.execute(
                "UPDATE runs SET status = ?, finished = ?, test = ?, error = ?, best_epoch = "
                "COALESCE(?, best_epoch), best_val_accuracy = COALESCE(best_val_accuracy, ?), "
                "pid = NULL, test_split = ?, divergence = ?, "
                "tested = ?, record_error = ?, "
                # The device the run resolved "auto" to, as the folder's report.json says.
                "environment = json_set(environment, '$.device', ?) WHERE id = ?",
                (
                    status,
                    finished,
                    test,
                    result.error,
                    result.best_epoch,
                    _finite(best_val_accuracy),
                    test_split,
                    divergence,
                    finished if test is not None else None,
                    record_error,
                    result.device,
                    run_id,
                ),
            )
            if boundary is not None:
                self._put_boundary(db, run_id, boundary)
        return record_error

    def record_test(
        self, run_id: int, result: RunResult, *, boundary: Mapping[str, Any] | None = None
    ) -> None:
        """Record the test evaluation a finished run was given later, on purpose.

        `boundary`: the run's `decision_boundary` section with the test points now drawn,
        replacing the one kept with its ending (in the same transaction).
        """
        if result.test is None:
            raise ValueError("the result holds no test metrics")
        self._require_writable()
        save_evaluation(self.evaluation_path(run_id), result)
        with self._connect(write=True) as db:
            db.execute(
                "UPDATE runs SET test = ?, test_split = ?, tested = ? WHERE id = ?",
                (json.dumps(asdict(result.test)), result.test_split, time.time(), run_id),
            )
            if boundary is not None:
                self._put_boundary(db, run_id, boundary)

    @staticmethod
    def _put_boundary(db: sqlite3.Connection, run_id: int, boundary: Mapping[str, Any]) -> None:
        # Strict JSON: the section holds finite numbers only (report/boundary.py).
        text = json.dumps(boundary, allow_nan=False, separators=(",", ":"))
        db.execute(
            "INSERT OR REPLACE INTO boundaries (run_id, entry) VALUES (?, ?)",
            (run_id, zlib.compress(text.encode("utf-8"))),
        )

    def boundary(self, run_id: int) -> dict[str, Any] | None:
        """A run's `decision_boundary` section; None for other data or an older record.

        A damaged row is left out (None) rather than failing the run's other views.
        """
        if self.schema_version < 8:
            return None  # a read-only store from before boundaries were kept
        with self._connect() as db:
            row = db.execute("SELECT entry FROM boundaries WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        try:
            entry = json.loads(zlib.decompress(row[0]))
        except (zlib.error, ValueError, TypeError) as error:
            logger.warning("run %s: decision boundary unreadable: %s", run_id, error)
            return None
        return entry if isinstance(entry, dict) else None

    def test_evaluations(self, test_split: str, up_to_run: int | None = None) -> int:
        """How many recorded runs evaluated this test set (up to and including a run's look).

        Counted in the order the evaluations were made, which is not the runs' order: a run
        can be evaluated long after later runs were.
        """
        query = "SELECT COUNT(*) FROM runs WHERE test_split = ? AND test IS NOT NULL"
        parameters: tuple = (test_split,)
        if up_to_run is not None:
            query += " AND tested <= (SELECT tested FROM runs WHERE id = ?)"
            parameters += (up_to_run,)
        with self._connect() as db:
            return int(db.execute(query, parameters).fetchone()[0])

    def _save_weights(
        self, run_id: int, weights: Mapping[str, torch.Tensor], epoch: int | None, kept: str
    ) -> None:
        tensors = {k: v.detach().to("cpu").contiguous() for k, v in weights.items()}
        metadata = {"epoch": str(epoch), "kept": kept}
        from safetensors.torch import save  # imports torch: not needed to list runs

        # Serialised in memory, then written whole or not at all: a full disk leaves the
        # previous best weights as they were, and no partial file.
        atomic_write_bytes(self.weights_path(run_id), save(tensors, metadata=metadata))

    def rename(self, run_id: int, name: str) -> None:
        with self._connect(write=True) as db:
            db.execute("UPDATE runs SET name = ? WHERE id = ?", (name, run_id))

    def set_tags(self, run_id: int, tags: list[str]) -> None:
        with self._connect(write=True) as db:
            db.execute("UPDATE runs SET tags = ? WHERE id = ?", (",".join(tags), run_id))

    def delete(self, run_id: int) -> None:
        with self._connect(write=True) as db:
            db.execute("DELETE FROM runs WHERE id = ?", (run_id,))
        self.weights_path(run_id).unlink(missing_ok=True)
        self.evaluation_path(run_id).unlink(missing_ok=True)

    def recover_interrupted(self) -> int:
        """Mark runs and searches whose process is gone `interrupted`; returns how many runs.

        A read-only store is left as it is: its records show such runs `interrupted` as they
        are read (RunStore._record), without writing.
        """
        if self.read_only:
            return 0
        dead: dict[str, list[int]] = {}
        with self._connect(write=True) as db:
            for table in ("searches", "runs"):
                rows = db.execute(f"SELECT id, pid FROM {table} WHERE status = 'running'")
                dead[table] = [row_id for row_id, pid in rows.fetchall() if not _pid_alive(pid)]
                db.executemany(
                    f"UPDATE {table} SET status = 'interrupted', pid = NULL WHERE id = ?",
                    [(row_id,) for row_id in dead[table]],
                )
        return len(dead["runs"])

    # -- searches ------------------------------------------------------------------------------
    def open_search(self, name: str, spec: Mapping[str, Any], storage: str, study: str) -> int:
        """The search on this storage and study, recorded now or resumed; returns its id.

        A resumed search takes the new name and spec (its total of trials may have grown) and
        is `running` again, owned by this process.
        """
        with self._connect(write=True) as db:
            db.execute(
                "INSERT INTO searches (name, created, spec, storage, study, status, pid) "
                "VALUES (?, ?, ?, ?, ?, 'running', ?) ON CONFLICT (storage, study) DO UPDATE "
                "SET name = excluded.name, spec = excluded.spec, status = 'running', "
                "finished = NULL, pid = excluded.pid",
                (name, time.time(), json.dumps(spec), storage, study, os.getpid()),
            )
            row = db.execute(
                "SELECT id FROM searches WHERE storage = ? AND study = ?", (storage, study)
            ).fetchone()
            return int(row[0])

    def finish_search(self, search_id: int, status: str = "finished") -> None:
        """Record how the search ended: `finished` (all its trials done) or `stopped`."""
        with self._connect(write=True) as db:
            db.execute(
                "UPDATE searches SET status = ?, finished = ?, pid = NULL WHERE id = ?",
                (status, time.time(), search_id),
            )

    def list_searches(self) -> list[SearchRecord]:
        """Every search, newest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT s.id, s.name, s.created, s.finished, s.status, s.spec, s.storage, "
                "s.study, COUNT(r.id) FROM searches s LEFT JOIN runs r ON r.search_id = s.id "
                "GROUP BY s.id ORDER BY s.id DESC"
            ).fetchall()
        return [self._search_record(row) for row in rows]

    def get_search(self, search_id: int) -> SearchRecord:
        for record in self.list_searches():
            if record.id == search_id:
                return record
        raise StoreError(f"{self.path}: " + _("no search {search_id}").format(search_id=search_id))

    def search_runs(self, search_id: int, with_history: bool = True) -> list[RunRecord]:
        """The trial runs of a search, by trial number; with their epochs for learning curves.

        Readable while the search runs: each trial's epochs are written as they end.
        """
        with self._connect() as db:
            cursor = db.execute(
                "SELECT * FROM runs WHERE search_id = ? ORDER BY trial, id", (search_id,)
            )
            rows = cursor.fetchall()
            columns = [d[0] for d in cursor.description]
            histories = self._histories(db, search_id=search_id) if with_history else {}
            counts = dict(
                db.execute(
                    "SELECT run_id, COUNT(*) FROM epochs WHERE run_id IN "
                    "(SELECT id FROM runs WHERE search_id = ?) GROUP BY run_id",
                    (search_id,),
                )
            )
        return [
            self._record(dict(zip(columns, row, strict=True)), histories, counts) for row in rows
        ]

    @staticmethod
    def _search_record(row: tuple) -> SearchRecord:
        search_id, name, created, finished, status, spec, storage, study, count = row
        return SearchRecord(
            id=search_id,
            name=name,
            created=created,
            finished=finished,
            status=status,
            spec=json.loads(spec),
            storage=storage,
            study=study,
            trials_recorded=count,
        )

    # -- reading -------------------------------------------------------------------------------
    def weights_path(self, run_id: int) -> Path:
        return self.folder / "weights" / f"{run_id}.safetensors"

    def evaluation_path(self, run_id: int) -> Path:
        return self.folder / "weights" / f"{run_id}.evaluation.safetensors"

    def load_evaluation(self, run_id: int) -> Evaluation:
        """The run's preprocessing and test predictions (ArtifactError when it has none)."""
        return load_evaluation(self.evaluation_path(run_id))

    def load_best_weights(self, run_id: int) -> dict[str, torch.Tensor]:
        """The run's kept weights: the tested ones once it finished, else the best so far.

        Safetensors: nothing is unpickled.
        """
        path = self.weights_path(run_id)
        if not path.exists():
            raise StoreError(
                f"{path}: " + _("run {run_id} has no saved weights").format(run_id=run_id)
            )
        from safetensors import SafetensorError
        from safetensors.torch import load_file

        try:
            return load_file(str(path))
        except (SafetensorError, OSError) as error:  # a damaged file: say which one
            raise StoreError(
                f"{path}: " + _("unreadable weights: {error}").format(error=first_line(error))
            ) from None

    def list_runs(
        self, with_history: bool = False, *, include_trials: bool = True
    ) -> list[RunRecord]:
        """Every run, newest first; without searches' trials when `include_trials` is False."""
        where = "" if include_trials else " WHERE search_id IS NULL"
        with self._connect() as db:
            rows = db.execute(f"SELECT * FROM runs{where} ORDER BY id DESC").fetchall()
            columns = [d[0] for d in db.execute("SELECT * FROM runs LIMIT 0").description]
            histories = self._histories(db) if with_history else {}
            counts = dict(db.execute("SELECT run_id, COUNT(*) FROM epochs GROUP BY run_id"))
        return [
            self._record(dict(zip(columns, row, strict=True)), histories, counts) for row in rows
        ]

    def get_run(self, run_id: int) -> RunRecord:
        if not 0 <= run_id <= MAX_RUN_ID:  # would not even bind as an SQLite integer
            raise StoreError(f"{self.path}: " + _("no run {run_id}").format(run_id=run_id))
        with self._connect() as db:
            cursor = db.execute("SELECT * FROM runs WHERE id = ?", (run_id,))
            row = cursor.fetchone()
            if row is None:
                raise StoreError(f"{self.path}: " + _("no run {run_id}").format(run_id=run_id))
            columns = [d[0] for d in cursor.description]
            histories = self._histories(db, run_id)
        return self._record(dict(zip(columns, row, strict=True)), histories, {})

    @staticmethod
    def _histories(
        db: sqlite3.Connection, run_id: int | None = None, *, search_id: int | None = None
    ) -> dict[int, list]:
        query = f"SELECT run_id, epoch, {', '.join(EPOCH_VALUES)} FROM epochs"
        parameters: tuple[int, ...]
        if run_id is not None:
            query, parameters = query + " WHERE run_id = ?", (run_id,)
        elif search_id is not None:
            query += " WHERE run_id IN (SELECT id FROM runs WHERE search_id = ?)"
            parameters = (search_id,)
        else:
            parameters = ()
        rows = db.execute(query + " ORDER BY epoch", parameters)
        histories: dict[int, list] = {}
        for run, epoch, *values in rows:
            histories.setdefault(run, []).append(
                {"epoch": epoch, **dict(zip(EPOCH_VALUES, values, strict=True))}
            )
        return histories

    @staticmethod
    def _record(
        row: dict[str, Any], histories: dict[int, list], counts: dict[int, int]
    ) -> RunRecord:
        history = tuple(histories.get(row["id"], ()))
        status = row["status"]
        if status == "running" and not _pid_alive(row.get("pid")):
            # Its process is gone: what recover_interrupted records, said without writing
            # (a read-only store, or a run killed since this store was opened).
            status = "interrupted"
        return RunRecord(
            id=row["id"],
            name=row["name"],
            created=row["created"],
            finished=row["finished"],
            status=status,
            config=json.loads(row["config"]),
            environment=json.loads(row["environment"]),
            best_epoch=row["best_epoch"],
            best_val_accuracy=row["best_val_accuracy"],
            test=json.loads(row["test"]) if row["test"] else None,
            error=row["error"],
            tags=tuple(t for t in row["tags"].split(",") if t),
            # The count alone when listing, so the list stays cheap with thousands of runs.
            epochs_run=len(history) if history else counts.get(row["id"], 0),
            history=history,
            search_id=row.get("search_id"),
            trial=row.get("trial"),
            divergence=json.loads(row["divergence"]) if row.get("divergence") else None,
            record_error=row.get("record_error"),
            test_split=row.get("test_split"),
        )
