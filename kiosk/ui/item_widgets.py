"""Widgets for questionnaire items, one class per presentation kind.

:func:`kiosk.questionnaire.presentation.present` decides the kind (so the load report
says exactly what the screen does); each widget shows one item and records its answers
on the :class:`AnswerSheet`. Widgets never decide what is enabled or valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.questionnaire import AnswerSheet, AnswerValue, Attachment, Coding, Item, Quantity
from kiosk.questionnaire.instances import Path
from kiosk.questionnaire.presentation import present
from kiosk.questionnaire.values import DateTime, Time
from kiosk.strings import Catalogue
from kiosk.ui.date_field import ChoicePicker, DateField, TimeField
from kiosk.ui.touch import ChoiceButton, button, label


class ItemWidget(QWidget):
    """One item: its text, its control, its error line, and its nested items."""

    answered = Signal(str, object)  # linkId, set of linkIds whose enabled state changed

    def __init__(self, item: Item, sheet: AnswerSheet, t: Catalogue, path: Path = ()) -> None:
        super().__init__()
        self.item = item
        self.sheet = sheet
        self.t = t
        self.path = path  # the instance of the repeating groups around the item
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 8, 0, 8)
        self.layout_.setSpacing(10)
        self.error = label("", "Error")
        self.error.hide()

    def commit(self, values: list[AnswerValue], resync: bool = True) -> None:
        changed = self.sheet.set(self.item.link_id, values, self.path)
        self.clear_error()
        if resync:
            self.sync()
        self.answered.emit(self.item.link_id, changed)

    def current(self) -> list[AnswerValue]:
        return self.sheet.get(self.item.link_id, self.path)

    def sync(self) -> None:
        """Show the sheet's current answer (after exclusive options, a revisit)."""

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()


class QuestionWidget(ItemWidget):
    """Common frame for questions: label, hint, control, error."""

    def __init__(self, item: Item, sheet: AnswerSheet, t: Catalogue, path: Path = ()) -> None:
        super().__init__(item, sheet, t, path)
        text = f"{item.prefix} {item.text}".strip() if item.prefix else item.text
        self.question = label(text or item.fhir_link_id, "Question")
        self.question.setAccessibleName(text or item.fhir_link_id)
        self.layout_.addWidget(self.question)
        if item.repeats and item.options:
            self.layout_.addWidget(label(t("choose_all"), "Muted"))
        self.build_control()
        self.layout_.addWidget(self.error)
        self.sync()
        if item.read_only or item.calculated_expression:  # the form fills these in
            for child in self.findChildren(QWidget):
                if child is not self.question:
                    child.setEnabled(False)

    def build_control(self) -> None:
        """Subclasses add their answer control to ``layout_`` here."""


class BooleanWidget(QuestionWidget):
    def build_control(self) -> None:
        row = QHBoxLayout()
        self.buttons: dict[bool, ChoiceButton] = {}
        for value, text in ((True, self.t("yes")), (False, self.t("no"))):
            choice = ChoiceButton(text)
            choice.setAccessibleDescription(self.item.text)
            choice.clicked.connect(lambda checked, v=value: self.commit([v] if checked else []))
            self.buttons[value] = choice
            row.addWidget(choice)
        self.layout_.addLayout(row)

    def sync(self) -> None:
        current = self.current()
        for value, choice in self.buttons.items():
            choice.setChecked(value in current)


