from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def form_add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's validation errors on the form that was submitted, field by field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target if field != NON_FIELD_ERRORS else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO 8601, whatever the site's locale."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class InZoneForm(forms.Form):
    """A date and a time read in the person's own time zone (meetings, sessions)."""

    date = forms.DateField(widget=DateInput())
    time = forms.TimeField(widget=TimeInput(), label="Time")

    def __init__(self, *args, zone: zoneinfo.ZoneInfo, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["time"].label = f"Time ({zone.key.replace('_', ' ')})"

    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(
            self.cleaned_data["date"], self.cleaned_data["time"], tzinfo=self.zone
        )
