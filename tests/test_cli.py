"""`workbench run`: the headless run, its report, bad input (exit 2) and Ctrl+C."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest


def workbench(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )


def write(tmp_path, text):
    path = tmp_path / "exp.toml"
    path.write_text(text, encoding="utf-8")
    return path


SMALL = """
name = "cli-small"
[model]
layers = [{ type = "dense", units = 32, activation = "relu", init = "he" }]
[optimizer]
lr = 0.01
[training]
epochs = 3
batch_size = 64
device = "cpu"
"""


def test_run_writes_the_report(tmp_path):
    out = tmp_path / "out"
    completed = workbench("run", str(write(tmp_path, SMALL)), "--out", str(out))
    assert completed.returncode == 0, completed.stderr
    report = json.loads((out / "report.json").read_text())
    assert report["name"] == "cli-small"
    assert report["status"] == "completed" and report["epochs_run"] == 3
    assert [h["epoch"] for h in report["history"]] == [1, 2, 3]
    assert 0.5 < report["test"]["accuracy"] <= 1.0
    assert report["environment"]["device"] == "cpu"
    assert "epoch 3/3" in completed.stdout and "status: completed" in completed.stdout


def test_the_same_file_gives_the_same_history_as_the_engine(tmp_path):
    from workbench.config import load_experiment
    from workbench.core import fit

    path = write(tmp_path, SMALL)
    out = tmp_path / "out"
    assert workbench("run", str(path), "--out", str(out)).returncode == 0
    report = json.loads((out / "report.json").read_text())
    direct = fit(load_experiment(path))
    # Equal up to the order of float sums: after some GUI tests this process's torch runs on
    # another number of threads than the command's, which moves the 7th digit.
    assert [h["val_loss"] for h in report["history"]] == pytest.approx(
        [m.val_loss for m in direct.history], rel=1e-5
    )
    assert report["test"]["accuracy"] == direct.test.accuracy


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[optimizer]\nlr = -1.0\n", "optimizer.lr"),
        ("[training]\nbatch_size = 0\n", "training.batch_size"),
        ("[training]\nepochs = 0\n", "training.epochs"),
        ("[trainig]\nepochs = 3\n", "trainig: unknown key"),
    ],
)
def test_bad_input_exits_2_with_one_line_naming_the_key(tmp_path, text, key):
    completed = workbench("run", str(write(tmp_path, text)), "--out", str(tmp_path / "out"))
    assert completed.returncode == 2
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    assert key in lines[0] and "exp.toml" in lines[0]
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "out").exists()


def test_a_missing_file_exits_2(tmp_path):
    completed = workbench("run", str(tmp_path / "nope.toml"))
    assert completed.returncode == 2
    assert "nope.toml: no such file" in completed.stderr


def test_gui_command_refuses_a_bad_file_with_exit_2(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    completed = workbench(str(write(tmp_path, "[optimizer]\nlr = 0\n")), env=env)
    assert completed.returncode == 2
    assert "optimizer.lr" in completed.stderr and "Traceback" not in completed.stderr


def test_ctrl_c_stops_cleanly_and_still_writes_the_report(tmp_path):
    path = write(tmp_path, SMALL.replace("epochs = 3", "epochs = 100000"))
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "workbench", "run", str(path), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        line = ""
        while not line.startswith("epoch 2/") and time.monotonic() < deadline:
            line = process.stdout.readline()
        assert line.startswith("epoch 2/"), "the run printed no progress"
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "stopped"
    assert 2 <= report["epochs_run"] < 100000
    assert report["test"] is not None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 / Wayland only")
def test_the_window_without_a_display_says_so_instead_of_crashing():
    env = {k: v for k, v in os.environ.items()}
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(key, None)
    completed = workbench(env=env)
    assert completed.returncode == 2
    assert "no display" in completed.stderr and "workbench run" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_a_broken_dataset_exits_2_naming_the_file(tmp_path):
    broken = tmp_path / "table.csv"
    broken.write_text("a,b,label\n1,2,x\n3,4\n")
    text = f'[data]\nsource = "csv"\npath = "{broken}"\n'
    completed = workbench("run", str(write(tmp_path, text)), "--out", str(tmp_path / "out"))
    assert completed.returncode == 2
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1 and "table.csv: line 3" in lines[0]
    assert "Traceback" not in completed.stderr


def test_the_window_refuses_an_experiment_whose_data_is_missing(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    text = f'[data]\nsource = "csv"\npath = "{tmp_path / "gone.csv"}"\n'
    completed = workbench(str(write(tmp_path, text)), env=env)
    assert completed.returncode == 2
    assert "gone.csv: no such file or folder" in completed.stderr
    assert "Traceback" not in completed.stderr


def test_help_lists_every_command_on_a_line_of_its_own(capsys):
    from workbench.__main__ import COMMANDS, main

    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    lines = capsys.readouterr().out.splitlines()
    listed = [line.split()[1] for line in lines if line.startswith("  workbench ")]
    names = [
        "run",
        "compare",
        "search",
        "lr-find",
        "runs",
        "report",
        "predict",
        "paths",
        "lessons",
        "lesson",
        "datasets",
        "inspect",
    ]
    assert listed == names == [usage.split()[0] for usage, _ in COMMANDS]


def test_usage_errors_and_help_answer_before_the_heavy_imports():
    """Each command parses its arguments before importing torch, scikit-learn, Optuna ..."""
    script = """
