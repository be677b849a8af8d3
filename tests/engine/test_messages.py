"""The engine's messages in Japanese: the catalogue is current and complete, and used.

The files: workbench/locale/ja/LC_MESSAGES/workbench.po (what translators edit) and the .mo
beside it (what workbench.i18n loads), both written by `python packaging/update_messages.py`.
A new `_()` or `N_()` string fails `test_the_po_file_is_current` until that script has run,
and `test_every_message_is_translated` until it is translated.
"""

from __future__ import annotations

import gettext
import json
import math
import os
import pickle
import re
import subprocess
import sys

import pytest

from tests.conftest import small_experiment
from tests.i18n_support import JAPANESE, packaging_script
from workbench import i18n
from workbench.config import ExperimentError, experiment_from_dict
from workbench.core import RunStatus
from workbench.core.doctor import TEXTS, diagnose, report_entry
from workbench.core.events import Divergence, EpochMetrics

update_messages = packaging_script("update_messages")

FIELD = re.compile(r"\{(\w+)")


@pytest.fixture
def japanese():
    i18n.set_language("ja")
    yield
    i18n.set_language("en")


def _listed(ids, most=30) -> str:
    shown = "\n".join(f"  {message!r}" for message in sorted(ids)[:most])
    return shown + (f"\n  ... and {len(ids) - most} more" if len(ids) > most else "")


# -- the files -------------------------------------------------------------------------------
def test_the_po_file_is_current():
    """Babel on today's sources adds no message to the .po and drops none from it."""
    committed = {m.id for m in update_messages.read() if m.id}
    current = {m.id for m in update_messages.extract() if m.id}
    new, vanished = current - committed, committed - current
    assert not new, (
        f"{len(new)} marked strings are not in {update_messages.PO.name}; run "
        f"`python packaging/update_messages.py` and translate them:\n{_listed(new)}"
    )
    assert not vanished, (
        f"{len(vanished)} messages are no longer in the sources; run "
        f"`python packaging/update_messages.py`:\n{_listed(vanished)}"
    )


def test_every_message_is_translated_with_the_same_fields():
    catalog = update_messages.read()
    left = update_messages.untranslated(catalog)
    assert not left, f"{len(left)} messages are untranslated or fuzzy:\n{_listed(left)}"
    for message in catalog:
        if message.id:  # a translation may reorder the fields, never lose or invent one
            assert set(FIELD.findall(message.id)) == set(FIELD.findall(message.string)), message.id


def test_the_mo_file_is_the_compiled_po():
    """Every msgid of the .po has the same msgstr in the .mo, and the .mo has no other."""
    with update_messages.MO.open("rb") as file:
        compiled = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
    compiled = {key: value for key, value in compiled.items() if key}
    source = {m.id: m.string for m in update_messages.read() if m.id and m.string}
    assert compiled == source, "run `python packaging/update_messages.py`"


def test_every_doctor_text_is_in_the_catalogue():
    ids = {m.id for m in update_messages.read()}
    assert set(TEXTS.values()) <= ids


# -- the language ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ja_JP.UTF-8"}, "ja"),
        ({"LANG": "C"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "C", "LANG": "ja_JP.UTF-8"}, "en"),  # LC_ALL first, as gettext reads
        ({"LANGUAGE": "ja:en", "LANG": "C.UTF-8"}, "ja"),
        ({"LC_MESSAGES": "ja_JP.eucJP"}, "ja"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),  # no catalogue: English
    ],
)
def test_the_language_follows_the_locale_as_gettext_reads_it(environ, expected):
    assert i18n.from_environment(environ) == expected


def test_the_engine_starts_in_english_and_a_switch_is_process_wide(japanese):
    import threading

    made: list[str] = []
    thread = threading.Thread(target=lambda: made.append(i18n._("unknown key")))
    thread.start()
    thread.join()
    assert made == ["不明なキーです"]  # the training thread speaks the window's language
    i18n.set_language("en")
    assert i18n._("unknown key") == "unknown key"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


# -- the doctor --------------------------------------------------------------------------------
def _early_stopping_run():
    experiment = small_experiment(
        training={"epochs": 6}, early_stopping={"enabled": True, "patience": 3}
    )
    losses = [2.0 - 0.25 * i for i in range(6)]
    history = tuple(
        EpochMetrics(i + 1, 6, loss, 0.5, loss + 0.05, 0.5, 0.01, 0.1)
        for i, loss in enumerate(losses)
    )
    return experiment, history


