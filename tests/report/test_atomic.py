import json
import math
import os

import pytest

from workbench import atomic
from workbench.atomic import atomic_write_bytes, atomic_write_text
from workbench.report.json_report import write_report


def test_writes_and_creates_folders(tmp_path):
    path = tmp_path / "a" / "b" / "report.txt"
    assert atomic_write_text(path, "héllo\n") == path
    assert path.read_bytes() == "héllo\n".encode()
    assert os.listdir(path.parent) == ["report.txt"]


def test_a_failed_replace_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "report.html"
    atomic_write_bytes(path, b"good")

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_bytes(path, b"bad" * 1000)
    assert path.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["report.html"]


def test_a_failure_while_writing_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "report.bin"
    atomic_write_bytes(path, b"good")

    def fail(descriptor):
        raise OSError("I/O error")

    monkeypatch.setattr(atomic.os, "fsync", fail)
    with pytest.raises(OSError):
        atomic_write_bytes(path, b"half")
    assert path.read_bytes() == b"good"
    assert os.listdir(tmp_path) == ["report.bin"]


def test_write_report_is_strict_json_and_atomic(tmp_path, failed_report):
    path = tmp_path / "report.json"
    write_report(failed_report, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["history"][2]["val_loss"] is None
    good = path.read_bytes()
    failed_report["unserialisable"] = object()
    with pytest.raises(TypeError):
        write_report(failed_report, path)
    assert path.read_bytes() == good
    assert os.listdir(tmp_path) == ["report.json"]
    assert not math.isnan(data["history"][0]["val_loss"])


def test_an_atomic_file_gets_ordinary_permissions_not_mkstemps_private_ones(tmp_path):
    import os
    import stat

    from workbench.atomic import atomic_write_text

    umask = os.umask(0o022)
    os.umask(umask)
    path = atomic_write_text(tmp_path / "report.html", "<p>hi</p>")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
