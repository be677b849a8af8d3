"""Importers tell how far they are, and give up when their progress callback raises."""

import numpy as np
import pytest

from tests.engine.test_importers import make_mnist, write_png
from workbench.config import DataConfig
from workbench.data.importers import import_path
from workbench.data.sources import load_source


class _Enough(Exception):
    pass


def make_csv(path, rows=20_000):
    rng = np.random.default_rng(0)
    lines = ["a,b,label"] + [
        f"{a:.3f},{b:.3f},{i % 3}" for i, (a, b) in enumerate(rng.random((rows, 2)))
    ]
    path.write_text("\n".join(lines) + "\n")
    return path


def make_images(folder, per_class=30):
    for name, level in (("dark", 40), ("light", 210)):
        for i in range(per_class):
            write_png(folder / name / f"{i}.png", np.full((6, 6), level, np.uint8))
    return folder


@pytest.fixture(params=["idx", "idx.gz", "csv", "folder"])
def source(request, tmp_path):
    kind = request.param
    if kind.startswith("idx"):
        make_mnist(tmp_path / "mnist", n=3000, size=(28, 28), test=500, gz=kind.endswith(".gz"))
        return tmp_path / "mnist"
    if kind == "csv":
        return make_csv(tmp_path / "table.csv")
    return make_images(tmp_path / "images")


def test_progress_rises_to_one(source):
    told = []
    report = import_path(source, progress=told.append)
    assert len(told) >= 3, told
    assert told == sorted(told) and 0 <= told[0] and told[-1] == 1.0
    # The same dataset as read without anyone following.
    plain = import_path(source).dataset
    np.testing.assert_array_equal(report.dataset.features, plain.features)
    np.testing.assert_array_equal(report.dataset.labels, plain.labels)


def test_what_progress_raises_ends_the_import(source):
    told = []

    def give_up(fraction):
        told.append(fraction)
        if len(told) == 2:
            raise _Enough

    with pytest.raises(_Enough):
        import_path(source, progress=give_up)
    assert len(told) == 2


def test_load_source_passes_progress_on_and_caches_only_whole_reads(tmp_path):
    folder = tmp_path / "mnist"
    make_mnist(folder, n=200, size=(8, 8))
    config = DataConfig(source="idx", path=str(folder))

    def give_up(fraction):
        raise _Enough

    with pytest.raises(_Enough):
        load_source(config, progress=give_up)
    told = []
    dataset = load_source(config, progress=told.append)
    assert told and told[-1] == 1.0  # read from disk: the failed read was not cached
    assert load_source(config) is dataset  # this one was