def test_a_diagnosis_is_japanese_under_japanese_and_english_again_after(japanese):
    experiment, history = _early_stopping_run()
    found = diagnose(experiment, history, status=RunStatus.COMPLETED)
    told = [d for d in found if d.id == "early_stopping_never_triggered"]
    assert told, [d.id for d in found]
    diagnosis = told[0]
    assert diagnosis.evidence.startswith("早期終了"), diagnosis.evidence
    assert "検証データの損失" in diagnosis.evidence  # the nested monitor name, translated too
    assert JAPANESE.search(diagnosis.suggestion)
    # report.json's contract is English, whatever the window's language.
    entry = report_entry(diagnosis)
    assert entry["evidence"].startswith("Early stopping never stopped the run: the validation")
    assert not JAPANESE.search(json.dumps(entry, ensure_ascii=False))
    # A pickled diagnosis (a worker process) keeps both languages.
    again = pickle.loads(pickle.dumps(diagnosis))
    assert again == diagnosis and report_entry(again) == entry
    i18n.set_language("en")
    english = diagnose(experiment, history, status=RunStatus.COMPLETED)
    assert [d.evidence for d in english if d.id == diagnosis.id] == [entry["evidence"]]


def test_every_doctor_text_fills_in_japanese(japanese):
    for key, template in TEXTS.items():
        fields = {name: "1" for name in FIELD.findall(template)}
        from workbench.core.doctor import say

        text = say(key, **fields)
        assert JAPANESE.search(text), (key, text)
        assert text.english() == template.format(**fields)  # type: ignore[attr-defined]


def test_the_divergence_sentence_is_japanese_and_stays_english_in_reports(japanese):
    found = Divergence(epoch=3, initial_loss=2.3, loss=math.nan, lr=0.1)
    assert found.describe().startswith("損失が発散しました")
    assert found.as_dict()["message"].startswith("The loss diverged (went from 2.3 to NaN")


# -- validation errors -------------------------------------------------------------------------
BAD = {
    "training": {"epochs": 0, "batch_size": 2.5},
    "optimizer": {"name": "bogus", "lr": "0.1"},
    "model": {"layers": [{"type": "dense", "units": 0}, {"type": "conv9"}]},
    "colour": "blue",
}


def _error(data) -> str:
    with pytest.raises(ExperimentError) as caught:
        experiment_from_dict(data, "bad.toml")
    return str(caught.value)


def test_validation_errors_are_japanese_with_keys_and_file_kept(japanese):
    message = _error(BAD)
    assert message.startswith("bad.toml: ")
    assert "\n" not in message
    for key in ("training.epochs: 1 以上", "optimizer.lr: 数値", "モデルの層 1 (dense): units"):
        assert key in message, message
    assert "ほか" in message  # past MAX_PROBLEMS: "and N more"
    assert "Input should" not in message
    # Our own validators' messages, translated when they are raised.
    message = _error({"optimizer": {"name": "nesterov", "momentum": 0.0}})
    assert message == "bad.toml: optimizer.momentum: nesterov には 0 より大きい momentum が必要です"


def test_validation_errors_stay_english_by_default():
    message = _error(BAD)
    assert "training.epochs: Input should be greater than or equal to 1" in message
    assert "; and 2 more" in message and not JAPANESE.search(message)


# -- the command line -------------------------------------------------------------------------
def _run(tmp_path, lang):
    bad = tmp_path / "bad.toml"
    bad.write_text("[training]\nepochs = 0\n", encoding="utf-8")
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    return subprocess.run(
        [sys.executable, "-m", "workbench", "run", str(bad), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**environ, "LANG": lang, "PYTHONIOENCODING": "utf-8"},
    )


def test_the_cli_error_is_japanese_under_a_japanese_locale(tmp_path):
    completed = _run(tmp_path, "ja_JP.UTF-8")
    assert completed.returncode == 2
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].endswith("bad.toml: training.epochs: 1 以上の値を指定してください")
    assert lines[0].startswith("error: ")


def test_the_cli_error_is_english_under_the_c_locale(tmp_path):
    completed = _run(tmp_path, "C")
    assert completed.returncode == 2
    assert completed.stderr.strip().endswith(
        "bad.toml: training.epochs: Input should be greater than or equal to 1"
    )


