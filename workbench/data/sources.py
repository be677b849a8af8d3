"""From the experiment's [data] section to a Dataset: built in, or imported from a file."""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

from workbench.config import DataConfig
from workbench.data.builtin import builtin_dataset
from workbench.data.dataset import Dataset, DatasetError

# Imported datasets kept in memory, newest last: re-running an experiment must not re-read
# 60,000 images, but a session that opens many datasets must not keep them all.
_CACHE: OrderedDict[tuple, Dataset] = OrderedDict()
_CACHE_SIZE = 2


def _file_key(path: Path) -> tuple:
    # A file changed on disk since it was read is read again.
    try:
        stat = os.stat(path)
    except OSError:
        return (str(path),)
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def load_source(config: DataConfig) -> Dataset:
    """The dataset the [data] section names; `DatasetError` says why it cannot be had."""
    if config.source == "digits":
        return builtin_dataset("digits")
    if config.source not in ("idx", "csv", "npz", "folder"):
        return builtin_dataset(config.source, config.samples, config.noise)
    from workbench.data.importers import import_path
    from workbench.data.importers._common import user_path

    path = user_path(config.path)
    key = (
        config.source,
        _file_key(path),
        config.label_column,
        config.image_size,
        config.grayscale,
    )
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    report = import_path(
        path,
        kind=config.source,
        label_column=config.label_column or None,
        image_size=config.image_size,
        grayscale=config.grayscale,
    )
    _CACHE[key] = report.dataset
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return report.dataset


__all__ = ["DatasetError", "load_source"]
