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


class GoalForm(forms.Form):
    title = forms.CharField(max_length=200, label="What you want to be able to do")
    why = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Why it matters now"
    )
    measure = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="How you will both know you got there",
    )
    target_date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="By when"
    )
    start_rating = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        label="Where you are today, 1 (not at all) to 5 (there)",
        widget=forms.RadioSelect,
    )
