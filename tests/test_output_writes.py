"""Outputs are written whole or not at all, and every writer goes through the atomic helper."""

import errno
import re
from pathlib import Path

import pytest

from workbench import atomic, cli
from workbench.runs.trained import FOLDER_WEIGHTS

SMALL = """
name = "out-faults"
[model]
layers = [{ type = "dense", units = 8, activation = "relu" }]
[training]
epochs = 1
batch_size = 128
device = "cpu"
"""


def test_a_full_disk_leaves_no_partial_run_folder_and_one_line(tmp_path, monkeypatch, capsys):
    experiment = tmp_path / "small.toml"
    experiment.write_text(SMALL)
    out = tmp_path / "out"
    real_replace = atomic.os.replace
    written = []

    def full_disk(source, target):
        if Path(target).name == FOLDER_WEIGHTS:
            raise OSError(errno.ENOSPC, "No space left on device")
        if Path(target).parent == out:  # the run store writes its own files too
            written.append(Path(target).name)
        return real_replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", full_disk)
    code = cli.run_command([str(experiment), "--out", str(out), "--data-dir", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code == 2
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: --out {out}: cannot write the run folder: [Errno 28] No space left on device"
    ]
    # Neither a report.json that promises a whole folder, nor temporary files, are left.
    assert sorted(p.name for p in out.iterdir()) == sorted(written)
    assert "report.json" not in written and not list(out.glob(".*part*"))


# Writers that bypass the atomic helper write in place and leave a truncated file behind.
DIRECT_WRITE = re.compile(
    r"\.write_text\(|\.write_bytes\(|\bsave_file\(|\bopen\([^)]*['\"][wax]b?\+?['\"]"
    r"|torch\.save\(|\.save\(str\(|onnx\.export\(|tomli_w\.dump\("
)
# Where a direct write is the point: the helper itself, and ONNX (which writes only to a
# file name; its export writes into the helper's temporary path, see runs/export.py).
ALLOWED = {"workbench/atomic.py"}
# Writes that are not outputs: /proc/self/clear_refs is a kernel switch (it restarts the
# peak-memory count the mini-batch comparison reads), not a file anyone reads back.
NOT_OUTPUTS = {("workbench/runs/batch_stats.py", "_CLEAR_REFS.write_text(")}


def test_every_writer_in_the_package_goes_through_the_atomic_helper():
    root = Path(__file__).resolve().parents[1]
    offenders = []
    for path in sorted((root / "workbench").rglob("*.py")):
        name = path.relative_to(root).as_posix()
        if name in ALLOWED:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            code = line.split("#")[0]
            if any(name == file and call in code for file, call in NOT_OUTPUTS):
                continue
            # Safe when the write is to the helper's temporary path: "atomic" in the line or
            # in the two lines above it (the `with atomic_path(out) as temporary:` block).
            context = "\n".join(lines[max(0, number - 3) : number])
            if DIRECT_WRITE.search(code) and "atomic" not in context:
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


@pytest.mark.parametrize("pattern", ["Path(p).write_text(x)", "save_file(t, p)", "open(p, 'wb')"])
def test_the_writer_check_sees_a_direct_write(pattern):
    assert DIRECT_WRITE.search(pattern)


def test_a_write_killed_half_way_leaves_the_old_file_whole(tmp_path):
    """SIGKILL while a file is being replaced: the file is old or new, never half of each."""
    import signal
    import subprocess
    import sys
    import time

    from workbench.runs.store_files import remove_stale_parts

    target = tmp_path / "report.json"
    size = 8 << 20
    writer = (
        "import sys\n"
        "from workbench.atomic import atomic_write_bytes\n"
        f"size = {size}\n"
        "atomic_write_bytes(sys.argv[1], b'a' * size)\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    for byte in (b'b', b'a'):\n"
        "        atomic_write_bytes(sys.argv[1], byte * size)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", writer, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        time.sleep(0.5)  # a few dozen replacements in
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        process.kill()
    data = target.read_bytes()
    assert len(data) == size and data in (b"a" * size, b"b" * size)
    # What the kill left is a temporary file beside it, removed once stale.
    leftovers = [p for p in tmp_path.iterdir() if p != target]
    assert all(p.name.startswith(".report.json.") for p in leftovers)
    remove_stale_parts([tmp_path], older_than_s=0, targets=("report.json",))
    assert list(tmp_path.iterdir()) == [target]
