"""The Lessons tab: the chapter's experiments as guided lessons, and what the learner's runs show.

A list of the lessons; the chosen one's text and what to notice; Run lesson (its runs trained
in the window, with the live curves), a progress bar, Stop; and, when its runs are done, each
check's sentence with the learner's own numbers. Open in form puts the lesson's experiment in
the form, to go on from it. The panel only shows: ui/lessons_view.py runs the lessons.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.lessons.checks import CheckOutcome
from workbench.lessons.model import Lesson, paragraphs

_NAME_ROLE = Qt.ItemDataRole.UserRole


class _WrappedTitles(QStyledItemDelegate):
    """Lesson titles wrapped, and painted at the width their height was measured at.

    Qt's own delegate measures a wrapped item at a slightly wider width than it paints it,
    so at some list widths a title was cut ("Epochs and early …") above an empty line.
    """

    _PAD = 3  # pixels around the text

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        width = view.viewport().width() if view is not None else option.rect.width()
        return max(40, width - 2 * view.spacing() - 2 * self._PAD)

    def sizeHint(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        width = self._text_width(option)
        bounds = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(width + 2 * self._PAD, bounds.height() + 2 * self._PAD)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        styled = QStyleOptionViewItem(option)
        self.initStyleOption(styled, index)
        text, styled.text = styled.text, ""
        widget = styled.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, styled, painter, widget)
        selected = bool(styled.state & QStyle.StateFlag.State_Selected)
        enabled = bool(styled.state & QStyle.StateFlag.State_Enabled)
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(styled.palette.color(group, role))
        box = styled.rect.adjusted(self._PAD, self._PAD, -self._PAD, -self._PAD)
        flags = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
        painter.drawText(box, flags | int(Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()


class LessonsPanel(QWidget):
    """Lesson list on the left; the chosen lesson, its buttons and its results on the right."""

    run_requested = Signal(str)  # a lesson's name
    open_requested = Signal(str)
    stop_requested = Signal()

    def __init__(self, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lessonsPanel")
        self._language = language
        self._lessons: dict[str, Lesson] = {}
        self._counts: dict[str, int] = {}  # runs (or paths) each lesson makes
        self._checks: list[CheckOutcome] | None = None
        self._data_line = ""  # which data the lesson's runs used, above its checks
        self._note = ""

        self.list = QListWidget(objectName="lessonsList")
        self.list.setMinimumWidth(150)
        # Whole titles, wrapped: a laptop's centre column leaves the list ~180 pixels.
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        # Titles wrapped to the list's width, laid out again when the splitter moves.
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setUniformItemSizes(False)
        self.list.setItemDelegate(_WrappedTitles(self.list))
        self.text = QTextBrowser(objectName="lessonText")
        self.text.setOpenExternalLinks(False)
        self.run_button = QPushButton(self.tr("Run lesson"), objectName="lessonRunButton")
        self.run_button.setToolTip(
            self.tr("Train the lesson's runs here, with the curves live, then say what they show")
        )
        self.stop_button = QPushButton(self.tr("Stop"), objectName="lessonStopButton")
        self.stop_button.setEnabled(False)
        self.open_button = QPushButton(self.tr("Open in form"), objectName="lessonOpenButton")
        self.open_button.setToolTip(
            self.tr("Put the lesson's experiment into the form, to go on from it")
        )
        self.progress = QProgressBar(objectName="lessonProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.state = QLabel(objectName="lessonState")
        self.state.setWordWrap(True)
        # Shown once the learner has opened images a lesson can run on (MNIST, say).
        self.own_data = QCheckBox(objectName="lessonOnOwnData")
        self.own_data.hide()

        buttons = QHBoxLayout()
        for button in (self.run_button, self.stop_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.text, stretch=1)
        right_layout.addWidget(self.own_data)
        right_layout.addLayout(buttons)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(self.state)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([190, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.list.currentItemChanged.connect(lambda *_: self._show())
        self.run_button.clicked.connect(lambda: self._emit_for_current(self.run_requested))
        self.open_button.clicked.connect(lambda: self._emit_for_current(self.open_requested))
        self.stop_button.clicked.connect(self.stop_requested)

    # -- what the view calls -------------------------------------------------------------------
    def set_lessons(self, lessons: Sequence[tuple[str, Lesson]]) -> None:
        """List these (name, lesson) pairs, in their order, and show the first."""
        self._lessons = dict(lessons)
        # Counted once: each count builds the lesson's variants (a paths lesson's: its paths).
        self._counts = {name: lesson.run_count() for name, lesson in lessons}
        self.list.clear()
        for name, lesson in lessons:
            title = lesson.title.in_language(self._language)
            # The topic before the title's colon ("Optimizers"): the whole title is shown
            # beside the list, and whole titles wrapped in a narrow list were cut.
            item = QListWidgetItem(title.split(": ")[0])
            item.setData(_NAME_ROLE, name)
            item.setToolTip(f"{title}\n{self._length(name, lesson)}")
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return item.data(_NAME_ROLE) if item is not None else None

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(_NAME_ROLE) == name:
                self.list.setCurrentRow(row)

    def set_own_data(self, name: str | None, limit: int) -> None:
        """Offer to run the lessons on the learner's images `name` (None: nothing to offer)."""
        if name is None:
            self.own_data.hide()
            self.own_data.setChecked(False)
            return
        self.own_data.setText(
            self.tr("Run on the data you opened ({name}) instead of the digits").format(name=name)
        )
        self.own_data.setToolTip(
            self.tr(
                "At most {limit} training samples, so that a lesson takes about as long as on "
                "the digits. The lessons were written for the digits: on other data a point "
                "may not hold, and the lesson says so, with your numbers."
            ).format(limit=f"{limit:,}")
        )
        if self.own_data.isHidden():
            self.own_data.setChecked(True)  # newly opened: the learner opened it to use it
        self.own_data.show()

    def use_own_data(self) -> bool:
        return self.own_data.isVisibleTo(self) and self.own_data.isChecked()

    def set_running(self, running: bool, steps: int = 1) -> None:
        """A lesson's runs started (`steps` progress units in all) or ended."""
        self.run_button.setEnabled(not running)
        self.open_button.setEnabled(not running)
        self.own_data.setEnabled(not running)
        self.list.setEnabled(not running)
        self.stop_button.setEnabled(running)
        if running:
            self._checks, self._note = None, ""
            self.progress.setRange(0, max(steps, 1))
            self.progress.setValue(0)
            self._show()

    def set_progress(self, value: int, text: str) -> None:
        self.progress.setValue(min(value, self.progress.maximum()))
        self.state.setText(text)

    def show_checks(self, checks: Sequence[CheckOutcome], data_line: str | None = None) -> None:
        """The lesson's runs are done: what each check found, under the text.

        `data_line`: which data the runs used ("Run on the built-in digits (8x8).").
        """
        self._checks, self._data_line = list(checks), data_line or ""
        self.progress.setValue(self.progress.maximum())
        held = sum(check.holds for check in checks)
        self.state.setText(
            self.tr("Done: {held} of {count} of the lesson's points hold on your runs.").format(
                held=held, count=len(checks)
            )
        )
        self._show()

    def show_stopped(self, text: str) -> None:
        """The lesson ended before its checks could be made (stopped, or a run failed)."""
        self._checks, self._note = None, text
        self.state.setText(text)
        self._show()

    def checks(self) -> list[CheckOutcome] | None:
        return list(self._checks) if self._checks is not None else None

    # -- drawing -------------------------------------------------------------------------------
    def _length(self, name: str, lesson: Lesson) -> str:
        runs = self._counts.get(name, 0)
        return self.tr("{runs} run(s), about {minutes} min on a 2-core laptop").format(
            runs=runs, minutes=f"{lesson.minutes:g}"
        )

    def _emit_for_current(self, signal) -> None:
        name = self.current_name()
        if name is not None:
            signal.emit(name)

    def _show(self) -> None:
        name = self.current_name()
        lesson = self._lessons.get(name) if name is not None else None
        if lesson is None:
            self.text.setHtml("")
            return
        language = self._language
        parts = [
            f"<h2>{html.escape(lesson.title.in_language(language))}</h2>",
            f'<p style="color:#555">{html.escape(self._length(name, lesson))}</p>',
        ]
        parts += _paragraphs(lesson.text.in_language(language))
        notice = self.tr("What to notice")
        parts.append(f"<h3>{html.escape(notice)}</h3>")
        parts += _paragraphs(lesson.notice.in_language(language))
        if self._checks is not None:
            shown = self.tr("What your runs show")
            parts.append(f"<h3>{html.escape(shown)}</h3>")
            if self._data_line:
                parts.append(f'<p style="color:#555">{html.escape(self._data_line)}</p>')
            for check in self._checks:
                mark, colour = ("✔", "#1b7f3b") if check.holds else ("✘", "#b00020")
                parts.append(
                    f'<p><b style="color:{colour}">{mark}</b> {html.escape(check.sentence)}</p>'
                )
        self.text.setHtml("\n".join(parts))


def _paragraphs(text: str) -> list[str]:
    return [f"<p>{html.escape(part)}</p>" for part in paragraphs(text)]
