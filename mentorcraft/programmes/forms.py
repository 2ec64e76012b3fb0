from __future__ import annotations

from django import forms

from mentorcraft.core.forms import DateInput
from mentorcraft.people.models import Topic, User
from mentorcraft.people.widgets import PersonField, PickerFormMixin
from mentorcraft.programmes.models import ApplicationStatus, IdealMentorCriterion, Programme, Role


class ProgrammeForm(forms.ModelForm):
    # The same limit as the API's (ProgrammeIn.purpose).
    purpose = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=Programme._meta.get_field("purpose").help_text,
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "purpose",
            "start_date",
            "end_date",
            "meeting_minutes",
            "meeting_cadence_days",
            "mentor_capacity_default",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "meeting_minutes": "Meeting length (minutes)",
            "meeting_cadence_days": "Meet every (days)",
            "mentor_capacity_default": "Mentees per mentor (default)",
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = False


class PhaseForm(forms.Form):
    phase = forms.CharField(max_length=20)


class CriterionForm(forms.ModelForm):
    class Meta:
        model = IdealMentorCriterion
        fields = ["name", "description", "weight"]
        error_messages = {
            "weight": {
                "min_value": "A weight is a whole number from 1 to 10.",
            }
        }


class EthicsDraftForm(forms.Form):
    text = forms.CharField(max_length=20000, widget=forms.Textarea(attrs={"rows": 14}))
    summary_of_changes = forms.CharField(required=False, max_length=240)


class ApplicationForm(PickerFormMixin, forms.Form):
    role = forms.ChoiceField(
        choices=[(Role.MENTEE, "Mentee: I want to learn"), (Role.MENTOR, "Mentor: I want to help")],
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label="Your goals or your offer",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Mentees: what you want to learn and why it matters now. "
        "Mentors: what you can offer and why you want to mentor.",
        max_length=4000,
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Mentees: topics you want to learn. Mentors: topics you can help with.",
    )
    hours_per_month = forms.IntegerField(min_value=1, max_value=20, initial=1)
    availability = forms.CharField(required=False, max_length=240)
    mentee_capacity = forms.IntegerField(
        required=False, min_value=1, max_value=10, label="Mentees you can take (mentors)"
    )
    preferred_qualities = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What you would like in a match",
        max_length=2000,
    )
    avoid = PersonField(
        multiple=True,
        required=False,
        label="People you would rather not be matched with",
        help_text="Only the coordinators see this list.",
    )

    # Each role reads only its own words, and a mentee is never asked a mentor's question.
    ROLE_WORDS = {
        Role.MENTEE: {
            "statement": ("Your goals", "What you want to learn and why it matters now."),
            "topics": ("Topics you want to learn", ""),
        },
        Role.MENTOR: {
            "statement": ("What you offer", "What you can offer and why you want to mentor."),
            "topics": ("Topics you can help with", ""),
        },
    }

    def __init__(self, *args, user: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.set_picker_asker(user)
        self.fields["role"].widget = forms.HiddenInput()
        role = self.chosen_role
        for name, (label, help_text) in self.ROLE_WORDS[role].items():
            self.fields[name].label, self.fields[name].help_text = label, help_text
        if role == Role.MENTEE:
            del self.fields["mentee_capacity"]
        else:
            self.fields["mentee_capacity"].label = "Mentees you can take"

    @property
    def chosen_role(self) -> str:
        """The role this form is for: the one posted, else the one the page was opened for."""
        value = self.data.get("role") if self.is_bound else self.initial.get("role")
        return Role.MENTOR if value == Role.MENTOR else Role.MENTEE


class ScreeningForm(forms.Form):
    """One score 1–5 and a comment per Ideal Mentor Profile criterion, built per programme."""

    comment = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Overall comment",
    )

    SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]

    def __init__(self, *args, criteria: list[IdealMentorCriterion], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=self.SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=criterion.description,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                required=False, max_length=500, label=f"Comment on {criterion.name.lower()}"
            )

    def rows(self) -> list[tuple[IdealMentorCriterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("waitlist", "Waitlist"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to the applicant. Required to waitlist or decline.",
    )


class ConfirmationForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("confirm", "Confirm: they can take part"), ("decline", "Decline")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required if you decline; your report will see it.",
    )


class RoleGrantForm(forms.Form):
    email = forms.EmailField(label="Person's email")
    role = forms.ChoiceField(
        choices=[
            (Role.COORDINATOR, "Coordinator"),
            (Role.COACH, "Coach"),
            (Role.SPONSOR, "Sponsor"),
        ]
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if not User.objects.filter(email=email).exists():
            raise forms.ValidationError("Nobody with that email has an account; invite them first.")
        return email


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(required=False)
    role = forms.ChoiceField(
        required=False,
        choices=[("", "Any role"), (Role.MENTOR, "Mentors"), (Role.MENTEE, "Mentees")],
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status"), *ApplicationStatus.choices]