# -- data import ------------------------------------------------------------------------------
def test_import_errors_are_japanese_and_start_with_the_path(tmp_path, japanese):
    from workbench.data.dataset import DatasetError
    from workbench.data.importers import import_path

    missing = tmp_path / "nothing.csv"
    with pytest.raises(DatasetError) as caught:
        import_path(missing)
    assert str(caught.value) == f"{missing}: ファイルもフォルダーもありません"
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        import_path(empty)
    assert str(caught.value) == f"{empty}: 空のファイルです"


# -- engine messages beyond validation: imports, the model planner, the command lines ---------
def _write_idx(path, magic: int, shape: tuple[int, ...], data: bytes) -> None:
    import struct

    header = struct.pack(">I", magic) + struct.pack(f">{len(shape)}I", *shape)
    path.write_bytes(header + data)


def test_idx_and_npz_import_errors_are_japanese(tmp_path, japanese):
    import numpy as np

    from workbench.data.dataset import DatasetError
    from workbench.data.importers import import_path

    folder = tmp_path / "mnist"
    folder.mkdir()
    _write_idx(folder / "train-images-idx3-ubyte", 0x803, (2, 2, 2), bytes(8))
    _write_idx(folder / "train-labels-idx1-ubyte", 0x803, (2,), bytes(2))  # images' magic
    with pytest.raises(DatasetError) as caught:
        import_path(folder)
    message = str(caught.value)
    assert message.startswith(str(folder / "train-labels-idx1-ubyte") + ": マジックナンバー")
    assert "0x00000801 (符号なしバイトの IDX ラベル)" in message, message
    archive = tmp_path / "one.npz"
    np.savez(archive, x=np.zeros((3, 2)), y=np.array([4, 4, 4]))
    with pytest.raises(DatasetError) as caught:
        import_path(archive)
    assert (
        str(caught.value) == f"{archive}: y のクラスが 1 つ ('4') しかありません。2 つ以上必要です"
    )
    bare = tmp_path / "bare.npz"
    np.savez(bare, a=np.zeros(2))
    with pytest.raises(DatasetError) as caught:
        import_path(bare)
    assert "配列 x と y" in str(caught.value) and "あった配列: a" in str(caught.value)


def test_import_notes_are_japanese(tmp_path, japanese):
    from workbench.data.importers import import_path

    table = tmp_path / "t.csv"
    table.write_text("a,name,label\n1,x,p\n2,y,q\n3,z,p\n", encoding="utf-8")
    assert import_path(table).notes == ("数値でない列 'name' を読み飛ばしました",)


def test_the_model_planner_says_why_in_japanese(japanese):
    from workbench.config import ModelConfig
    from workbench.models import plan_model

    config = ModelConfig.model_validate({"layers": [{"type": "conv2d", "channels": 2}]})
    plan = plan_model(config, 64, 10, None)
    assert plan.first_error is not None
    assert plan.first_error.startswith("モデルの層 1 (conv2d): データが画像ではありません"), (
        plan.first_error
    )
    plan = plan_model(config, 64, 10, (1, 8, 8))
    assert (
        plan.first_error == "model.layers: 出力層には平らな入力が必要ですが、2x6x6 が入ります。"
        "Flatten を加えてください"
    )


def test_model_planner_errors_stay_english_by_default():
    from workbench.config import ModelConfig
    from workbench.models import plan_model

    config = ModelConfig.model_validate({"layers": [{"type": "conv2d", "channels": 2}]})
    plan = plan_model(config, 64, 10, (1, 8, 8))
    assert (
        plan.first_error
        == "model.layers: the output layer needs a flat input but gets 2x6x6: add Flatten"
    )


def test_the_cli_progress_and_summary_lines_are_japanese(japanese, capsys):
    from workbench.cli import _PrintProgress

    _PrintProgress().on_epoch_end(EpochMetrics(2, 5, 0.5, 0.75, 0.625, 0.5, 0.01, 1.5))
    line = capsys.readouterr().out.strip()
    assert line == (
        "エポック 2/5  損失 0.5000  正解率 0.7500  検証データの損失 0.6250  "
        "検証データの正解率 0.5000  (1.50 秒)"
    )
    assert (
        i18n.word("early_stopped") == "早期終了" and i18n.word("not_a_status") == "not_a_status"
    )  # unknown: as it is


