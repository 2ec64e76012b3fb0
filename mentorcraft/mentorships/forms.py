from __future__ import annotations

from django import forms

from mentorcraft.people.models import User


class ManualMatchForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=User.objects.none())
    mentee = forms.ModelChoiceField(queryset=User.objects.none())
    note = forms.CharField(required=False, max_length=240, label="Why this pair (for the record)")
    confirm = forms.BooleanField(
        required=False, label="I have read the warnings and want to make this pair anyway"
    )

    def __init__(self, *args, mentors, mentees, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors
        self.fields["mentee"].queryset = mentees
        for name in ("mentor", "mentee"):
            self.fields[name].label_from_instance = lambda u: u.display_name
