from __future__ import annotations

import zoneinfo

from django import forms

from mentorcraft.core.forms import DateInput, InZoneForm
from mentorcraft.mentorships.models import HealthSettings
from mentorcraft.mentorships.services import HEALTH_FIELDS


class GoalForm(forms.Form):
    title = forms.CharField(max_length=200, label="What you want to be able to do")
    why = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why it matters now",
    )
    measure = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="How you will both know you got there",
    )
    target_date = forms.DateField(required=False, widget=DateInput(), label="By when")
    start_rating = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in range(1, 6)],
        coerce=int,
        label="Where you are today, 1 (not at all) to 5 (there)",
        widget=forms.RadioSelect,
    )


class _SharedNotes(forms.Form):
    shared_notes = forms.CharField(
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Shared notes",
        help_text="What you talked about and agreed. Both of you read these; the coordinators "
        "do not, unless you tick the box below.",
    )
    share_with_coordinators = forms.BooleanField(
        required=False,
        label="I agree that the coordinators may read these notes",
        help_text="They read them only when you both agree; unticked, only the two of you do.",
    )


class MeetingForm(InZoneForm):
    duration_minutes = forms.IntegerField(
        min_value=10, max_value=480, initial=60, label="How long (minutes)"
    )
    location = forms.CharField(
        required=False, max_length=300, label="Where: a room, a place or a video-call link"
    )
    agenda = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Agenda",
        help_text="What you want to talk about. Both of you can read it.",
    )

    def meeting_fields(self) -> dict:
        """What the services take to plan or change a meeting."""
        data = self.cleaned_data
        return {
            "starts_at": self.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "location": data["location"],
            "agenda": data["agenda"],
        }

    @staticmethod
    def initial_for(meeting, zone: zoneinfo.ZoneInfo) -> dict:  # noqa: ANN001
        local = meeting.starts_at.astimezone(zone)
        return {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "location": meeting.location,
            "agenda": meeting.agenda,
        }


class PastMeetingForm(InZoneForm, _SharedNotes):
    minutes_spent = forms.IntegerField(min_value=1, max_value=600, label="Minutes spent")
    location = forms.CharField(required=False, max_length=300, label="Where")
    field_order = ["date", "time", "minutes_spent", "location"]


class MeetingLogForm(_SharedNotes):
    held = forms.TypedChoiceField(
        choices=[("yes", "Yes, we met"), ("no", "No, it did not happen")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Did the meeting happen?",
    )
    minutes_spent = forms.IntegerField(
        required=False, min_value=1, max_value=600, label="Minutes spent"
    )
    field_order = ["held", "minutes_spent"]


SCORE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class PulseForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        label="How is it going? 1 (badly) to 5 (very well)",
    )
    comment_to_coordinator = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="A word for the coordinators (optional)",
        help_text="Only the coordinators read this, never the other person.",
    )


class FeedbackForm(forms.Form):
    helped = forms.CharField(
        max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), label="What helped me"
    )
    change = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What I would like to change",
    )


class FeedbackRequestForm(forms.Form):
    question = forms.CharField(
        required=False,
        max_length=300,
        label="Anything in particular? (optional)",
        help_text="For example: do I listen enough, or do I talk too much?",
    )


class MidpointForm(forms.Form):
    agreement_works = forms.TypedChoiceField(
        choices=[("yes", "Yes, it still works"), ("no", "No, we should change it")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Does your working agreement still work for you?",
    )
    focus = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What should the second half focus on?",
    )


class ClosureForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[
            ("planned", "We have reached the end as planned"),
            ("early", "We are ending early"),
        ],
        widget=forms.RadioSelect,
        label="How is it ending?",
    )
    reason = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="If early, why? (the coordinators read this)",
    )
    confirm = forms.BooleanField(
        label="I understand: planned meetings are cancelled and the mentorship cannot be used "
        "until a coordinator reopens it",
        error_messages={"required": "Tick the box to confirm the close."},
    )


class ReopenForm(forms.Form):
    confirm = forms.BooleanField(
        label="Reopen it: the pair can meet and write again; cancelled meetings stay cancelled",
        error_messages={"required": "Tick the box to confirm."},
    )


class ReflectionForm(forms.Form):
    reflection = forms.CharField(
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Your final reflection: what do you take away?",
    )
    would_mentor = forms.ChoiceField(
        required=False,
        choices=[("yes", "Yes"), ("later", "Maybe later"), ("no", "No")],
        widget=forms.RadioSelect,
        label="Would you mentor someone yourself?",
    )
    wants_support = forms.ChoiceField(
        required=False,
        choices=[
            ("none", "Not now"),
            ("mentor", "A mentor of my own"),
            ("peer", "Peer support from other mentors"),
            ("both", "Both"),
        ],
        widget=forms.RadioSelect,
        label="Would you like a mentor or peer support yourself?",
    )
    wants_rematch = forms.BooleanField(
        required=False, label="I would like a new mentor in this programme"
    )


class NudgeForm(forms.Form):
    message = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="A personal line (optional)",
    )


class HealthSettingsForm(forms.ModelForm):
    class Meta:
        model = HealthSettings
        fields = HEALTH_FIELDS
