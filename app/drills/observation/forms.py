"""The fixed part of the observation form."""

from __future__ import annotations

from wtforms import HiddenField
from wtforms.validators import DataRequired, Length

from ..common.forms import TokenForm


class ObservationForm(TokenForm):
    """The fixed part of an observation; the per-item marks are read by the route (one radio
    group ``mark-<item id>`` and one ``note-<item id>`` per item)."""

    version = HiddenField(validators=[DataRequired(), Length(max=64)])