import json, sys
from workbench.__main__ import main
heavy = ("torch", "sklearn", "optuna", "matplotlib")
found = {}
for argv in json.loads(sys.argv[1]):
    try:
        main(argv)
    except SystemExit:
        pass
    found[" ".join(argv)] = [name for name in heavy if name in sys.modules]
print(json.dumps(found))
"""
    argvs = [
        ["report"],
        ["run", "--help"],
        ["run"],
        ["search", "--help"],
        ["search"],
        ["predict", "--help"],
        ["compare", "--help"],
        ["inspect"],
        ["datasets", "--help"],
        ["lesson", "--help"],
        ["lesson"],
        ["lessons"],
        ["--help"],
    ]
    completed = subprocess.run(
        [sys.executable, "-c", script, json.dumps(argvs)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = json.loads(completed.stdout.strip().splitlines()[-1])
    assert found == {" ".join(argv): [] for argv in argvs}


@pytest.mark.parametrize(
    ("env", "uses_xcb"),
    [
        ({"DISPLAY": ":0"}, True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, True),
        ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, True),
    ],
)
def test_the_x11_library_check_runs_only_where_qt_would_use_x11(monkeypatch, env, uses_xcb):
    from workbench import app

    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(app.sys, "platform", "linux")
    assert app._uses_xcb() is uses_xcb


def test_a_missing_xcb_cursor_library_is_named_with_its_package(monkeypatch, capsys, tmp_path):
    """Instead of Qt's plugin message and a core dump (exit 134): one line and exit 2."""
    from workbench import app

    tried = []

    def loader(name):
        tried.append(name)
        if "libxcb-cursor" in name:
            raise OSError(f"{name}: cannot open shared object file")

    missing = app.missing_libraries(loader, bundled=[tmp_path])
    assert [library.soname for library in missing] == ["libxcb-cursor.so.0"]
    # Looked for on the system, then in the app's own folders.
    assert tried[:2] == ["libxcb-cursor.so.0", str(tmp_path / "libxcb-cursor.so.0")]

    real = app.missing_libraries
    monkeypatch.setattr(app, "missing_libraries", lambda: real(loader, bundled=[]))
    monkeypatch.setattr(app, "_uses_xcb", lambda: True)
    monkeypatch.setattr(app, "_no_display", lambda: False)
    assert app.open_window(None) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "libxcb-cursor.so.0" in error
    for package in ("apt install libxcb-cursor0", "dnf install xcb-util-cursor", "xcb-util-cursor"):
        assert package in error


def test_a_library_found_in_the_apps_own_folder_is_not_missing(tmp_path):
    from workbench import app

    def loader(name):
        if not name.startswith(str(tmp_path)):
            raise OSError(f"{name}: cannot open shared object file")

    assert app.missing_libraries(loader, bundled=[tmp_path]) == []
    assert len(app.missing_libraries(loader, bundled=[])) == len(app.XCB_LIBRARIES)


