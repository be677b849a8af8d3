"""Datasets and their splits: plain NumPy arrays, no Qt."""

from workbench.data.builtin import dataset_info, load_dataset
from workbench.data.dataset import Dataset, DatasetError
from workbench.data.split import Split, split_dataset

__all__ = ["Dataset", "DatasetError", "Split", "dataset_info", "load_dataset", "split_dataset"]
