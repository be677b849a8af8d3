"""Lessons that go on after their runs: a validation search, the test set once, new data."""

import math
import threading

import pytest
import tomli_w

from workbench.config import read_toml
from workbench.core.events import EpochMetrics, RunResult, RunStatus
from workbench.lessons import LessonError, find_lesson, load_lesson
from workbench.lessons.checks import LessonRun, SearchRound, measure
from workbench.lessons.library import LIBRARY
from workbench.lessons.runner import choose_best, run_lesson
from workbench.runs import RunStore


def _shortened(name, epochs, **changes):
    """A shipped lesson with fewer epochs (and other changes to its tables), as a file's data."""
    data = read_toml(next(LIBRARY.glob(f"*-{name}.toml")))
    data["experiment"]["training"]["epochs"] = epochs
    for table, values in changes.items():
        data[table] = {**data.get(table, {}), **values}
    return data


def _lesson(tmp_path, data, name="lesson.toml"):
    path = tmp_path / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return load_lesson(path)


def _history(accuracies, losses=None):
    losses = losses or [1.0 - a for a in accuracies]
    return tuple(
        EpochMetrics(i + 1, len(accuracies), loss, acc, loss, acc, 0.1, 0.2)
        for i, (acc, loss) in enumerate(zip(accuracies, losses, strict=True))
    )


def test_the_best_run_on_validation_is_chosen_and_a_diverged_one_never():
    good = RunResult(RunStatus.COMPLETED, _history([0.5, 0.9]), 2, None, "cpu")
    better = RunResult(RunStatus.COMPLETED, _history([0.95, 0.6]), 1, None, "cpu")
    blown = RunResult(RunStatus.DIVERGED, _history([math.nan], [math.nan]), None, None, "cpu")
    empty = RunResult(RunStatus.FAILED, (), None, None, "cpu")
    # The accuracy at the best epoch counts (0.95 at epoch 1), not the last epoch's.
    assert choose_best([blown, good, better, empty]) == 2
    assert choose_best([blown, good]) == 1
    assert choose_best([good, good]) == 0  # the first of equals
    assert choose_best([blown, empty]) == 0  # nothing to choose by


def test_search_rounds_are_measured_by_their_trials_scores():
    a_round = SearchRound((0.1, None, 0.9, 0.5))
    assert measure(a_round, "trials_best_val_accuracy") == 0.9
    assert measure(a_round, "trials_median_val_accuracy") == 0.5
    assert measure(a_round, "trials_worst_val_accuracy") == 0.1
    assert math.isnan(measure(SearchRound((None,)), "trials_best_val_accuracy"))
    run = LessonRun(RunResult(RunStatus.COMPLETED, _history([0.5]), 1, None, "cpu"))
    assert math.isnan(measure(run, "trials_best_val_accuracy"))  # a run is no round
    assert math.isnan(measure(run, "test_accuracy")) and math.isnan(measure(run, "test_looks"))
    assert math.isnan(measure(run, "drawn_accuracy"))  # not asked
    assert measure(LessonRun(run.result, drawn_accuracy=0.75), "drawn_accuracy") == 0.75


def test_the_test_lesson_tests_only_its_chosen_run_and_counts_the_looks(tmp_path):
    lesson = _lesson(tmp_path, _shortened("test-set-once", epochs=3))
    store = RunStore(tmp_path / "store")
    outcome = run_lesson(lesson, store)
    chosen_experiment, chosen = outcome.chosen_run
    scores = [measure(o.result, "best_val_accuracy") for o in outcome.outcomes]
    assert outcome.chosen.name == f"lr {chosen_experiment.optimizer.lr:g}"
    assert chosen_experiment is outcome.variants[scores.index(max(scores))]
    assert chosen.result.test is not None and chosen.test_evaluations == 1
    tested = [run for run in store.list_runs() if run.test is not None]
    assert [run.id for run in tested] == [chosen.run_id]  # the other three: never tested
    assert outcome.checks[1].holds and "(the count says 1)" in outcome.checks[1].sentence
    # A second look at the same test set is counted, and the lesson says what it costs.
    again = run_lesson(lesson, store, language="en")
    assert again.chosen.run.test_evaluations == 2
    looks = again.checks[1]
    assert not looks.holds and looks.left == 2
    assert looks.sentence.startswith("The workbench has now counted 2 looks at this test set")


