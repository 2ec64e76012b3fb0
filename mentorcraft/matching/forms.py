from __future__ import annotations

from django import forms

from mentorcraft.matching.models import WEIGHT_KEYS, Mode
from mentorcraft.people.models import User

WEIGHT_LABELS = {
    "topics": "Shared topics",
    "preferences": "Stated preferences",
    "experience": "Experience gap",
    "languages": "Shared languages",
    "timezone": "Time-zone overlap",
    "availability": "Time available",
}


class RunForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices, widget=forms.RadioSelect, initial=Mode.OPTIMAL)

    def __init__(self, *args, weights: dict[str, float], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for key in WEIGHT_KEYS:
            self.fields[f"w_{key}"] = forms.FloatField(
                label=WEIGHT_LABELS[key],
                min_value=0,
                max_value=10,
                initial=weights[key],
                widget=forms.NumberInput(attrs={"step": "0.5", "class": "narrow"}),
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"w_{key}"] for key in WEIGHT_KEYS]

    def weights(self) -> dict[str, float]:
        return {key: self.cleaned_data[f"w_{key}"] for key in WEIGHT_KEYS}


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
