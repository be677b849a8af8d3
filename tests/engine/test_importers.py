"""Importers: every kind on valid files, and one-line errors that name the file for bad ones."""

import gzip
import io
import struct
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from workbench.data.dataset import DatasetError
from workbench.data.importers import (
    ImportReport,
    detect_kind,
    import_path,
    read_csv,
    read_idx_folder,
    read_image_folder,
    read_npz,
)

# ----------------------------------------------------------------------------- helpers


def idx_bytes(array, magic=None):
    array = np.asarray(array, dtype=np.uint8)
    magic = 0x800 | array.ndim if magic is None else magic
    header = struct.pack(f">I{array.ndim}I", magic, *array.shape)
    return header + array.tobytes()


def write_idx(path, array, magic=None):
    data = idx_bytes(array, magic)
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def idx_name(prefix, dims, gz=False, dotted=False):
    sep = "." if dotted else "-"
    return f"{prefix}{sep}idx{dims}-ubyte" + (".gz" if gz else "")


def make_mnist(folder, n=12, size=(4, 3), values=(3, 5, 9), test=0, gz=False, dotted=False):
    """A tiny MNIST-style folder; returns the images and labels written."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (n, *size), dtype=np.uint8)
    labels = np.array([values[i % len(values)] for i in range(n)], dtype=np.uint8)
    write_idx(folder / idx_name("train-images", 3, gz, dotted), images)
    write_idx(folder / idx_name("train-labels", 1, gz, dotted), labels)
    if test:
        write_idx(folder / idx_name("t10k-images", 3, gz, dotted), images[:test])
        write_idx(folder / idx_name("t10k-labels", 1, gz, dotted), labels[:test])
    return images, labels


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def fails(call, *args, where, words=(), **kwargs):
    """Run `call`, expecting a one-line DatasetError that starts with `where`."""
    with pytest.raises(DatasetError) as info:
        call(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(str(where)), message
    for word in words:
        assert word in message, message
    return message


def write_png(path, pixels):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).save(path)
    return path


# ----------------------------------------------------------------------------- IDX


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("dotted", [False, True])
def test_idx_folder_loads_raw_pixels_and_remaps_labels(tmp_path, gz, dotted):
    images, labels = make_mnist(tmp_path / "mnist", gz=gz, dotted=dotted)
    dataset = read_idx_folder(tmp_path / "mnist")
    assert dataset.name == "mnist"
    # The pixels stay bytes: a quarter of float32's memory (batches are converted as taken).
    assert dataset.features.shape == (12, 12) and dataset.features.dtype == np.uint8
    np.testing.assert_array_equal(dataset.features, images.reshape(12, -1))
    assert dataset.image_shape == (1, 4, 3)
    assert dataset.class_names == ("3", "5", "9")
    assert dataset.labels.dtype == np.int64
    np.testing.assert_array_equal(dataset.labels, np.searchsorted([3, 5, 9], labels))
    assert not dataset.has_test_split


def test_idx_t10k_files_become_the_test_split(tmp_path):
    images, labels = make_mnist(tmp_path, test=6, gz=True)
    report = import_path(tmp_path)
    dataset = report.dataset
    assert dataset.has_test_split
    assert dataset.test_features.shape == (6, 12) and dataset.test_features.dtype == np.uint8
    np.testing.assert_array_equal(dataset.test_labels, dataset.labels[:6])
    assert any("t10k-images" in note for note in report.notes)


def test_idx_errors_name_the_file(tmp_path):
    images, labels = make_mnist(tmp_path)
    image_file = tmp_path / "train-images-idx3-ubyte"
    label_file = tmp_path / "train-labels-idx1-ubyte"
    good = image_file.read_bytes()

    write_idx(image_file, images, magic=0x801)
    fails(read_idx_folder, tmp_path, where=image_file, words=["magic number", "0x00000801"])

    image_file.write_bytes(good[:-5])
    fails(read_idx_folder, tmp_path, where=image_file, words=["truncated"])
    image_file.write_bytes(good[:6])
    fails(read_idx_folder, tmp_path, where=image_file, words=["truncated"])
    image_file.write_bytes(good + b"\0")
    fails(read_idx_folder, tmp_path, where=image_file, words=["size mismatch"])

    image_file.write_bytes(good)
    write_idx(label_file, labels[:-1])
    fails(read_idx_folder, tmp_path, where=label_file, words=["11 labels", "12 images"])

    write_idx(label_file, np.full(12, 4))
    fails(read_idx_folder, tmp_path, where=label_file, words=["only one class"])

    label_file.unlink()
    message = fails(read_idx_folder, tmp_path, where=tmp_path)
    assert message == f"{tmp_path}: no train-labels-idx1-ubyte (raw or .gz)"


def test_idx_damaged_gzip_and_missing_folder(tmp_path):
    make_mnist(tmp_path, gz=True)
    image_file = tmp_path / "train-images-idx3-ubyte.gz"
    image_file.write_bytes(image_file.read_bytes()[:-10])
    fails(read_idx_folder, tmp_path, where=image_file)
    fails(read_idx_folder, tmp_path / "nope", where=tmp_path / "nope", words=["no such"])
    fails(read_idx_folder, image_file, where=image_file, words=["not a folder"])
    empty = tmp_path / "empty"
    empty.mkdir()
    fails(read_idx_folder, empty, where=empty, words=["train-images", "train-labels"])


def test_idx_test_split_must_match_the_training_files(tmp_path):
    make_mnist(tmp_path, test=4)
    (tmp_path / "t10k-labels-idx1-ubyte").unlink()
    message = fails(read_idx_folder, tmp_path, where=tmp_path)
    assert message == f"{tmp_path}: no t10k-labels-idx1-ubyte (raw or .gz)"
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", [3, 5, 9, 7])
    fails(read_idx_folder, tmp_path, where=tmp_path / "t10k-labels-idx1-ubyte", words=["'7'"])
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", [3, 5, 9, 3])
    write_idx(tmp_path / "t10k-images-idx3-ubyte", np.zeros((4, 5, 5)))
    fails(read_idx_folder, tmp_path, where=tmp_path / "t10k-images-idx3-ubyte", words=["5x5"])


def test_mnist_sized_idx_folder_loads(tmp_path):
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (60_000, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, 60_000, dtype=np.uint8)
    write_idx(tmp_path / "train-images-idx3-ubyte", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte", labels)
    start = time.perf_counter()
    dataset = read_idx_folder(tmp_path)
    print(f"60,000 x 28 x 28 IDX loaded in {time.perf_counter() - start:.3f} s")
    assert dataset.features.shape == (60_000, 784)
    assert dataset.n_classes == 10
    assert dataset.features[123, 400] == images[123].reshape(-1)[400]


# ----------------------------------------------------------------------------- CSV


def test_csv_string_labels_skip_non_numeric_columns(tmp_path):
    path = write(
        tmp_path / "flowers.csv",
        "\ufeffname,length,width,species\n"
        "a,1.5,2,setosa\n"
        "\n"
        '"b, quoted", 3 ,4e-1,virginica\n'
        "c,5,6,setosa\n",
    )
    report = import_path(path)
    dataset = report.dataset
    assert isinstance(report, ImportReport)
    assert dataset.name == "flowers" and dataset.image_shape is None
    assert dataset.features.dtype == np.float32
    np.testing.assert_allclose(dataset.features, [[1.5, 2], [3, 0.4], [5, 6]])
    assert dataset.class_names == ("setosa", "virginica")
    np.testing.assert_array_equal(dataset.labels, [0, 1, 0])
    assert report.notes == ("skipped non-numeric column 'name'",)
    assert read_csv(path).class_names == dataset.class_names


def test_csv_numeric_labels_sort_as_numbers_and_label_column_by_name(tmp_path):
    path = write(tmp_path / "t.csv", "grade,x\n10,1\n2,2\n2.0,3\n1.5,4\n")
    dataset = read_csv(path, label_column="grade")
    assert dataset.class_names == ("1.5", "2", "10")
    np.testing.assert_array_equal(dataset.labels, [2, 1, 1, 0])
    np.testing.assert_array_equal(dataset.features[:, 0], [1, 2, 3, 4])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", ["empty file"]),
        ("\n\n", ["empty file"]),
        ("a,b\n", ["no data rows"]),
        ("a,b\n1,x\n2,y\n3\n", ["line 4", "1 fields", "has 2"]),
        ("a,b\n1,x\n,y\n", ["line 3", "column 'a'", "missing value"]),
        ("a,b\n1,x\n2,\n", ["line 3", "column 'b'", "missing value"]),
        ("a,b\n1,x\nnan,y\n", ["line 3", "column 'a'", "'nan'"]),
        ("a,b\n1e999,x\n2,y\n", ["line 2", "'1e999'"]),
        ("a,b\n1,x\n2,x\n", ["only one class ('x')", "column 'b'"]),
        ("a,b\nu,x\nv,y\n", ["no numeric feature columns"]),
        ("a,a,b\n1,2,x\n3,4,y\n", ["'a' appears twice"]),
    ],
)
def test_csv_errors_name_the_file_and_line(tmp_path, text, words):
    path = write(tmp_path / "bad.csv", text)
    fails(read_csv, path, where=path, words=words)


def test_csv_unknown_label_column_lists_the_columns(tmp_path):
    path = write(tmp_path / "t.csv", "a,b\n1,x\n2,y\n")
    fails(read_csv, path, "label", where=path, words=["'label'", "columns: a, b"])


def test_csv_that_is_not_text(tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"a,b\n1,\xff\xfe\n")
    fails(read_csv, path, where=path, words=["UTF-8"])
    fails(read_csv, tmp_path, where=tmp_path, words=["folder"])


# ----------------------------------------------------------------------------- NPZ


def test_npz_tabular_x_y(tmp_path):
    path = tmp_path / "table.npz"
    np.savez(path, x=np.arange(12.0).reshape(6, 2), y=np.array([7, 7, 2, 2, 9, 9]))
    dataset = read_npz(path)
    assert dataset.features.shape == (6, 2) and dataset.features.dtype == np.float32
    assert dataset.class_names == ("2", "7", "9")
    np.testing.assert_array_equal(dataset.labels, [1, 1, 0, 0, 2, 2])
    assert dataset.image_shape is None and not dataset.has_test_split


def test_npz_grayscale_images_with_test_split_and_string_labels(tmp_path):
    path = tmp_path / "images.npz"
    x = np.arange(4 * 5 * 3, dtype=np.uint8).reshape(4, 5, 3)
    y = np.array(["dog", "cat", "dog", "cat"])
    np.savez(path, x_train=x, y_train=y, x_test=x[:2], y_test=y[:2], extra=np.zeros(1))
    report = import_path(path)
    dataset = report.dataset
    assert dataset.image_shape == (1, 5, 3) and dataset.features.shape == (4, 15)
    assert dataset.class_names == ("cat", "dog")
    np.testing.assert_array_equal(dataset.labels, [1, 0, 1, 0])
    np.testing.assert_array_equal(dataset.test_labels, [1, 0])
    assert dataset.test_features.shape == (2, 15)
    assert dataset.features.dtype == dataset.test_features.dtype == np.uint8  # kept as bytes
    assert "ignored arrays: extra" in report.notes


def test_npz_channels_last_images_become_channels_first_rows(tmp_path):
    path = tmp_path / "rgb.npz"
    x = np.random.default_rng(0).integers(0, 256, (3, 4, 5, 3), dtype=np.uint8)
    np.savez(path, X=x, y=np.array([0, 1, 1]))
    dataset = read_npz(path)
    assert dataset.image_shape == (3, 4, 5) and dataset.features.flags.c_contiguous
    # Row layout is C, H, W: pixel (h=2, w=1) of channel 2 sits at 2*20 + 2*5 + 1.
    assert dataset.features[1, 2 * 20 + 2 * 5 + 1] == x[1, 2, 1, 2]
    np.testing.assert_array_equal(
        dataset.features.reshape(3, 3, 4, 5), x.transpose(0, 3, 1, 2).astype(np.float32)
    )


@pytest.mark.parametrize(
    ("arrays", "words"),
    [
        ({"a": np.zeros(2), "b": np.zeros(2)}, ["no arrays x and y", "found: a, b"]),
        ({"x": np.zeros((3, 2)), "y": np.array([0, 1])}, ["3 samples", "y has 2"]),
        ({"x": np.array([["a", "b"], ["c", "d"]]), "y": np.array([0, 1])}, ["dtype <U1"]),
        ({"x": np.zeros((3, 2)), "y": np.array([4, 4, 4])}, ["only one class ('4')"]),
        ({"x": np.zeros((2, 3, 3, 2)), "y": np.array([0, 1])}, ["shape (2, 3, 3, 2)"]),
        ({"x": np.array([[np.nan], [1.0]]), "y": np.array([0, 1])}, ["NaN"]),
        ({"x": np.zeros((2, 1)), "y": np.array([0.5, np.inf])}, ["infinite labels"]),
        (
            {"x_train": np.zeros((2, 1)), "y_train": [0, 1], "x_test": np.zeros((2, 1))},
            ["x_test but no y_test"],
        ),
        (
            {
                "x_train": np.zeros((2, 1)),
                "y_train": [0, 1],
                "x_test": np.zeros((1, 1)),
                "y_test": [5],
            },
            ["y_test", "'5'"],
        ),
    ],
)
def test_npz_errors_name_the_file(tmp_path, arrays, words):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    fails(read_npz, path, where=path, words=words)


def test_npz_never_unpickles_and_refuses_other_files(tmp_path):
    path = tmp_path / "objects.npz"
    np.savez(path, x=np.array([{"a": 1}, None], dtype=object), y=np.array([0, 1]))
    fails(read_npz, path, where=path)
    npy = tmp_path / "single.npz"
    with npy.open("wb") as file:
        np.save(file, np.zeros(3))
    fails(read_npz, npy, where=npy, words=[".npy"])
    text = write(tmp_path / "text.npz", "hello")
    fails(read_npz, text, where=text, words=["not an .npz"])
    damaged = tmp_path / "damaged.npz"
    np.savez(damaged, x=np.zeros((5, 2)), y=np.arange(5))
    damaged.write_bytes(damaged.read_bytes()[:-40])
    fails(read_npz, damaged, where=damaged)


# ----------------------------------------------------------------------------- image folders


def make_image_folder(root, classes=("cat", "dog"), per_class=2, size=(6, 8)):
    for index, name in enumerate(classes):
        for i in range(per_class):
            write_png(root / name / f"{i}.png", np.full(size, 40 * index + i))
    return root


def test_image_folder_grayscale_resized_to_height_width(tmp_path):
    root = make_image_folder(tmp_path / "pets")
    (root / "cat" / ".DS_Store").write_bytes(b"junk")
    (root / "cat" / "notes.txt").write_text("not an image")
    (root / ".hidden").mkdir()
    report = import_path(root, image_size=(5, 7))
    dataset = report.dataset
    assert report.notes == ("skipped 1 files that are not images",)
    assert dataset.name == "pets" and dataset.class_names == ("cat", "dog")
    assert dataset.image_shape == (1, 5, 7) and dataset.features.shape == (4, 35)
    assert dataset.features.dtype == np.float32
    np.testing.assert_array_equal(dataset.labels, [0, 0, 1, 1])
    np.testing.assert_allclose(dataset.features[:, 0], [0, 1, 40, 41])


def test_image_folder_rgb_rows_are_channels_first(tmp_path):
    pixels = np.zeros((2, 3, 3), dtype=np.uint8)
    pixels[1, 2] = (10, 20, 30)
    write_png(tmp_path / "a" / "x.png", pixels)
    write_png(tmp_path / "b" / "y.png", pixels)
    dataset = read_image_folder(tmp_path, image_size=(2, 3), grayscale=False)
    assert dataset.image_shape == (3, 2, 3)
    images = dataset.features.reshape(2, 3, 2, 3)
    np.testing.assert_array_equal(images[0, :, 1, 2], [10, 20, 30])


def test_image_folder_errors(tmp_path):
    fails(read_image_folder, tmp_path, where=tmp_path, words=["no class sub-folders"])
    make_image_folder(tmp_path, classes=("only",))
    fails(read_image_folder, tmp_path, where=tmp_path, words=["only one class", "'only'"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("hi")
    fails(read_image_folder, tmp_path, where=tmp_path / "empty", words=["no images"])
    broken = tmp_path / "empty" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n not really")
    fails(read_image_folder, tmp_path, where=broken, words=["unreadable image"])
    fails(read_image_folder, tmp_path, image_size=(0, 28), where=tmp_path, words=["image_size"])


# ----------------------------------------------------------------------------- import_path


def test_import_path_detects_each_kind(tmp_path):
    make_mnist(tmp_path / "idx")
    make_image_folder(tmp_path / "folder")
    write(tmp_path / "t.csv", "a,b\n1,x\n2,y\n")
    np.savez(tmp_path / "t.npz", x=np.zeros((2, 1)), y=np.array([0, 1]))
    assert detect_kind(tmp_path / "idx") == "idx"
    assert detect_kind(tmp_path / "folder") == "folder"
    assert detect_kind(tmp_path / "t.csv") == "csv"
    assert detect_kind(tmp_path / "t.npz") == "npz"
    for name in ("idx", "folder", "t.csv", "t.npz"):
        assert import_path(tmp_path / name).dataset.n_classes >= 2


def test_import_path_errors(tmp_path):
    missing = tmp_path / "missing.csv"
    assert fails(import_path, missing, where=missing) == f"{missing}: no such file or folder"
    other = write(tmp_path / "data.txt", "1,2\n")
    fails(import_path, other, where=other, words=[".csv", ".npz", "IDX", "sub-folder"])
    fails(import_path, other, kind="xls", where=other, words=["unknown kind 'xls'", "csv"])
    fails(import_path, tmp_path, kind="csv", where=tmp_path, words=["a folder, not a CSV"])
    fails(import_path, other, kind="folder", where=other, words=["not a folder"])
    empty = tmp_path / "empty"
    empty.mkdir()
    fails(import_path, empty, where=empty)


# ----------------------------------------------------------------------------- properties

# Function-scoped fixtures are not reset between examples, so the properties write into
# their own temporary folders.
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def valid_idx_files():
    images = np.random.default_rng(2).integers(0, 256, (8, 3, 3), dtype=np.uint8)
    labels = np.array([0, 1, 2, 0, 1, 2, 0, 1], dtype=np.uint8)
    return {
        "train-images-idx3-ubyte": idx_bytes(images),
        "train-labels-idx1-ubyte": idx_bytes(labels),
        "t10k-images-idx3-ubyte": idx_bytes(images[:3]),
        "t10k-labels-idx1-ubyte": idx_bytes(labels[:3]),
    }


def check_loads_or_fails_cleanly(call, folder):
    try:
        dataset = call(folder)
    except DatasetError as error:
        message = str(error)
        assert "\n" not in message and message.startswith(str(folder)), message
        return
    assert dataset.features.shape[0] == dataset.labels.shape[0]
    assert dataset.labels.min() >= 0 and dataset.labels.max() < dataset.n_classes


@FAST
@given(
    target=st.sampled_from(sorted(valid_idx_files())),
    compress=st.booleans(),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=200)),
    changes=st.lists(
        st.tuples(st.integers(min_value=0, max_value=200), st.integers(0, 255)), max_size=4
    ),
)
def test_damaged_idx_files_load_or_raise_dataset_error(target, compress, cut, changes):
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory)
        for name, data in valid_idx_files().items():
            if compress:
                data, name = gzip.compress(data), name + ".gz"
            if name.startswith(target):
                damaged = bytearray(data if cut is None else data[:cut])
                for position, value in changes:
                    if position < len(damaged):
                        damaged[position] = value
                data = bytes(damaged)
            (folder / name).write_bytes(data)
        check_loads_or_fails_cleanly(read_idx_folder, folder)


CSV_TOKENS = st.one_of(
    st.sampled_from(["", " ", "1", "-2.5", "1e3", "nan", "inf", "x", "y", '"', '"a,b"', "\t"]),
    st.text(max_size=4),
)


@FAST
@given(
    rows=st.lists(st.lists(CSV_TOKENS, max_size=5), max_size=8),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    label_column=st.sampled_from([None, "a", "1", ""]),
)
def test_random_csv_text_loads_or_raises_dataset_error(rows, newline, label_column):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "random.csv"
        text = newline.join(",".join(row) for row in rows)
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        check_loads_or_fails_cleanly(lambda p: read_csv(p, label_column), path)


@FAST
@given(changes=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4))
def test_damaged_npz_loads_or_raises_dataset_error(changes):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "damaged.npz"
        np.savez_compressed(path, x=np.arange(20.0).reshape(10, 2), y=np.arange(10) % 2)
        data = bytearray(path.read_bytes())
        for position, value in changes:
            data[position % len(data)] = value
        path.write_bytes(bytes(data))
        check_loads_or_fails_cleanly(read_npz, path)


def _png_bytes(level):
    buffer = io.BytesIO()
    Image.fromarray(np.full((6, 5), level, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


@FAST
@given(
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=120)),
    changes=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=6),
)
def test_damaged_images_in_a_class_folder_load_or_raise_dataset_error(cut, changes):
    with tempfile.TemporaryDirectory() as directory:
        folder = Path(directory) / "images"
        for name, level in (("a", 30), ("b", 200)):
            (folder / name).mkdir(parents=True)
            for index in range(3):
                (folder / name / f"{index}.png").write_bytes(_png_bytes(level + index))
        damaged = bytearray(_png_bytes(99))
        if cut is not None:
            damaged = damaged[:cut]
        for position, value in changes:
            if damaged:
                damaged[position % len(damaged)] = value
        (folder / "a" / "damaged.png").write_bytes(bytes(damaged))
        check_loads_or_fails_cleanly(lambda p: read_image_folder(p, (4, 4)), folder)


def test_byte_images_train_exactly_as_their_float32_copy(tmp_path):
    """uint8 features stay bytes in memory; a run on them equals one on float32 features."""
    from workbench.config import experiment_from_dict
    from workbench.core import fit

    rng = np.random.default_rng(3)
    x = rng.integers(0, 256, (300, 6, 6), dtype=np.uint8)
    y = (x[:, :3].mean(axis=(1, 2)) > x[:, 3:].mean(axis=(1, 2))).astype(np.int64)
    np.savez(tmp_path / "bytes.npz", x=x, y=y)
    np.savez(tmp_path / "floats.npz", x=x.astype(np.float32), y=y)
    assert read_npz(tmp_path / "bytes.npz").features.dtype == np.uint8
    assert read_npz(tmp_path / "floats.npz").features.dtype == np.float32
    results = []
    for name in ("bytes", "floats"):
        config = experiment_from_dict(
            {
                "data": {"source": "npz", "path": str(tmp_path / f"{name}.npz")},
                "training": {"epochs": 2, "batch_size": 32, "device": "cpu"},
            }
        )
        results.append(fit(config))
    on_bytes, on_floats = results
    assert on_bytes.status == on_floats.status == "completed"
    assert [m.train_loss for m in on_bytes.history] == [m.train_loss for m in on_floats.history]
    assert [m.val_loss for m in on_bytes.history] == [m.val_loss for m in on_floats.history]
    assert on_bytes.test_split == on_floats.test_split  # the same test set, by fingerprint
    np.testing.assert_array_equal(
        on_bytes.predictions.probabilities, on_floats.predictions.probabilities
    )