def test_a_search_lesson_searches_in_rounds_then_trains_the_best_values(tmp_path):
    data = _shortened(
        "validation-search", epochs=2, search={"trials": 3, "epochs": 2, "train_limit": 200}
    )
    lesson = _lesson(tmp_path, data)
    store = RunStore(tmp_path / "store")
    ended = []
    outcome = run_lesson(lesson, store, on_trial=lambda n, progress: ended.append(n))
    assert ended == [0, 0, 0, 1, 1, 1]
    assert [len(r.scores) for r in outcome.rounds] == [3, 3]
    experiment, chosen = outcome.chosen_run
    assert outcome.chosen.name.startswith("lr ") and ", weight_decay " in outcome.chosen.name
    assert experiment.name == f"lesson-search [{outcome.chosen.name}]"
    assert experiment.training.epochs == 2 and not experiment.data.train_limit  # in full
    # Trained with the best trial's values: the best of both rounds.
    best = max(s for r in outcome.rounds for s in r.scores)
    assert chosen.result.test is None  # a search explores: the test set stays untouched
    runs = store.list_runs()
    assert len(runs) == 7 and sum(run.name == experiment.name for run in runs) == 1
    searches = store.list_searches()
    assert len(searches) == 2  # the wide round and the narrowed one
    assert len(outcome.checks) == 3
    assert outcome.checks[1].right == pytest.approx(
        measure(outcome.rounds[0], "trials_median_val_accuracy")
    )
    assert best >= outcome.checks[2].right


def test_a_search_lesson_stopped_has_no_checks(tmp_path):
    data = _shortened(
        "validation-search", epochs=2, search={"trials": 3, "epochs": 2, "train_limit": 200}
    )
    lesson = _lesson(tmp_path, data)
    stop = threading.Event()
    outcome = run_lesson(lesson, stop_token=stop, on_trial=lambda n, progress: stop.set())
    assert outcome.checks == () and outcome.chosen is None


def test_the_new_data_lesson_reads_the_drawings_with_its_model():
    from workbench.lessons.new_data import drawn_accuracy

    _, lesson = find_lesson("new-data")
    outcome = run_lesson(lesson)
    drawn = outcome.checks[0].left
    assert 0.6 <= drawn <= 1.0
    variant = outcome.variants[0]
    assert drawn_accuracy(variant, outcome.outcomes[0].result) == drawn  # the same reading
    no_weights = outcome.outcomes[0].result.__class__(
        RunStatus.FAILED, (), None, None, "cpu", preprocessing=None
    )
    assert drawn_accuracy(variant, no_weights) is None


def test_drawings_are_not_read_by_a_model_of_other_data():
    from workbench.config import experiment_from_dict
    from workbench.core import fit
    from workbench.lessons.new_data import drawn_accuracy

    experiment = experiment_from_dict(
        {"data": {"source": "moons"}, "training": {"epochs": 1, "device": "cpu"}}
    )
    assert drawn_accuracy(experiment, fit(experiment, evaluate_test=False)) is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["checks"][0].update(left={"variant": "chosen", "metric": "test_accuracy"}),
            r'variant "chosen" needs \[final_test\] or \[search\]',
        ),
        (
            lambda d: d.update(
                compare={"by": "lr"},
                search={"space": {"optimizer.lr": {"log_uniform": [1e-4, 0.1]}}},
            ),
            r"a search lesson varies its \[experiment\] by \[search\] alone",
        ),
        (
            lambda d: d.update(search={"space": {"optimizer.colour": {"uniform": [0, 1]}}}),
            r"search: .*optimizer\.colour",
        ),
        (
            lambda d: d.update(final_test={"choose_by": "test_accuracy"}),
            r"final_test\.choose_by: ",
        ),
    ],
)
def test_a_bad_search_or_final_test_is_one_line_naming_the_key(tmp_path, change, message):
    data = read_toml(next(LIBRARY.glob("*-overfitting.toml")))
    change(data)
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    with pytest.raises(LessonError, match=message) as raised:
        load_lesson(path)
    assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_the_lesson_command_prints_a_search_lessons_trials(tmp_path, capsys):
    from workbench.lessons.cli import lesson_command

    data = _shortened(
        "validation-search", epochs=2, search={"trials": 2, "epochs": 1, "train_limit": 200}
    )
    path = tmp_path / "search.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    code = lesson_command(
        [str(path), "--out", str(tmp_path / "out"), "--lang", "en", "--data-dir", str(tmp_path)]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "round 1/2: trial 1/2, validation 0." in out and "round 2/2: trial 2/2" in out
    assert "== the best values: lesson-search [lr " in out
    page = (tmp_path / "out" / "lesson.html").read_text(encoding="utf-8")
    assert "lesson-search [lr " in page  # the best values' run, in the runs table


def test_the_lesson_page_shows_the_chosen_run_as_tested(tmp_path):
    lesson = _lesson(tmp_path, _shortened("test-set-once", epochs=2))
    outcome = run_lesson(lesson)
    reports = outcome.reports()
    assert len(reports) == 4
    tested = [report for report in reports if report["test"] is not None]
    assert [r["name"] for r in tested] == [outcome.chosen_run[0].name]