def _workbench(args, lang, tmp_path):
    environ = {
        key: value
        for key, value in os.environ.items()
        if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
    }
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**environ, "LANG": lang, "PYTHONIOENCODING": "utf-8"},
        cwd=tmp_path,
    )


def test_runs_show_of_a_missing_run_is_japanese_under_a_japanese_locale(tmp_path):
    store = tmp_path / "store"
    completed = _workbench(
        ["runs", "--data-dir", str(store), "show", "999"], "ja_JP.UTF-8", tmp_path
    )
    assert completed.returncode == 2, completed.stderr
    lines = completed.stderr.splitlines()
    assert len(lines) == 1, completed.stderr
    assert lines[0].startswith("error: ") and lines[0].endswith(": 実行 999 はありません")


def test_runs_show_of_a_missing_run_is_english_under_the_c_locale(tmp_path):
    store = tmp_path / "store"
    completed = _workbench(["runs", "--data-dir", str(store), "show", "999"], "C", tmp_path)
    assert completed.returncode == 2
    assert completed.stderr.strip().endswith(": no run 999")
    assert not JAPANESE.search(completed.stderr)


def test_the_inspect_command_is_japanese_under_a_japanese_locale(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    _write_idx(folder / "train-images-idx3-ubyte", 0x803, (2, 2, 2), bytes(8))
    completed = _workbench(["inspect", str(folder)], "ja_JP.UTF-8", tmp_path)
    assert completed.returncode == 2
    assert completed.stderr.strip() == (
        f"error: {folder}: train-labels-idx1-ubyte がありません (そのままか .gz)"
    )


def test_a_run_store_from_a_newer_workbench_is_refused_in_japanese(tmp_path):
    import sqlite3

    from workbench.runs.store import SCHEMA_VERSION, RunStore, StoreError

    with sqlite3.connect(tmp_path / "runs.sqlite3") as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    i18n.set_language("ja")
    with pytest.raises(StoreError) as refused:
        RunStore(tmp_path)
    message = str(refused.value)
    assert message.startswith(str(tmp_path / "runs.sqlite3") + ": ")
    assert JAPANESE.search(message) and f"スキーマ {SCHEMA_VERSION + 1}" in message
    i18n.set_language("en")
    with pytest.raises(StoreError, match="made by a newer workbench"):
        RunStore(tmp_path)


# -- new data for prediction -------------------------------------------------------------------
def _preprocessing(image_shape=None, n_features=64):
    from workbench.data.preprocessing import Preprocessing

    return Preprocessing("none", n_features, ("a", "b"), image_shape)


def _refusal(path, preprocessing=None) -> str:
    from workbench.data.dataset import DatasetError
    from workbench.predict.inputs import read_inputs

    with pytest.raises(DatasetError) as caught:
        read_inputs(path, preprocessing or _preprocessing())
    return str(caught.value)


def _prediction_files(tmp_path):
    """Files `workbench predict` refuses, each with what it is."""
    import numpy as np

    files = {}
    files["text"] = tmp_path / "notes.txt"
    files["text"].write_text("hello", encoding="utf-8")
    files["bare"] = tmp_path / "README"
    files["bare"].write_text("hello", encoding="utf-8")
    files["empty"] = tmp_path / "empty"
    files["empty"].mkdir()
    files["picture"] = tmp_path / "seven.png"
    files["picture"].write_bytes(b"not read: the model takes no images")
    files["rows"] = tmp_path / "rows.npz"
    np.savez(files["rows"], x=np.zeros((3, 5)))
    files["small"] = tmp_path / "small.npz"
    np.savez(files["small"], x=np.zeros((3, 4, 4)))
    files["labels"] = tmp_path / "labels.npz"
    np.savez(files["labels"], x=np.zeros((3, 64)), y=np.array([0, 1]))
    files["others"] = tmp_path / "others.npz"
    np.savez(files["others"], a=np.zeros(2), b=np.zeros(2))
    files["nothing"] = tmp_path / "nothing.npz"
    np.savez(files["nothing"])
    files["many"] = tmp_path / "many"
    files["many"].mkdir()
    for name in ("a.png", "b.png"):
        (files["many"] / name).write_bytes(b"")
    return files


IMAGES_8 = (1, 8, 8)
PREDICTION_MODELS = {"small": IMAGES_8, "empty": IMAGES_8, "many": IMAGES_8}


def _prediction_refusals(tmp_path, monkeypatch) -> dict[str, tuple[str, str]]:
    """Each file's refusal, (its path, the message after the path)."""
    from workbench.predict import inputs

    monkeypatch.setattr(inputs, "MAX_FOLDER_IMAGES", 1)
    refusals = {}
    for kind, path in _prediction_files(tmp_path).items():
        message = _refusal(path, _preprocessing(PREDICTION_MODELS.get(kind)))
        assert message.startswith(f"{path}: ") and "\n" not in message, message
        refusals[kind] = (str(path), message.removeprefix(f"{path}: "))
    return refusals


def test_prediction_input_errors_are_japanese(tmp_path, monkeypatch, japanese):
    said = {
        kind: text for kind, (_path, text) in _prediction_refusals(tmp_path, monkeypatch).items()
    }
    suffixes = ".bmp, .gif, .jpeg, .jpg, .png, .webp"
    assert said == {
        "text": ".txt ファイルでは推論できません。CSV か NPZ のファイル、"
        f"画像 ({suffixes})、または画像のフォルダーを指定してください",
        "bare": "拡張子のないファイルでは推論できません。CSV か NPZ のファイル、"
        f"画像 ({suffixes})、または画像のフォルダーを指定してください",
        "empty": f"このフォルダーには画像 ({suffixes}) がありません",
        "picture": "モデルは画像で学習していません。CSV か NPZ のファイルを指定してください",
        "rows": "配列 x の形状は (3, 5) でサンプルごとに 5 個の値がありますが、"
        "モデルが受け取るのは 64 個の特徴量の行です",
        "small": "配列 x の形状は (3, 4, 4) で 1x4x4 の画像ですが、"
        "モデルが受け取るのは 1x8x8 の画像 (チャンネル x 高さ x 幅) です",
        "labels": "配列 y のラベルは 2 個ですが、サンプルは 3 個です",
        "others": "配列 x (または x_test) がありません。あった配列: a, b",
        "nothing": "配列 x (または x_test) がありません。配列は 1 つもありません",
        "many": "画像が 2 枚あります。1 枚以下のフォルダーを選んでください",
    }


def test_prediction_input_errors_stay_english_by_default(tmp_path, monkeypatch):
    said = {
        kind: text for kind, (_path, text) in _prediction_refusals(tmp_path, monkeypatch).items()
    }
    suffixes = ".bmp, .gif, .jpeg, .jpg, .png, .webp"
    assert said == {
        "text": "cannot predict on a .txt file; use a CSV or NPZ file, "
        f"an image ({suffixes}) or a folder of images",
        "bare": "cannot predict on a suffix-less file; use a CSV or NPZ file, "
        f"an image ({suffixes}) or a folder of images",
        "empty": f"no images ({suffixes}) in this folder",
        "picture": "the model was not trained on images; give a CSV or NPZ file",
        "rows": "array x has shape (3, 5): 5 values per sample, but the model takes rows of "
        "64 features",
        "small": "array x has shape (3, 4, 4): 1x4x4 images, but the model takes 1x8x8 images "
        "(channels x height x width)",
        "labels": "array y has 2 labels but 3 samples",
        "others": "no array x (or x_test); found: a, b",
        "nothing": "no array x (or x_test); found: none",
        "many": "2 images; pick a folder of at most 1",
    }


def test_a_model_of_other_channels_refuses_pictures_in_japanese(tmp_path, japanese):
    picture = tmp_path / "seven.png"
    picture.write_bytes(b"")
    message = _refusal(picture, _preprocessing((2, 8, 8), 128))
    assert message == (
        f"{picture}: モデルが受け取るのは 2 チャンネルの画像なので、画像ファイルでは推論できません"
    )
    i18n.set_language("en")
    assert _refusal(picture, _preprocessing((2, 8, 8), 128)) == (
        f"{picture}: the model takes 2-channel images, not pictures"
    )


# -- the mini-batch size comparison's table (workbench compare --by batch_size) ----------------
def _sizes():
    from workbench.runs.batch_stats import BatchSizeStats

    common = {"epochs": 2, "memory_kind": "RSS", "final_val_accuracy": 0.9}
    return [
        BatchSizeStats(
            batch_size=32,
            steps_per_epoch=34,
            samples_per_epoch=1077,
            seconds_per_epoch=0.25,
            samples_per_second=5000.0,
            peak_memory=1_400_000,
            loss_noise=0.05,
            loss_mean=0.5,
            **common,
        ),
        BatchSizeStats(
            batch_size=2000,
            steps_per_epoch=1,
            samples_per_epoch=1077,
            seconds_per_epoch=0.5,
            samples_per_second=2154.0,
            peak_memory=None,
            loss_noise=None,
            loss_mean=None,
            **common,
        ),
    ]


def _columns(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_the_mini_batch_size_table_is_japanese_and_its_columns_line_up(japanese):
    from workbench.runs.batch_stats import describe_measures, size_label, stats_table

    lines = stats_table(_sizes())
    assert lines[0].split() == [
        "ミニバッチ",
        "ステップ数/エポック",
        "秒/エポック",
        "サンプル/秒",
        "ピークメモリ",
        "損失の標準偏差",
        "標準偏差/平均",
        "検証データの正解率",
    ]
    assert size_label(_sizes()[1]) == "1077 (全体)" and "1077 (全体)" in lines[2]
    assert len({_columns(line) for line in lines}) == 1, lines  # kanji take two columns
    told = describe_measures(_sizes())
    assert told.startswith("(秒/エポック: 1 エポックの平均時間")
    assert "ピークメモリ: プロセスの常駐メモリ (RSS) のピークの、学習開始時からの増加分" in told
    assert not re.search(r"[a-z]{3,}", told.replace("RSS", "")), told


MEASURES = (
    "(s/epoch: mean time of an epoch, training and validation; samples/s: training passes "
    "alone; peak memory: {memory}; loss std: standard deviation of the per-batch training loss "
    "in the last epoch, std/mean: as a share of its mean; val acc: the last epoch's)"
)


@pytest.mark.parametrize(
    ("kinds", "memory"),
    [
        (
            ("RSS",),
            "the process's peak resident memory (RSS), above what it held when training began",
        ),
        (("CUDA",), "the peak of CUDA memory allocated, above what it held when training began"),
        (("",), "not measured on this system"),
        (
            ("RSS", "CUDA"),
            "RSS on the CPU, allocated CUDA memory on the GPU, above what it held when training "
            "began",
        ),
    ],
)
def test_the_mini_batch_size_table_stays_english_by_default(kinds, memory):
    from dataclasses import replace

    from workbench.runs.batch_stats import describe_measures, stats_table

    rows = [
        replace(stats, memory_kind=kind) for stats, kind in zip(_sizes(), kinds * 2, strict=False)
    ]
    assert describe_measures(rows) == MEASURES.format(memory=memory)
    assert stats_table(_sizes()) == [
        " mini-batch  steps/epoch  s/epoch  samples/s  peak memory  loss std  std/mean  val acc",
        "         32           34    0.250      5,000      +1.4 MB    0.0500       10%   0.9000",
        "1077 (full)            1    0.500      2,154            –         –         –   0.9000",
    ]


# -- the best run, and the learning-rate range test's settings --------------------------------
def test_the_best_run_line_is_japanese(japanese):
    from workbench.report.ranking import DEFINITION, LABEL, describe_best

    label = "最良エポックでの検証データの正解率"
    assert describe_best(["A", "B", "C"], 0.97221) == (
        f"検証データでの最良 ({label}): A、B、C が同点 (0.9722)"
    )
    assert describe_best(["A"], 0.95) == f"検証データでの最良 ({label}): A (0.9500)"
    assert describe_best([], None) == f"検証データでの最良 ({label}): 値のある実行がありません"
    assert i18n._(LABEL) == label and JAPANESE.search(i18n._(DEFINITION))


@pytest.mark.parametrize(
    ("steps", "start", "end", "message"),
    [
        (5, 1e-7, 10.0, "steps: 5 は 10 から 10000 の範囲にありません"),
        (100, 0.0, 10.0, "start: 0 は使えません。0 より大きい学習率を指定してください"),
        (100, 1e-3, 1e-4, "end: 0.0001 は開始の学習率 (0.001) より大きくしてください"),
    ],
)
def test_the_range_tests_settings_are_refused_in_japanese(japanese, steps, start, end, message):
    from workbench.playground.lr_find import check_sweep

    with pytest.raises(ValueError) as caught:
        check_sweep(steps, start, end)
    assert str(caught.value) == message
    i18n.set_language("en")
    with pytest.raises(ValueError) as caught:
        check_sweep(steps, start, end)
    assert not JAPANESE.search(str(caught.value)) and str(caught.value).startswith(message[:5])
