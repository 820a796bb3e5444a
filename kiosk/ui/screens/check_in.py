"""Check in: name, date of birth, and the procedure the patient is here for."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QVBoxLayout, QWidget

from kiosk.content.catalogue import Catalogue
from kiosk.intake.records import Problem
from kiosk.intake.service import IntakeService
from kiosk.intake.session import NAME_MAX_LENGTH
from kiosk.ui import accessibility
from kiosk.ui.screens.base import Screen
from kiosk.ui.touch import CardButton, CardGrid, ChoiceButton, MessageLine, label
from kiosk.ui.widgets.date_field import DateField

TYPICAL_BIRTH_YEAR = 1970


class CheckInScreen(Screen):
    def __init__(self, service: IntakeService, t: Catalogue) -> None:
        super().__init__(service.session, t)
        self.service = service
        session = service.session
        self.body.addWidget(label(t("checkin_heading"), "Heading"))
        self.errors: dict[str, QWidget] = {}
        self.fields: dict[str, QWidget] = {}

        self.first_name = self._name_field("first_name", t("label_first_name"))
        self.last_name = self._name_field("last_name", t("label_last_name"))
        self.first_name.setText(session.patient.first_name)
        self.last_name.setText(session.patient.last_name)
        for edit in (self.first_name, self.last_name):
            edit.textChanged.connect(self._on_name_changed)
            edit.editingFinished.connect(service.leave_field)

        today = session.now().date()
        self.body.addWidget(label(t("label_birth_date"), "FieldLabel"))
        # the year panel opens on the 1970s: most patients of a pain clinic were born
        # within a panel of them (1930 to 2010 a short drag either way)
        self.birth = DateField(t, today.year - 120, today.year, typical_year=TYPICAL_BIRTH_YEAR)
        p = session.patient
        self.birth.set_value(p.birth_year, p.birth_month, p.birth_day)
        self.birth.changed.connect(self._on_birth_changed)
        self.body.addWidget(self.birth)
        self._error_line("birth_date", self.birth)

        # today's appointment, when the list has this patient: its procedure in plain
        # words (never a name from the list), Yes or No
        self.appointment = QWidget()
        box = QVBoxLayout(self.appointment)
        box.setContentsMargins(0, 0, 0, 0)
        self.appointment_heading = label(t("checkin_appointment_found"), "FieldLabel")
        self.appointment_words = label("", "SubHeading")
        self.appointment_question = label(t("checkin_appointment_question"), "Body")
        self.appointment_yes = ChoiceButton(t("checkin_appointment_yes"))
        self.appointment_no = ChoiceButton(t("checkin_appointment_no"))
        self.appointment_yes.chosen.connect(lambda _=False: self._on_appointment_answer(True))
        self.appointment_no.chosen.connect(lambda _=False: self._on_appointment_answer(False))
        for widget in (self.appointment_heading, self.appointment_words,
                       self.appointment_question, self.appointment_yes, self.appointment_no):
            box.addWidget(widget)
        self.body.addWidget(self.appointment)

        self.procedure_prompt = label(t("checkin_procedure_prompt"), "FieldLabel")
        self.body.addWidget(self.procedure_prompt)
        self.cards: dict[str, CardButton] = {}
        group = QButtonGroup(self)
        for procedure in session.content.procedures:
            text = procedure.text(session.language)
            card = CardButton(text.title, text.card)
            card.setChecked(procedure.id == p.procedure_id)
            card.chosen.connect(lambda on, pid=procedure.id: on and self._on_card(pid))
            group.addButton(card)
            self.cards[procedure.id] = card
        # the message above the cards, not below twelve of them: in view when it shows
        self._error_line("procedure", next(iter(self.cards.values())))
        self.card_grid = CardGrid(list(self.cards.values()))
        self.body.addWidget(self.card_grid)
        self._show_appointment()
        self.finish_layout()

    def _show_appointment(self) -> None:
        """The appointment panel or the procedure cards, as today's list says."""
        session = self.service.session
        found = session.look_up_appointment()
        confirmed = found is not None and session.appointment_confirmed
        self.appointment.setVisible(found is not None)
        if found is not None:
            self.appointment_words.setText(session.appointment_words())
            self.appointment_question.setText(self.t(
                "checkin_appointment_confirmed" if confirmed else "checkin_appointment_question"))
        for widget in (self.appointment_yes, self.appointment_no):
            widget.setVisible(found is not None and not confirmed)
        self.procedure_prompt.setVisible(found is None)
        self.card_grid.setVisible(found is None)
        for pid, card in self.cards.items():
            card.show_answer(pid == session.patient.procedure_id)

    def _on_card(self, procedure_id: str) -> None:
        self.service.choose_procedure(procedure_id)
        self._clear("procedure")
        self.changed.emit()  # the explanation's first page can be readied

    def _on_appointment_answer(self, yes: bool) -> None:
        session = self.service.session
        session.confirm_appointment(yes)
        if yes:  # written like a tap on its card (the schedule's area answer with it)
            self.service.choose_procedure(session.patient.procedure_id)
        self._clear("procedure")
        self._show_appointment()
        self.changed.emit()

    def _name_field(self, key: str, text: str) -> QLineEdit:
        self.body.addWidget(label(text, "FieldLabel"))
        edit = QLineEdit()
        edit.setAccessibleName(text)
        edit.setMaxLength(NAME_MAX_LENGTH)
        edit.setProperty("capitalizeWords", True)
        edit.setPlaceholderText(self.t("type_here"))
        self.body.addWidget(edit)
        self._error_line(key, edit)
        return edit

    def _error_line(self, key: str, field: QWidget) -> None:
        error = MessageLine()
        error.hide()
        self.body.addWidget(error)
        self.errors[key] = error
        self.fields[key] = field

    def _on_name_changed(self) -> None:
        assert self.session is not None
        self.service.set_name(self.first_name.text(), self.last_name.text())
        accessibility.count_activity(self)  # text set through the accessibility tree too
        self._show_appointment()
        if self.session.patient.first_name:
            self._clear("first_name")
        if self.session.patient.last_name:
            self._clear("last_name")

    def _on_birth_changed(self, year: int | None, month: int | None, day: int | None) -> None:
        assert self.session is not None
        self.service.set_birth(year, month, day)
        self._show_appointment()
        self._clear("birth_date")
        self.birth.set_invalid(False)

    def _clear(self, key: str) -> None:
        """The problem with ``key`` is fixed: its message goes, and the banner with the last."""
        self.errors[key].hide()
        self._describe(key, "")
        self.refresh_banner()

    def _describe(self, key: str, problem: str) -> None:
        """The problem is in the description of the field's controls (what a screen reader
        says after the name), and their state is invalid."""
        field = self.fields[key]
        if key == "birth_date":
            controls: list[QWidget] = [self.birth.month, self.birth.day, self.birth.year]
        elif key == "procedure":
            controls = list(self.cards.values())
        else:
            controls = [field]
        for control in controls:
            own = control.property("kioskDescription")
            if own is None:
                own = control.accessibleDescription()
                control.setProperty("kioskDescription", own)
            control.setAccessibleDescription(f"{own} — {problem}" if own and problem
                                             else problem or own)
            control.setProperty("invalid", bool(problem))

    def reveal(self, widget: QWidget) -> None:
        """Bring ``widget`` into view with its message (below a field, above the cards)."""
        super().reveal(widget)
        for key, field in self.fields.items():
            if field is widget and self.errors[key].isVisible():
                super().reveal(self.errors[key])

    def show_problems(self, problems: Sequence[Problem]) -> QWidget | None:
        super().show_problems(problems)
        first: QWidget | None = None
        for key, error in self.errors.items():
            found = [p for p in problems if p.field == key]
            error.setVisible(bool(found))
            self._describe(key, self.message(found[0]) if found else "")
            if found:
                error.setText(self.message(found[0]))
                first = first or self.fields[key]
        self.birth.set_invalid(any(p.field == "birth_date" for p in problems))
        return first


if __name__ == "__main__":
    from kiosk.ui.preview import preview_screen

    preview_screen(lambda service, t: CheckInScreen(service, t))