class ChoiceWidget(QuestionWidget):
    """answerOption rows (radio or check-box; drop-down and autocomplete too: on a touch
    screen a list of large buttons is the easier control). Open-choice adds a text field."""

    def build_control(self) -> None:
        grid = QGridLayout()
        grid.setSpacing(10)
        self.buttons: list[tuple[AnswerValue, ChoiceButton]] = []
        options = self.item.options
        if self.item.choice_orientation == "horizontal" and len(options) <= 5:
            columns = max(1, len(options))
        elif self.item.choice_orientation == "vertical":
            columns = 1
        else:
            columns = 2 if len(options) > 3 else 1
        for index, option in enumerate(options):
            choice = ChoiceButton(option.display)
            choice.setAccessibleDescription(self.item.text)
            choice.clicked.connect(lambda checked, v=option.value: self._on_clicked(v, checked))
            self.buttons.append((option.value, choice))
            grid.addWidget(choice, index // columns, index % columns)  # reading order
        self.layout_.addLayout(grid)
        self.other: QLineEdit | None = None
        if self.item.type == "open-choice":
            self.other = QLineEdit()
            self.other.setPlaceholderText(self.t("other_answer"))
            self.other.setAccessibleName(self.t("other_answer"))
            self.other.textChanged.connect(self._on_other_text)
            self.layout_.addWidget(self.other)

    def _option_values(self) -> list[AnswerValue]:
        return [value for value, _ in self.buttons]

    def _on_clicked(self, value: AnswerValue, checked: bool) -> None:
        current = self.current()
        if self.item.repeats:
            current = [v for v in current if v != value] + ([value] if checked else [])
        else:
            current = [value] if checked else []
            if self.other is not None and checked:
                self.other.blockSignals(True)
                self.other.clear()
                self.other.blockSignals(False)
        self.commit(current)

    def _on_other_text(self, text: str) -> None:
        typed = text.strip()
        options = self._option_values()
        kept = [v for v in self.current() if v in options] if self.item.repeats else []
        self.commit(kept + ([typed] if typed else []), resync=not typed)
        if typed and not self.item.repeats:
            for _, choice in self.buttons:
                choice.setChecked(False)

    def sync(self) -> None:
        current = self.current()
        for value, choice in self.buttons:
            choice.setChecked(value in current)
        if self.other is not None:
            free = [v for v in current if isinstance(v, str) and v not in self._option_values()]
            text = free[0] if free else ""
            if self.other.text().strip() != text:
                self.other.blockSignals(True)
                self.other.setText(text)
                self.other.blockSignals(False)


class ScaleWidget(QuestionWidget):
    """An integer from a short range (a 0-10 pain score) as a row of number buttons."""

    def build_control(self) -> None:
        low, high = int(self.item.min_value or 0), int(self.item.max_value or 10)
        step = max(1, int(self.item.slider_step or 1))
        row = QHBoxLayout()
        row.setSpacing(6)
        self.buttons: dict[int, QPushButton] = {}
        for number in range(low, high + 1, step):
            key = button(str(number), "Number", accessible=f"{number}")
            key.setCheckable(True)
            key.clicked.connect(lambda checked, n=number: self.commit([n] if checked else []))
            self.buttons[number] = key
            row.addWidget(key)
        self.layout_.addLayout(row)
        anchors = QHBoxLayout()
        for child in self.item.items:
            if child.type == "display" and child.item_control in ("lower", "upper"):
                anchor = label(child.text, "Muted")
                if child.item_control == "upper":
                    anchor.setAlignment(Qt.AlignmentFlag.AlignRight)
                anchors.addWidget(anchor)
        self.layout_.addLayout(anchors)

    def sync(self) -> None:
        current = self.current()
        for number, key in self.buttons.items():
            key.setChecked(number in current)


class TextWidget(QuestionWidget):
    """Free text or a number, typed on the on-screen keyboard."""

    def build_control(self) -> None:
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.item.entry_format or self.t("type_here"))
        self.edit.setAccessibleName(self.item.text or self.item.fhir_link_id)
        if self.item.max_length:
            self.edit.setMaxLength(int(self.item.max_length))
        self._convert: Callable[[str], AnswerValue] = str
        if self.item.type == "integer":
            self.edit.setValidator(QIntValidator(self.edit))
            self.edit.setProperty("digitsOnly", True)
            self._convert = int
        elif self.item.type == "decimal":
            self.edit.setValidator(QDoubleValidator(self.edit))
            self.edit.setProperty("digitsOnly", True)
            self.edit.setProperty("decimal", True)
            self._convert = float
        self.edit.textChanged.connect(self._on_text_changed)
        self.layout_.addWidget(self.edit)

    def _on_text_changed(self, text: str) -> None:
        text = text.strip()
        try:
            values = [self._convert(text)] if text else []
        except ValueError:
            values = []
        self.commit(values, resync=False)

    def sync(self) -> None:
        current = self.current()
        text = _plain(current[0]) if current else ""
        if self.edit.text() != text:
            self.edit.blockSignals(True)
            self.edit.setText(text)
            self.edit.blockSignals(False)


