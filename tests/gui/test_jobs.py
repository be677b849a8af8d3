"""The window's one background job: its signals, their order, cancelling, and shutdown."""

import threading
import time

import pytest
from PySide6.QtCore import QThread

from workbench.ui.jobs import Job, JobState, running_jobs, stop_all_jobs


class _Heard:
    """What a job said, in order, and on which thread."""

    def __init__(self, job: Job) -> None:
        self.events: list[tuple] = []
        self.main = QThread.currentThread()
        job.progress.connect(lambda value: self._note("progress", value))
        job.succeeded.connect(lambda value: self._note("succeeded", value))
        job.errored.connect(lambda message: self._note("errored", message))
        job.aborted.connect(lambda: self._note("aborted"))
        job.finished.connect(lambda: self._note("finished", job.is_running()))

    def _note(self, *event) -> None:
        assert QThread.currentThread() is self.main  # every signal reaches the window's thread
        self.events.append(event)


def run_to_end(qtbot, job: Job) -> _Heard:
    heard = _Heard(job)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        job.start()
    return heard


def test_progress_then_the_result_then_finished_with_the_thread_joined(qtbot):
    def count(state: JobState) -> str:
        for step in range(3):
            state.report(step)
        return threading.current_thread().name

    job = Job(count, name="countingThread")
    heard = run_to_end(qtbot, job)
    assert heard.events[:3] == [("progress", 0), ("progress", 1), ("progress", 2)]
    kind, thread_name = heard.events[3]
    assert kind == "succeeded" and thread_name != threading.main_thread().name
    assert heard.events[4] == ("finished", False)  # "finished": nothing is left running
    assert job.is_done() and job not in running_jobs()


def test_an_expected_error_is_its_message_and_a_bug_is_named(qtbot):
    def refuse(state):
        raise ValueError("data.path: no such file\nsecond line")

    def crash(state):
        raise KeyError("oops")

    heard = run_to_end(qtbot, Job(refuse, expected=(ValueError,)))
    assert heard.events == [("errored", "data.path: no such file"), ("finished", False)]
    heard = run_to_end(qtbot, Job(crash))
    assert heard.events == [("errored", "KeyError: 'oops'"), ("finished", False)]


def test_a_user_error_is_its_message_without_being_listed(qtbot, caplog):
    from workbench.runs.store import StoreError

    def refuse(state):
        raise StoreError("runs.sqlite3: the disk is full")

    heard = run_to_end(qtbot, Job(refuse))
    assert heard.events == [("errored", "runs.sqlite3: the disk is full"), ("finished", False)]
    assert "background job failed" not in caplog.text  # not logged as a bug


def test_a_failing_setup_is_reported_like_the_function(qtbot):
    def setup():
        raise RuntimeError("no torch here")

    heard = run_to_end(qtbot, Job(lambda state: 1, setup=setup))
    assert heard.events == [("errored", "RuntimeError: no torch here"), ("finished", False)]


def test_cancel_gives_up_at_the_next_report(qtbot):
    started = threading.Event()

    def read_for_ever(state: JobState) -> None:
        started.set()
        while True:
            state.report_fraction(0.5)
            time.sleep(0.005)

    job = Job(read_for_ever)
    heard = _Heard(job)
    job.start()
    assert started.wait(5)
    with qtbot.waitSignal(job.finished, timeout=5_000):
        job.cancel()
    assert job.cancelled
    assert heard.events[-2:] == [("aborted",), ("finished", False)]


def test_fractions_are_sent_once_per_percent():
    sent = []
    state = JobState(sent.append)
    for step in range(1001):
        state.report_fraction(step / 1000)
    # Whole percents only, at most ~20 a second, and the end always.
    assert sent[-1] == 1.0
    assert len(sent) == len(set(sent)) <= 101
    assert sent == sorted(sent)


def test_stop_all_jobs_stops_and_joins_every_running_job(qtbot):
    def until_stopped(state: JobState) -> str:
        while not state.stop_token.wait(0.01):
            pass
        return "stopped"

    jobs = [Job(until_stopped, name=f"job{i}") for i in range(3)]
    for job in jobs:
        job.start()
    assert all(job.is_running() for job in jobs)
    assert stop_all_jobs()
    assert not any(job.is_running() for job in jobs)
    # Their last signals still come, on the window's thread.
    qtbot.waitUntil(lambda: all(job.is_done() for job in jobs), timeout=5_000)
    assert not running_jobs()


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_plain_function_runs_as_a_job(qtbot, wrapped):
    job = Job.calling(lambda: 42) if wrapped else Job(lambda state: 42)
    heard = run_to_end(qtbot, job)
    assert heard.events == [("succeeded", 42), ("finished", False)]
