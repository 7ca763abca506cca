"""Forms of the training pages: the shape of input only (rules live in the services)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.timeutil import local_today
from app.training.assignments import MAX_NOTE
from app.ui.validators import PlainText


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes (easier than a multiple select on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class _DueDateMixin:
    def validate_due_date(self, field) -> None:
        if field.data is not None and field.data < local_today():
            raise ValidationError(_l("The due date cannot be in the past."))


class AssignForm(_DueDateMixin, FlaskForm):
    #: ``kind:id`` of a catalog item; the choices (grouped by kind) are filled by the view
    activity = SelectField(_l("Activity"), validators=[DataRequired()])
    teams = MultiCheckboxField(_l("Whole teams"), coerce=int, validate_choice=True)
    employees = MultiCheckboxField(_l("Employees"), coerce=int, validate_choice=True)
    due_date = DateField(_l("Due date"), validators=[DataRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_NOTE), PlainText(multiline=True)])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not (self.teams.data or self.employees.data):
            self.employees.errors.append(_l("Choose at least one team or employee."))
            return False
        return ok


class PlanItemForm(_DueDateMixin, FlaskForm):
    """Add an item to an employee's onboarding plan."""

    activity = SelectField(_l("Activity"), validators=[DataRequired()])
    due_date = DateField(_l("Due date"), validators=[DataRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_NOTE), PlainText(multiline=True)])


class DueDateForm(FlaskForm):
    """Move one assignment's due date (a past date is allowed: it records reality)."""

    due_date = DateField(_l("Due date"), validators=[DataRequired()])


class ConfirmForm(FlaskForm):
    """A bare POST (CSRF only): cancel an assignment, make a plan."""


class RefresherForm(FlaskForm):
    lesson_id = HiddenField(validators=[DataRequired(), Length(max=64)])
    threshold = IntegerField(validators=[Optional(), NumberRange(min=1, max=100)])


class MarkReadForm(FlaskForm):
    #: empty: mark every notification read
    notification_id = IntegerField(validators=[Optional(), NumberRange(min=1)])
