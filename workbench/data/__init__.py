"""Datasets and their splits: plain NumPy arrays, no Qt."""

from workbench.data.builtin import Dataset, dataset_info, load_dataset
from workbench.data.split import Split, split_dataset

__all__ = ["Dataset", "Split", "dataset_info", "load_dataset", "split_dataset"]
