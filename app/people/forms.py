"""Forms of the people admin pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.ui.validators import PlainText

ROLE_CHOICES = [
    ("trainee", _l("Trainee")),
    ("supervisor", _l("Supervisor")),
    ("hr", _l("HR")),
    ("admin", _l("Administrator")),
]


def coerce_optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class EmployeeForm(FlaskForm):
    employee_no = StringField(
        _l("Employee number"),
        validators=[DataRequired(), Length(max=32),
                    Regexp(r"^[A-Za-z0-9_-]+$", message=_l("Letters, digits, - and _ only."))],
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64), PlainText()])
    department_id = SelectField(_l("Department"), coerce=coerce_optional_int, validators=[Optional()])
    team_id = SelectField(_l("Team"), coerce=coerce_optional_int, validators=[Optional()])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=64), PlainText()])
    hire_date = DateField(_l("Hire date"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class NewEmployeeForm(EmployeeForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default="trainee")
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=256)])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    #: "yes" only on the confirmation page's form: a role change always takes two steps
    confirm = HiddenField()
    submit = SubmitField(_l("Change role"))


class ActiveForm(FlaskForm):
    submit = SubmitField(_l("Apply"))


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=64), PlainText()])
    department_id = SelectField(_l("Department"), coerce=int, validators=[DataRequired()])
    leader_id = SelectField(_l("Leader"), coerce=coerce_optional_int, validators=[Optional()])
    submit = SubmitField(_l("Save"))


class DepartmentForm(FlaskForm):
    name = StringField(_l("Department name"), validators=[DataRequired(), Length(max=64), PlainText()])
    submit = SubmitField(_l("Add department"))
