"""A lesson on the learner's own images (MNIST, say) instead of the built-in digits.

The lessons are written for scikit-learn's 8x8 digits, which train in seconds. A learner who
has opened MNIST (or any one-channel images in ten classes) can run them on it: the lesson's
data become theirs, with the lesson's own training-subset limit kept when it has one and at
most `OWN_DATA_TRAIN_LIMIT` training samples otherwise, so the lesson keeps its minutes on
784 pixels. The lesson's points were written for the digits; on other data a point that does
not hold says so, with the numbers, like any other.
"""

from __future__ import annotations

from pathlib import Path

from workbench.config import DataConfig
from workbench.i18n import _
from workbench.lessons.model import Lesson

# About the digits' own 1,077 training samples: with 28x28 images a sample costs ~12 times
# an 8x8 one, and the lessons' longest runs (200 epochs) still end within their minutes.
OWN_DATA_TRAIN_LIMIT = 1_000


def own_data_problem(
    image_shape: tuple[int, int, int] | None, n_classes: int, name: str
) -> str | None:
    """Why a dataset cannot stand in for the digits (None: it can).

    The lessons' models and checks are about digit images: one channel, ten classes.
    """
    if image_shape is None or image_shape[0] != 1 or n_classes != 10:
        return _(
            "{name}: the lessons run on one-channel images in 10 classes, like the digits "
            "(MNIST, Fashion-MNIST, KMNIST)"
        ).format(name=name)
    return None


def on_own_data(lesson: Lesson, data: DataConfig) -> Lesson:
    """The lesson with its runs on `data` instead of the built-in digits.

    A lesson that does not train on the digits (a paths lesson) is returned as it is.
    """
    experiment = lesson.experiment
    if experiment is None or experiment.data.source != "digits":
        return lesson
    own = experiment.data.train_limit
    limit = min(own, OWN_DATA_TRAIN_LIMIT) if own else OWN_DATA_TRAIN_LIMIT
    moved = experiment.model_copy(update={"data": data.model_copy(update={"train_limit": limit})})
    return lesson.model_copy(update={"experiment": moved})


def data_name(data: DataConfig) -> str:
    """What the learner calls the data: the folder's or file's name, or the built-in set's."""
    return Path(data.path).name if data.path else data.source


def used_data(lesson: Lesson) -> str | None:
    """The line a lesson's results begin with: which data its runs used (None: no runs)."""
    experiment = lesson.experiment
    if experiment is None:
        return None
    data = experiment.data
    if data.source == "digits":
        return _("Run on the built-in digits (8x8).")
    return _("Run on {name}, your data: at most {limit} training samples.").format(
        name=data_name(data), limit=f"{data.train_limit:,}"
    )
