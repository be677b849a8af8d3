"""Lessons: shipped files load and run, their checks hold on the defaults, and say so honestly."""

import math
from dataclasses import replace

import pytest

from workbench.core.events import RunStatus
from workbench.lessons import LessonError, find_lesson, lesson_names, lesson_paths, load_lesson
from workbench.lessons.checks import evaluate, measure
from workbench.lessons.model import Check, variant_names
from workbench.lessons.runner import lesson_page, run_lesson


def test_the_chapters_lessons_ship_in_both_languages():
    names = lesson_names()
    assert {"learning-rate", "optimizers", "weight-initialisation", "overfitting"} <= set(names)
    for path in lesson_paths():
        lesson = load_lesson(path)
        for text in (lesson.title, lesson.text, lesson.notice):
            assert text.en.strip() and text.ja.strip() and text.en != text.ja
        for check in lesson.checks:
            assert check.holds.ja != check.holds.en and check.fails.ja != check.fails.en


@pytest.mark.parametrize("name", lesson_names())
def test_every_lessons_checks_hold_on_its_shipped_defaults(name):
    """What a learner reads after the lesson's default run is true (fixed seed, one thread)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as on a 2-core laptop's training thread; float order fixed
    try:
        _, lesson = find_lesson(name)
        outcome = run_lesson(lesson)
    finally:
        torch.set_num_threads(threads)
    assert len(outcome.outcomes) == len(lesson.variants())
    assert outcome.checks and all(check.holds for check in outcome.checks), [
        check.sentence for check in outcome.checks
    ]
    assert all(run.result.status != RunStatus.FAILED for run in outcome.outcomes)
    page = lesson_page(lesson, outcome, "ja")
    assert page["title"] == lesson.title.ja and len(page["checks"]) == len(lesson.checks)


def test_a_result_that_contradicts_the_lesson_gets_the_does_not_hold_sentence_with_numbers():
    _, lesson = find_lesson("learning-rate")
    # The "too small" rate made as large as the good one: the lesson's first claim is false.
    forced = lesson.model_copy(
        update={"compare": lesson.compare.model_copy(update={"values": ("0.001", "0.0011", "1")})}
    )
    forced = forced.model_copy(
        update={
            "experiment": forced.experiment.model_copy(
                update={"training": forced.experiment.training.model_copy(update={"epochs": 3})}
            )
        }
    )
    outcome = run_lesson(forced)
    first = outcome.checks[0]
    assert not first.holds
    assert first.left == pytest.approx(first.right, rel=0.5)  # nearly the same rate
    assert first.sentence.startswith(f"At lr 0.001 the training loss ended at {first.left:.3g}")
    assert f"({first.left / first.right:.3g} times)" in first.sentence
    assert "on your run" in first.sentence
    japanese = run_lesson(forced, language="ja").checks[0].sentence
    assert "この実行では" in japanese and f"{first.left:.3g}" in japanese


def _result(status=RunStatus.COMPLETED, losses=(1.0, 0.5), accuracy=0.9):
    from workbench.core.events import EpochMetrics, RunResult

    history = tuple(
        EpochMetrics(i + 1, len(losses), loss, accuracy, loss + 0.1, accuracy - 0.05, 0.1, 0.2)
        for i, loss in enumerate(losses)
    )
    return RunResult(
        status=status, history=history, best_epoch=len(losses), test=None, device="cpu"
    )


def _check(relation, **sides):
    text = {"en": "{left} vs {right} ({ratio}) {left_name}/{right_name}", "ja": "日本語 {left}"}
    return Check.model_validate(
        {"relation": relation, "holds": text, "fails": text, **sides}, strict=False
    )


def test_measures_and_how_numbers_are_said():
    run = _result(losses=(2.0, 0.25), accuracy=0.875)
    assert measure(run, "final_train_loss") == 0.25 and measure(run, "first_train_loss") == 2.0
    assert measure(run, "accuracy_gap") == pytest.approx(0.05)
    assert measure(run, "epochs_run") == 2 and measure(run, "diverged") == 0.0
    assert measure(_result(RunStatus.DIVERGED), "diverged") == 1.0
    assert math.isnan(measure(replace(run, history=()), "final_val_loss"))
    check = _check(">=", left={"metric": "final_train_accuracy"}, value=0.8)
    found = evaluate(check, [run], ["a"])
    assert found.holds and found.sentence.startswith("87.5% vs 80.0% (1.09) a/")


def test_measures_inside_the_network_and_of_the_kept_weights():
    import numpy as np

    from workbench.core.probe_types import Histogram, LayerProbe, ProbeSnapshot
    from workbench.runs.session import RunOutcome

    def layer(std, saturated):
        empty = Histogram(np.arange(3.0), np.zeros(2, dtype=np.int64))
        return LayerProbe("1 dense", "sigmoid", empty, 0.5, std, None, saturated, None, None, None)

    looks = (
        ProbeSnapshot(0, 0, (layer(0.3, 0.1), layer(0.01, 0.6))),  # epoch 0: the last layer
        ProbeSnapshot(1, 10, (layer(0.3, 0.0), layer(0.2, 0.0))),
    )
    weights = {"0.weight": np.array([[0.0, 0.0005], [0.5, -0.2]]), "0.bias": np.zeros(2)}
    run = RunOutcome(replace(_result(), weights=weights), None, None, None, looks)
    assert measure(run, "init_saturated_share") == 0.6
    assert measure(run, "init_activation_std") == 0.01
    assert measure(run, "near_zero_weight_share") == 0.5  # biases are not counted
    assert math.isnan(measure(_result(), "init_saturated_share"))  # a bare result: no looks


def test_a_diverged_loss_counts_as_larger_than_any_number():
    blown = _result(losses=(1.0, math.inf))
    fine = _result(losses=(1.0, 0.2))
    larger = _check(
        ">=",
        left={"variant": 0, "metric": "final_train_loss"},
        right={"variant": 1, "metric": "final_train_loss"},
        factor=2.0,
    )
    found = evaluate(larger, [blown, fine], ["lr 10", "lr 0.01"])
    assert found.holds and found.sentence.startswith("∞ vs 0.2 (∞) lr 10/lr 0.01")
    smaller = _check("<", left={"variant": 0, "metric": "final_train_loss"}, value=1.0)
    assert not evaluate(smaller, [blown], ["lr 10"]).holds
    nan = _result(losses=(1.0, math.nan))  # NaN: the loss as a diverged run ends it
    assert evaluate(larger, [nan, fine], ["lr 10", "lr 0.01"]).holds
    # A measure the run lacks is not a loss heading for infinity: nothing is claimed.
    looked = _check(">=", left={"variant": 0, "metric": "init_saturated_share"}, value=0.1)
    assert not evaluate(looked, [fine], ["no looks"]).holds


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": {"en": "Only English"}}, r"title\.ja: .*required"),
        ({"checks": []}, r"checks: .*at least 1"),
        ({"compare": {"by": "colour"}}, r"compare: --by: unknown comparison 'colour'"),
        (
            {"compare": {"by": "lr", "values": ["fast"]}},
            r"compare: --values: 'fast' is not a number",
        ),
        ({"experiment": {"optimizer": {"lr": -1.0}}}, r"experiment: optimizer\.lr: "),
    ],
)
def test_a_bad_lesson_file_is_one_line_naming_the_file_and_key(tmp_path, change, message):
    import tomli_w

    from workbench.config import read_toml

    data = read_toml(lesson_paths()[0])
    data.update(change)
    path = tmp_path / "bad.toml"
    path.write_text(tomli_w.dumps(data))
    with pytest.raises(LessonError, match=message) as raised:
        load_lesson(path)
    assert str(raised.value).startswith(str(path)) and "\n" not in str(raised.value)


def test_a_check_naming_a_variant_the_lesson_does_not_train_is_refused(tmp_path):
    import tomli_w

    from workbench.config import read_toml

    data = read_toml(lesson_paths()[0])
    data["checks"][0]["left"]["variant"] = 7
    path = tmp_path / "seven.toml"
    path.write_text(tomli_w.dumps(data))
    with pytest.raises(
        LessonError, match=r"checks\.0: variant 7 does not exist; the lesson trains 3"
    ):
        load_lesson(path)


def test_variant_names_are_the_compared_values():
    _, lesson = find_lesson("learning-rate")
    assert variant_names(lesson.variants(), lesson) == ["lr 1e-05", "lr 0.001", "lr 1"]


def test_the_lesson_command_writes_the_page_in_the_language_asked(tmp_path, capsys):
    from workbench.i18n import set_language
    from workbench.lessons.cli import lesson_command, lessons_command

    try:
        code = lesson_command(
            [
                "overfitting",
                "--out",
                str(tmp_path / "out"),
                "--lang",
                "ja",
                "--data-dir",
                str(tmp_path / "store"),
            ]
        )
        out = capsys.readouterr().out
        assert code == 0
        assert out.splitlines()[0] == "過学習: 300 個の訓練データ"
        assert "[成り立つ] ネットワークは 300 個の訓練データのうち" in out
        page = (tmp_path / "out" / "lesson.html").read_text(encoding="utf-8")
        assert "<h1>過学習: 300 個の訓練データ</h1>" in page and "注目するところ" in page
        assert page.count('<li class="holds">') == 2
        assert lesson_command(["no-such-lesson", "--out", str(tmp_path / "x")]) == 2
        assert (
            "no lesson 'no-such-lesson'; the lessons are learning-rate" in capsys.readouterr().err
        )
        assert lessons_command(["--lang", "en"]) == 0
        listed = capsys.readouterr().out.splitlines()
        assert [line.split()[0] for line in listed] == lesson_names()
    finally:
        set_language("en")


def test_a_paths_lesson_page_has_the_paths_figure_and_no_runs_table(tmp_path, capsys):
    from workbench.lessons.cli import lesson_command

    code = lesson_command(["optimizer-paths", "--out", str(tmp_path), "--lang", "en"])
    assert code == 0
    out = capsys.readouterr().out
    assert "[holds] SGD's step in y changed direction" in out
    page = (tmp_path / "lesson.html").read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in page
    assert "runs-table" not in page and page.count('<li class="holds">') == 2


def test_a_lesson_runs_an_experiment_or_paths_not_both(tmp_path):
    import tomli_w

    from workbench.config import read_toml

    data = read_toml(lesson_paths()[0])
    data["paths"] = {"function": "book"}
    path = tmp_path / "both.toml"
    path.write_text(tomli_w.dumps(data))
    with pytest.raises(LessonError, match=r"give either \[experiment\] or \[paths\], not both"):
        load_lesson(path)