class RepeatingTextWidget(QuestionWidget):
    """A question that takes several typed answers: one field each, add and remove."""

    def build_control(self) -> None:
        self.rows_layout = QVBoxLayout()
        self.layout_.addLayout(self.rows_layout)
        self.edits: list[QLineEdit] = []
        self.add_button = button(self.t("add_answer"), "Quiet")
        self.add_button.clicked.connect(self.on_add)
        self.layout_.addWidget(self.add_button)

    def _convert(self, text: str) -> AnswerValue | None:
        try:
            if self.item.type == "integer":
                return int(text)
            if self.item.type == "decimal":
                return float(text)
        except ValueError:
            return None
        return text

    def _new_row(self, text: str) -> None:
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        edit = QLineEdit(text)
        edit.setPlaceholderText(self.item.entry_format or self.t("type_here"))
        edit.setAccessibleName(self.item.text or self.item.fhir_link_id)
        if self.item.type == "integer":
            edit.setValidator(QIntValidator(edit))
            edit.setProperty("digitsOnly", True)
        elif self.item.type == "decimal":
            edit.setValidator(QDoubleValidator(edit))
            edit.setProperty("digitsOnly", True)
            edit.setProperty("decimal", True)
        if self.item.max_length:
            edit.setMaxLength(int(self.item.max_length))
        edit.textChanged.connect(self._on_text_changed)
        remove = button("✕", "Quiet", accessible=self.t("remove_this"))
        remove.clicked.connect(lambda: self.on_remove(row, edit))
        line.addWidget(edit, 1)
        line.addWidget(remove)
        self.rows_layout.addWidget(row)
        self.edits.append(edit)

    def on_add(self) -> None:
        self._new_row("")
        self.edits[-1].setFocus()

    def on_remove(self, row: QWidget, edit: QLineEdit) -> None:
        if len(self.edits) == 1:
            edit.clear()
            return
        self.edits.remove(edit)
        row.hide()
        row.deleteLater()
        self._on_text_changed()

    def _on_text_changed(self, *_: object) -> None:
        values = [self._convert(e.text().strip()) for e in self.edits if e.text().strip()]
        self.commit([v for v in values if v is not None], resync=False)

    def sync(self) -> None:
        if self.edits:
            return  # the fields are the source while they exist
        for value in self.current() or [""]:
            self._new_row(_plain(value) if value != "" else "")


def _plain(value: AnswerValue) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Coding):
        return value.display or value.code
    return str(value)


class QuantityWidget(TextWidget):
    """A number and its unit: a label for one unit, a picker when the form offers several."""

    def build_control(self) -> None:
        super().build_control()
        self.edit.setValidator(QDoubleValidator(self.edit))
        self.edit.setProperty("digitsOnly", True)
        self.edit.setProperty("decimal", True)
        self.unit: ChoicePicker | None = None
        units = self.item.units
        if len(units) > 1:
            self.unit = ChoicePicker(self.t("unit"), [u.display or u.code for u in units], 3)
            self.unit.set_current_index(0, notify=False)
            self.unit.chosen.connect(lambda _index: self._on_text_changed(self.edit.text()))
            self.layout_.addWidget(self.unit)
        elif units:
            self.layout_.addWidget(label(units[0].display or units[0].code, "Muted"))

    def _chosen_unit(self) -> Coding | None:
        if not self.item.units:
            return None
        index = self.unit.current_index() if getattr(self, "unit", None) is not None else 0
        return self.item.units[max(index, 0)]

    def _on_text_changed(self, text: str) -> None:
        try:
            number = float(text.strip()) if text.strip() else None
        except ValueError:
            number = None
        values: list[AnswerValue] = []
        if number is not None:
            unit = self._chosen_unit() or Coding("", "")
            values = [Quantity(number, unit.display or unit.code, unit.system, unit.code)]
        self.commit(values, resync=False)

    def sync(self) -> None:
        current = self.current()
        quantity = current[0] if current and isinstance(current[0], Quantity) else None
        text = _plain(quantity.value) if quantity and quantity.value is not None else ""
        if self.edit.text() != text:
            self.edit.blockSignals(True)
            self.edit.setText(text)
            self.edit.blockSignals(False)
        if quantity is not None and getattr(self, "unit", None) is not None:
            codes = [u.code for u in self.item.units]
            if quantity.code in codes:
                self.unit.set_current_index(codes.index(quantity.code), notify=False)


