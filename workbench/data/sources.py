"""From the experiment's [data] section to a Dataset: built in, or imported from a file."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from workbench.config import DataConfig
from workbench.data.builtin import builtin_dataset
from workbench.data.dataset import Dataset, DatasetError

# Imported datasets kept in memory, newest last: re-running an experiment must not re-read
# 60,000 images, but a session that opens many datasets must not keep them all.
_CACHE: OrderedDict[tuple, Dataset] = OrderedDict()
_CACHE_SIZE = 2
# The window reads datasets in one thread while a search may read them in another.
_CACHE_LOCK = threading.Lock()
# Datasets sent along with a run to another machine, where the file's path may not exist:
# by the [data] settings that name them (`provide`), looked up before the file.
_PROVIDED: dict[tuple, Dataset] = {}


def _provided_key(config: DataConfig) -> tuple:
    return (config.source, config.path, config.label_column, config.image_size, config.grayscale)


def provide(config: DataConfig, dataset: Dataset) -> None:
    """Use `dataset` for `config`'s file from now on, wherever the path points.

    A run on a cluster: the data came with it. Only the last one is kept: a worker trains
    one run at a time.
    """
    with _CACHE_LOCK:
        _PROVIDED.clear()
        _PROVIDED[_provided_key(config)] = dataset


def _file_key(path: Path) -> tuple:
    # A file changed on disk since it was read is read again.
    try:
        stat = os.stat(path)
    except OSError:
        return (str(path),)
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def load_source(config: DataConfig, progress: Callable[[float], None] | None = None) -> Dataset:
    """The dataset the [data] section names; `DatasetError` says why it cannot be had.

    `progress`, if given, is told the fraction of an import from disk done (0 to 1), now
    and then; what it raises ends the import and reaches the caller as it is. Built-in
    datasets, and files already read, come at once, untold.
    """
    if config.source == "digits":
        return builtin_dataset("digits")
    if config.source not in ("idx", "csv", "npz", "folder"):
        return builtin_dataset(config.source, config.samples, config.noise)
    from workbench.data.importers import import_path, no_progress
    from workbench.data.importers._common import user_path

    with _CACHE_LOCK:
        if _provided_key(config) in _PROVIDED:
            return _PROVIDED[_provided_key(config)]
    path = user_path(config.path)
    key = (
        config.source,
        _file_key(path),
        config.label_column,
        config.image_size,
        config.grayscale,
    )
    with _CACHE_LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    report = import_path(
        path,
        kind=config.source,
        label_column=config.label_column or None,
        image_size=config.image_size,
        grayscale=config.grayscale,
        progress=progress or no_progress,
    )
    with _CACHE_LOCK:
        _CACHE[key] = report.dataset
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return report.dataset


__all__ = ["DatasetError", "load_source", "provide"]
