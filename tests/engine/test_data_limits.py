"""Files that would fill the memory are refused in one line before they are read."""

import gzip
import os
import struct
import tracemalloc
import warnings
import zipfile

import numpy as np
import pytest
from PIL import Image

from workbench.data import memory
from workbench.data.dataset import DatasetError
from workbench.data.importers import read_csv, read_idx_folder, read_image_folder, read_npz


def _small_memory(monkeypatch, n_bytes):
    monkeypatch.setattr(memory, "available_memory", lambda: n_bytes)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_a_device_is_not_read_as_a_table():
    with pytest.raises(DatasetError, match=r"^/dev/zero: not a regular file"):
        read_csv("/dev/zero")
    with pytest.raises(DatasetError, match=r"^/dev/zero: not a regular file"):
        read_npz("/dev/zero")


def test_a_gzip_bomb_is_refused_at_its_header_without_being_decompressed(tmp_path):
    # 64 MB of zeros gzip to 64 KB; the old reader decompressed all of it first.
    with gzip.open(tmp_path / "train-images-idx3-ubyte.gz", "wb") as file:
        chunk = bytes(1 << 20)
        for _ in range(64):
            file.write(chunk)
    labels = struct.pack(">II", 0x801, 2) + bytes([0, 1])
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(labels)
    tracemalloc.start()
    try:
        with pytest.raises(DatasetError, match="wrong magic number 0x00000000"):
            read_idx_folder(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20, peak


def test_an_idx_header_promising_more_than_the_free_memory_is_refused(tmp_path, monkeypatch):
    header = struct.pack(">IIII", 0x803, 1000, 100, 100)  # 10 MB of pixels promised
    (tmp_path / "train-images-idx3-ubyte").write_bytes(header + bytes(100))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(struct.pack(">II", 0x801, 1000))
    _small_memory(monkeypatch, 1_000_000)
    with pytest.raises(DatasetError, match=r"1000 x 100 x 100 images .* would need about 10\.0 MB"):
        read_idx_folder(tmp_path)


def test_an_idx_file_holding_more_than_its_header_promises_is_refused(tmp_path):
    header = struct.pack(">IIII", 0x803, 2, 2, 2)
    (tmp_path / "train-images-idx3-ubyte").write_bytes(header + bytes(9))
    (tmp_path / "train-labels-idx1-ubyte").write_bytes(struct.pack(">II", 0x801, 2) + b"\0\1")
    with pytest.raises(DatasetError, match="size mismatch: the header promises 2 x 2 x 2 = 8"):
        read_idx_folder(tmp_path)


def test_an_npz_whose_arrays_outgrow_the_free_memory_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "big.npz"
    np.savez_compressed(path, x=np.zeros((2000, 500), np.float32), y=np.arange(2000) % 2)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("x.npy").compress_size < 100_000  # 4 MB of zeros, compressed
    _small_memory(monkeypatch, 1_000_000)
    with pytest.raises(DatasetError, match=r"big\.npz: the arrays x, y would need about 4\.0 MB"):
        read_npz(path)


def test_a_table_too_large_to_parse_in_memory_is_refused_unread(tmp_path, monkeypatch):
    path = tmp_path / "table.csv"
    path.write_text("a,b,label\n" + "1.0,2.0,x\n" * 10_000)
    _small_memory(monkeypatch, 500_000)
    with pytest.raises(DatasetError, match=r"table\.csv: this 100\.0 KB table, parsed, would"):
        read_csv(path)


def test_a_decompression_bomb_warning_is_one_refusal_not_two_lines_on_stderr(tmp_path, monkeypatch):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        Image.new("L", (12, 12), 255).save(tmp_path / name / "one.png")
    # 144 pixels: over the limit, under twice it, where Pillow only warns.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(DatasetError, match=r"one\.png: unreadable image: .*decompression bomb"):
            read_image_folder(tmp_path, image_size=(8, 8))
    assert not caught, [str(w.message) for w in caught]


def test_a_home_folder_of_an_unknown_user_is_one_line_naming_the_path():
    from workbench.config import experiment_from_dict
    from workbench.data.sources import load_source

    experiment = experiment_from_dict(
        {"data": {"source": "csv", "path": "~no-such-user-here/table.csv"}}
    )
    with pytest.raises(DatasetError, match=r"^~no-such-user-here/table\.csv: no such user"):
        load_source(experiment.data)