class DateWidget(QuestionWidget):
    def build_control(self) -> None:
        today = dt.date.today()
        first = _year(self.item.min_value) or today.year - 120
        last = _year(self.item.max_value) or today.year + 10
        self.field = DateField(self.t, first, last)
        self.field.changed.connect(self._on_date)
        self.layout_.addWidget(self.field)

    def _date(self) -> dt.date | None:
        year, month, day = self.field.value()
        try:
            return dt.date(year, month, day) if year and month and day else None
        except ValueError:
            return None  # 31 February: the screen asks again on Next (required) or keeps none

    def _on_date(self, *_: object) -> None:
        picked = self._date()
        self.commit([picked] if picked else [], resync=False)

    def sync(self) -> None:
        current = self.current()
        if current and isinstance(current[0], dt.date):
            self.field.set_value(current[0].year, current[0].month, current[0].day)


def _year(limit: AnswerValue | None) -> int | None:
    if isinstance(limit, dt.date):
        return limit.year
    if isinstance(limit, str) and limit[:4].isdigit():
        return int(limit[:4])
    return None


class TimeWidget(QuestionWidget):
    def build_control(self) -> None:
        self.field = TimeField(self.t)
        self.field.changed.connect(self._on_time)
        self.layout_.addWidget(self.field)

    def _on_time(self, hour: int | None, minute: int | None) -> None:
        if hour is None or minute is None:
            self.commit([], resync=False)
            return
        self.commit([Time(f"{hour:02d}:{minute:02d}:00")], resync=False)

    def sync(self) -> None:
        current = self.current()
        if current and isinstance(current[0], str) and len(current[0]) >= 5:
            self.field.set_value(int(current[0][:2]), int(current[0][3:5]))


class DateTimeWidget(DateWidget):
    """A date and a time, stored as a local dateTime with its offset."""

    def build_control(self) -> None:
        super().build_control()
        self.time = TimeField(self.t)
        self.time.changed.connect(self._on_date)
        self.layout_.addWidget(self.time)

    def _on_date(self, *_: object) -> None:
        day = self._date()
        hour, minute = self.time.value() if hasattr(self, "time") else (None, None)
        if day is None or hour is None or minute is None:
            self.commit([], resync=False)
            return
        moment = dt.datetime(day.year, day.month, day.day, hour, minute).astimezone()
        self.commit([DateTime(moment.isoformat(timespec="seconds"))], resync=False)

    def sync(self) -> None:
        current = self.current()
        if current and isinstance(current[0], str) and len(current[0]) >= 16:
            try:
                moment = dt.datetime.fromisoformat(current[0])
            except ValueError:
                return
            self.field.set_value(moment.year, moment.month, moment.day)
            self.time.set_value(moment.hour, moment.minute)


class NoticeWidget(QuestionWidget):
    """Items the kiosk cannot take an answer for: said plainly, never a crash."""

    def build_control(self) -> None:
        self.layout_.addWidget(label(self.t("unsupported_item"), "Notice"))


