"""The split, pinned: the same samples in each part for the same seed, and the same refusals.

The sizes, row digests and messages below were recorded from the split as it was before
`split_dataset` took its sizes from `split_sizes` (scikit-learn 1.9): a change to how the
parts are counted or cut shows here. The texts after "cannot split by class:" are
scikit-learn's own words: the test holds their numbers, not their wording.
"""

import hashlib
import re

import numpy as np
import pytest

from workbench.data import Dataset, DatasetError, load_dataset, split_dataset
from workbench.data.split import split_sizes


def labelled(counts, own_test=None):
    """Samples of len(counts) classes, `counts[i]` of class i, shuffled; row i holds i."""
    labels = np.repeat(np.arange(len(counts)), counts)
    labels = np.random.default_rng(len(labels)).permutation(labels)
    test_labels = None if own_test is None else np.arange(own_test) % len(counts)
    return Dataset(
        name="pinned",
        features=np.arange(len(labels), dtype=np.float32)[:, None],
        labels=labels,
        class_names=tuple(f"c{i}" for i in range(len(counts))),
        test_features=None if own_test is None else np.zeros((own_test, 1), np.float32),
        test_labels=test_labels,
    )


def digest(split):
    """Names the rows and labels of the three parts, in their order."""
    hashed = hashlib.sha256()
    for part in (split.train_rows, split.val_rows, split.test_rows):
        hashed.update(np.asarray(part, dtype=np.int64).tobytes())
    for part in (split.y_train, split.y_val, split.y_test):
        hashed.update(np.asarray(part, dtype=np.int64).tobytes())
    return hashed.hexdigest()[:16]


@pytest.mark.parametrize(
    ("counts", "own_test", "val", "test", "limit", "seed", "sizes", "rows"),
    [
        ((70, 80, 50), None, 0.2, 0.2, 0, 0, (120, 40, 40), "16cb796ce5ce8a8b"),
        ((70, 80, 50), None, 0.2, 0.2, 50, 0, (50, 40, 40), "05464b15e9246a11"),
        ((70, 80, 50), None, 0.2, 0.2, 50, 7, (50, 40, 40), "8ad13521771733b4"),
        ((60, 41), None, 0.15, 0.3, 0, 1, (54, 16, 31), "78cb5cd6408b035b"),
        # 100 * 0.3 is 30.000000000000004 in floats: the test part takes 31.
        ((50, 50), None, 0.2, 0.3, 0, 0, (49, 21, 30), "894db541740c6079"),
        ((50, 50), None, 0.1, 0.2, 30, 3, (30, 10, 20), "88b35e33c52a302f"),
        ((20, 17, 12, 8), None, 0.1, 0.1, 20, 0, (20, 6, 6), "efaece43b4ac7b13"),
        ((100, 100), 50, 0.25, 0.2, 0, 0, (150, 50, 50), "40b20e5544490093"),
        ((100, 100), 50, 0.25, 0.2, 40, 5, (40, 50, 50), "098800d294275ff6"),
        ((33, 34, 35), 31, 0.3, 0.2, 0, 2, (71, 31, 31), "f8686b936e173464"),
    ],
)
def test_the_same_samples_land_in_each_part(counts, own_test, val, test, limit, seed, sizes, rows):
    dataset = labelled(counts, own_test)
    split = split_dataset(dataset, val, test, seed, limit, normalize="none")
    assert (len(split.y_train), len(split.y_val), len(split.y_test)) == sizes
    assert split_sizes(dataset.n_samples, val, test, limit, own_test) == sizes
    assert digest(split) == rows


@pytest.mark.parametrize(
    ("limit", "seed", "sizes", "rows"),
    [(0, 0, (1077, 360, 360), "5824d4714daeb9d6"), (300, 1, (300, 360, 360), "5ae0e4c626d16847")],
)
def test_the_digits_split_is_pinned(limit, seed, sizes, rows):
    dataset = load_dataset("digits")
    split = split_dataset(dataset, 0.2, 0.2, seed, limit, normalize="none")
    assert (len(split.y_train), len(split.y_val), len(split.y_test)) == sizes
    assert split_sizes(dataset.n_samples, 0.2, 0.2, limit) == sizes
    assert digest(split) == rows


_EMPTY = (
    "data: cannot split by class: With n_samples={n}, test_size={share} and train_size=None, "
    "the resulting train set will be empty. Adjust any of the aforementioned parameters."
)
_LONELY = (
    "data: cannot split by class: The least populated classes in y have only 1 member, which "
    "is too few. The minimum number of groups for any class cannot be less than 2. Classes "
    "with too few members are: [{label}]"
)


@pytest.mark.parametrize(
    ("counts", "own_test", "val", "test", "limit", "message"),
    [
        ((1,), None, 0.2, 0.2, 0, _EMPTY.format(n=1, share=0.2)),
        ((1, 1), None, 0.2, 0.6, 0, _EMPTY.format(n=2, share=0.6)),
        (
            (2, 2),
            None,
            0.1,
            0.7,
            0,
            "data: cannot split by class: The train_size = 1 should be greater or equal to "
            "the number of classes = 2",
        ),
        ((3, 3), None, 0.3, 0.5, 0, _LONELY.format(label=0)),
        # Nothing left to train on once validation is cut: the share is named, as it was.
        ((10, 10), None, 0.49, 0.5, 0, _EMPTY.format(n=10, share=0.98)),
        ((10,), None, 0.49, 0.5, 0, _EMPTY.format(n=5, share=0.98)),
        ((10, 10), 4, 0.99, 0.2, 0, _EMPTY.format(n=20, share=0.99)),
        ((10, 10, 1), None, 0.2, 0.2, 0, _LONELY.format(label=2)),
        ((30, 30, 30), None, 0.2, 0.2, 2, "data.train_limit: 2 is fewer than the 3 classes"),
        (
            (30, 30, 30),
            None,
            0.2,
            0.2,
            53,
            "data: cannot split by class: The test_size = 1 should be greater or equal to "
            "the number of classes = 3",
        ),
    ],
)
def test_a_split_that_cannot_be_made_is_refused_in_the_same_words(
    counts, own_test, val, test, limit, message
):
    with pytest.raises(DatasetError) as refused:
        split_dataset(labelled(counts, own_test), val, test, 0, limit, normalize="none")
    said = str(refused.value)
    if not message.startswith(_SKLEARN):
        assert said == message
        return
    # scikit-learn's own words may change with its releases (these are 1.9's): what must not
    # change is our prefix and the numbers the refusal names (sizes, shares, classes).
    assert said.startswith(_SKLEARN)
    assert _numbers(said) == _numbers(message), (said, message)


_SKLEARN = "data: cannot split by class: "


def _numbers(text):
    return re.findall(r"\d+(?:\.\d+)?", text)
