"""The sealed test split: a run that must not look at test data cannot, even by mistake.

A hyperparameter search chooses settings on validation data; a test set read during the
search (a metric, a fingerprint, a preview) would leak into the choice and inflate the final
test figure. `seal_test_split` replaces the test part of a `Split` with guards that raise on
any use, so "never touched" is enforced rather than promised.
"""

from __future__ import annotations

import dataclasses
from typing import Any, NoReturn

from workbench.data.split import Split


class TestSplitAccessError(RuntimeError):
    """Something read the test split of a run that was told not to (`evaluate_test=False`)."""

    __test__ = False  # not a pytest test class despite the name


class SealedTestPart:
    """Stands in for a test array: every use raises `TestSplitAccessError`.

    Indexing, `len`, iteration, NumPy conversion and any attribute (`shape`, `dtype`, ...) all
    raise, so code that forgets the seal fails loudly instead of quietly reading test data.
    """

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        object.__setattr__(self, "_name", name)

    def _refuse(self, how: str) -> NoReturn:
        name = object.__getattribute__(self, "_name")
        raise TestSplitAccessError(
            f"the test split ({name}) was read ({how}) in a run that must not read it"
        )

    def __getattr__(self, attribute: str) -> Any:
        self._refuse(f".{attribute}")

    def __getitem__(self, index: Any) -> NoReturn:
        self._refuse("indexing")

    def __len__(self) -> int:
        self._refuse("len")

    def __iter__(self) -> NoReturn:
        self._refuse("iteration")

    def __array__(self, *args: Any, **kwargs: Any) -> NoReturn:
        self._refuse("conversion to an array")

    def __bool__(self) -> bool:
        self._refuse("truth value")

    def __repr__(self) -> str:  # reprs appear in tracebacks and debuggers: they must not raise
        return f"<sealed test split: {object.__getattribute__(self, '_name')}>"


def seal_test_split(split: Split) -> Split:
    """The same split with its test features, rows and labels replaced by guards.

    The training and validation parts are the same objects, so sealing copies nothing.
    """
    return dataclasses.replace(
        split,
        test_features=SealedTestPart("test_features"),  # type: ignore[arg-type]
        test_rows=SealedTestPart("test_rows"),  # type: ignore[arg-type]
        y_test=SealedTestPart("y_test"),  # type: ignore[arg-type]
    )