class AttachmentWidget(QuestionWidget):
    """A photo or file from disk where files are allowed (the form runner); on the patient
    tablet, a plain note that files cannot be added there."""

    allow_files = False

    def build_control(self) -> None:
        if not self.allow_files:
            self.layout_.addWidget(label(self.t("attachment_unavailable"), "Notice"))
            return
        self.choose = button(self.t("choose_file"))
        self.choose.clicked.connect(self.on_choose)
        self.status = label("", "Muted")
        self.layout_.addWidget(self.choose)
        self.layout_.addWidget(self.status)

    def on_choose(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, self.t("choose_file"), "", options=QFileDialog.Option.DontUseNativeDialog)
        if path:
            self.attach_file(path)

    def attach_file(self, path: str) -> bool:
        """Read ``path`` into the answer; says what is wrong when it cannot."""
        import base64
        import mimetypes
        from pathlib import Path as FilePath

        file = FilePath(path)
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        allowed = self.item.mime_types
        if allowed and not any(content_type == a or (a.endswith("/*") and
                               content_type.startswith(a[:-1])) for a in allowed):
            self.show_error(self.t("file_wrong_type", types=", ".join(allowed)))
            return False
        try:
            data = file.read_bytes()
        except OSError:
            self.show_error(self.t("file_unreadable"))
            return False
        if self.item.max_size is not None and len(data) > self.item.max_size:
            self.show_error(self.t("file_too_large", limit=_size(self.item.max_size)))
            return False
        attachment = Attachment(content_type, base64.b64encode(data).decode("ascii"), file.name,
                                len(data))
        self.commit([attachment])
        return True

    def sync(self) -> None:
        if not self.allow_files:
            return
        current = self.current()
        if current and isinstance(current[0], Attachment):
            self.status.setText(self.t("file_attached", name=current[0].title,
                                       size=_size(current[0].size)))
        else:
            self.status.setText("")


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{max(1, count // 1000)} kB"


class ReferenceWidget(TextWidget):
    """A reference typed as text, with a line saying that no record look-up happens."""

    def build_control(self) -> None:
        super().build_control()
        self.layout_.addWidget(label(self.t("reference_hint"), "Muted"))


class DisplayWidget(ItemWidget):
    def __init__(self, item: Item, sheet: AnswerSheet, t: Catalogue, help_text: bool,
                 path: Path = ()) -> None:
        super().__init__(item, sheet, t, path)
        if help_text:
            self.layout_.addWidget(label(f"ⓘ {item.text}", "Muted"))
        else:
            name = "Notice" if item.display_category == "instructions" else "Body"
            self.layout_.addWidget(label(item.text, name))


class GroupWidget(ItemWidget):
    def __init__(self, item: Item, sheet: AnswerSheet, t: Catalogue, top: bool,
                 path: Path = (), heading: str | None = None) -> None:
        super().__init__(item, sheet, t, path)
        text = heading if heading is not None else item.text
        if text and not top:
            self.layout_.addWidget(label(text, "SubHeading"))


class _FileAttachmentWidget(AttachmentWidget):
    allow_files = True


_QUESTION_WIDGETS: dict[str, type[QuestionWidget]] = {
    "boolean": BooleanWidget,
    "choice": ChoiceWidget,
    "open-choice": ChoiceWidget,
    "scale": ScaleWidget,
    "number": TextWidget,
    "text": TextWidget,
    "long-text": TextWidget,
    "date": DateWidget,
    "datetime": DateTimeWidget,
    "time": TimeWidget,
    "quantity": QuantityWidget,
    "attachment": AttachmentWidget,
    "reference": ReferenceWidget,
    "unsupported": NoticeWidget,
}


def build_item_widget(
    item: Item, sheet: AnswerSheet, t: Catalogue, top: bool = False, path: Path = (),
    allow_files: bool = False,
) -> ItemWidget:
    """The widget for ``item`` at ``path`` (its nested items are added by the page).

    ``allow_files``: attachment items may take a file (never on the patient tablet).
    """
    kind = present(item).kind
    if kind == "attachment":
        widget_class = AttachmentWidget if not allow_files else _FileAttachmentWidget
        return widget_class(item, sheet, t, path)
    if kind == "group":
        return GroupWidget(item, sheet, t, top, path)
    if item.repeats and kind in ("text", "long-text", "number"):
        return RepeatingTextWidget(item, sheet, t, path)
    if kind in ("display", "help"):
        return DisplayWidget(item, sheet, t, kind == "help", path)
    return _QUESTION_WIDGETS[kind](item, sheet, t, path)


def is_anchor(item: Item) -> bool:
    """Display items that a scale shows as its end labels."""
    return item.type == "display" and item.item_control in ("lower", "upper")
