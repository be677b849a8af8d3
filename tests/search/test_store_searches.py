"""The run store's searches: schema 3, the v2 -> v3 migration, and reading a search's trials."""

import sqlite3

from workbench.core import EpochMetrics
from workbench.runs import store as store_module
from workbench.runs.store import RunStore


def v2_database(folder):
    """A database exactly as schema 2 made it, with one finished run."""
    folder.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(folder / "runs.sqlite3") as db:
        db.executescript(store_module._MIGRATIONS[1])
        db.executescript(store_module._MIGRATIONS[2])
        db.execute("PRAGMA user_version = 2")
        db.execute(
            "INSERT INTO runs (name, created, status, config, environment, test_split) "
            "VALUES ('old run', 0, 'completed', '{}', '{}', 'abc')"
        )
        db.execute("INSERT INTO epochs (run_id, epoch, val_accuracy) VALUES (1, 1, 0.5)")


def test_a_v2_database_migrates_to_the_current_version_keeping_its_runs(tmp_path):
    from workbench.runs.store import SCHEMA_VERSION

    v2_database(tmp_path)
    migrated = RunStore(tmp_path)
    with sqlite3.connect(migrated.path) as db:
        assert SCHEMA_VERSION >= 3
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        columns = [row[1] for row in db.execute("PRAGMA table_info(runs)")]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"search_id", "trial", "test_split"} <= set(columns)
    assert {"searches", "runs_by_search"} <= tables
    old = migrated.get_run(1)
    assert (old.name, old.status, old.epochs_run) == ("old run", "completed", 1)
    assert (old.search_id, old.trial) == (None, None)
    assert migrated.list_searches() == []
    assert len(migrated.list_runs(include_trials=False)) == 1


def test_a_searchs_trials_are_read_with_their_histories(tmp_path):
    store = RunStore(tmp_path)
    search = store.open_search("lr", {"search": {"trials": 2}}, "/tmp/journal.log", "lr-1")
    other = store.open_search("wd", {"search": {"trials": 5}}, "/tmp/journal.log", "wd-1")
    for trial in (1, 0):
        run = store.create_run(f"lr trial {trial}", {}, {}, search_id=search, trial=trial)
        for epoch in (1, 2):
            store.add_epoch(run, EpochMetrics(epoch, 2, 1.0, 0.5, 0.9, 0.1 * epoch, 0.01, 0.1))
    store.create_run("plain run", {}, {})
    store.create_run("wd trial 0", {}, {}, search_id=other, trial=0)

    runs = store.search_runs(search)
    assert [(r.trial, r.search_id) for r in runs] == [(0, search), (1, search)]
    assert [e["val_accuracy"] for e in runs[0].history] == [0.1, 0.2]
    assert store.search_runs(search, with_history=False)[0].epochs_run == 2

    listed = {record.id: record for record in store.list_searches()}
    assert listed[search].trials_recorded == 2 and listed[other].trials_recorded == 1
    assert listed[search].status == "running" and listed[search].spec["search"]["trials"] == 2
    assert [r.name for r in store.list_runs(include_trials=False)] == ["plain run"]
    assert len(store.list_runs()) == 4

    store.finish_search(search)
    assert store.get_search(search).status == "finished"
    assert store.get_search(search).finished is not None
    # The same storage and study is the same search: opened again, it resumes its record.
    again = store.open_search("lr", {"search": {"trials": 4}}, "/tmp/journal.log", "lr-1")
    assert again == search
    record = store.get_search(search)
    assert record.status == "running" and record.spec["search"]["trials"] == 4


def test_a_search_whose_process_is_gone_is_marked_interrupted(tmp_path):
    store = RunStore(tmp_path)
    search = store.open_search("lr", {}, "/tmp/j.log", "lr-1")
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE searches SET pid = 999999999 WHERE id = ?", (search,))
    RunStore(tmp_path)  # the next start notices
    assert store.get_search(search).status == "interrupted"