def test_a_callback_that_raises_fails_the_run_with_exit_1_and_one_error_line(
    tmp_path, monkeypatch, capsys
):
    # In-process, so a callback of the command itself can be made to break mid-run.
    from workbench import cli

    def broken(self, metrics):
        raise RuntimeError("the view broke\nTraceback-looking second line")

    monkeypatch.setattr(cli._PrintProgress, "on_epoch_end", broken)
    out, store = tmp_path / "out", tmp_path / "store"
    path = write(tmp_path, SMALL)
    code = cli.run_command([str(path), "--out", str(out), "--data-dir", str(store)])
    captured = capsys.readouterr()
    assert code == 1
    errors = [line for line in captured.err.splitlines() if line.startswith("error:")]
    assert errors == ["error: run failed: RuntimeError: the view broke"]
    assert "Traceback" not in captured.err
    report = json.loads((out / "report.json").read_text())
    assert report["status"] == "failed" and report["epochs_run"] == 1


def test_a_callback_that_asks_to_stop_ends_the_run_stopped_with_its_reason(
    tmp_path, monkeypatch, capsys
):
    from workbench import cli

    def keep_run(self, model, run):
        self.run = run

    def stop_after_first(self, metrics):
        self.run.request_stop("validation accuracy is high enough")

    monkeypatch.setattr(cli._PrintProgress, "on_train_begin", keep_run, raising=False)
    monkeypatch.setattr(cli._PrintProgress, "on_epoch_end", stop_after_first)
    out = tmp_path / "out"
    path = write(tmp_path, SMALL)
    code = cli.run_command([str(path), "--out", str(out), "--data-dir", str(tmp_path / "s")])
    captured = capsys.readouterr()
    assert code == 0, captured.err  # not the user's Ctrl+C: no 130
    assert "status: stopped  epochs: 1" in captured.out
    assert "stopped: validation accuracy is high enough" in captured.out
    assert json.loads((out / "report.json").read_text())["status"] == "stopped"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize(
    "command", [["run"], ["lr-find"], ["compare", "--by", "lr"], ["search"]], ids=lambda c: c[0]
)
def test_a_pipe_given_as_the_experiment_is_refused_not_waited_on(tmp_path, capsys, command):
    """Opening a FIFO waits for a writer: these commands hung until killed."""
    from workbench.__main__ import main

    pipe = tmp_path / "exp.toml"
    os.mkfifo(pipe)
    argv = [command[0], str(pipe), *command[1:], "--data-dir", str(tmp_path / "store")]
    if command[0] == "lr-find":
        argv = argv[:-2]  # it records nothing
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"error: {pipe}: a pipe, not a file: give the TOML file itself\n"


def test_an_out_folder_that_cannot_be_made_is_refused_before_training(tmp_path, capsys):
    """It was found out after the run had trained and been recorded."""
    from workbench.__main__ import main
    from workbench.runs import RunStore

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    store = tmp_path / "store"
    argv = ["run", str(write(tmp_path, SMALL)), "--out", str(blocker / "sub")]
    assert main([*argv, "--data-dir", str(store)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: --out {blocker / 'sub'}: cannot write") and err.count("\n") == 1
    assert RunStore(store).list_runs() == []


def test_compare_on_a_read_only_store_says_its_variants_are_not_recorded(
    tmp_path, monkeypatch, capsys
):
    """It said nothing, where `run` warns and `search` refuses."""
    from workbench.__main__ import main
    from workbench.runs import RunStore
    from workbench.runs import store as store_module

    store = tmp_path / "store"
    RunStore(store)  # made, then seen as read-only (a read-only mount, another user's)
    monkeypatch.setattr(store_module.store_files, "looks_read_only", lambda *_: True)
    argv = ["compare", str(write(tmp_path, SMALL)), "--by", "lr", "--values", "0.1,0.01"]
    assert main([*argv, "--data-dir", str(store)]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "read-only" in warnings[0], warnings
