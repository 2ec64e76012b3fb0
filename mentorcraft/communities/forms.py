from __future__ import annotations

import zoneinfo

from django import forms
from django.db.models import QuerySet

from mentorcraft.communities.models import (
    ABOUT_LIMIT,
    DESCRIPTION_LIMIT,
    PLACE_LIMIT,
    POST_LIMIT,
    REASON_LIMIT,
    TITLE_LIMIT,
    Event,
    Resource,
)
from mentorcraft.communities.uploads import ALLOWED_TEXT, KINDS, max_bytes, size_text
from mentorcraft.core.forms import InZoneForm
from mentorcraft.people.models import Topic, User
from mentorcraft.training.models import Module


def _person_label(person: User) -> str:
    job = getattr(person.profile, "job_title", "") or ""
    return person.display_name + (f" ({job})" if job else "")


class EventForm(InZoneForm):
    kind = forms.ChoiceField(choices=Event.Kind.choices, label="Kind of event")
    title = forms.CharField(max_length=TITLE_LIMIT)
    description = forms.CharField(
        max_length=DESCRIPTION_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What it is about and how to prepare.",
    )
    minutes = forms.IntegerField(min_value=15, max_value=480, initial=60, label="Length (minutes)")
    place = forms.CharField(
        max_length=PLACE_LIMIT, required=False, label="Where: a room or a video-call link"
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=500,
        required=False,
        label="Places",
        help_text="Leave empty for no limit. When it is full, people join a waitlist.",
    )
    facilitator = forms.ModelChoiceField(queryset=User.objects.none(), required=False)
    module = forms.ModelChoiceField(
        queryset=Module.objects.none(),
        required=False,
        label="Counts as training (mini-trainings)",
        help_text="Taking the register then records this training for everyone there.",
    )

    def __init__(
        self,
        *args,  # noqa: ANN002
        zone: zoneinfo.ZoneInfo,
        people: QuerySet[User],
        modules: QuerySet[Module],
        **kwargs,  # noqa: ANN003
    ) -> None:
        super().__init__(*args, zone=zone, **kwargs)
        self.fields["facilitator"].queryset = people
        self.fields["facilitator"].label_from_instance = _person_label
        self.fields["facilitator"].help_text = "You, unless you name someone else."
        self.fields["module"].queryset = modules
        self.order_fields(
            ["kind", "title", "date", "time", "minutes", "place", "capacity", "facilitator"]
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("module") is not None and data.get("kind") != Event.Kind.TRAINING:
            self.add_error("module", "Only a mini-training counts as a training module.")
        return data


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Who came"
    )
    others = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Others who came without saying",
        help_text="Hold Ctrl (or ⌘) to choose more than one.",
    )
    nobody = forms.BooleanField(required=False, label="Nobody came")

    def __init__(self, *args, listed: list[User], others: QuerySet[User], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(p.pk), p.display_name) for p in listed]
        self.fields["others"].queryset = others
        self.fields["others"].label_from_instance = _person_label

    def clean(self) -> dict:
        data = super().clean()
        some = bool(data.get("present")) or bool(data.get("others"))
        if not some and not data.get("nobody"):
            raise forms.ValidationError("Tick who came, or tick “Nobody came”.")
        if some and data.get("nobody"):
            raise forms.ValidationError("Some came, so untick “Nobody came”.")
        return data

    def present_ids(self) -> list[int]:
        data = self.cleaned_data
        return [int(pk) for pk in data.get("present", [])] + [p.pk for p in data.get("others", [])]


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=TITLE_LIMIT)
    body = forms.CharField(
        max_length=POST_LIMIT,
        label="Your post",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Read by the community's members and its coordinators. Leave out what "
        "would identify a mentee.",
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=POST_LIMIT, label="Your reply", widget=forms.Textarea(attrs={"rows": 4})
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        max_length=REASON_LIMIT,
        label="Why it is hidden",
        help_text="Its author reads this, and so do the other moderators.",
    )


class AboutForm(forms.Form):
    about = forms.CharField(
        max_length=ABOUT_LIMIT,
        required=False,
        label="What the community is for",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResourceForm(forms.Form):
    title = forms.CharField(max_length=TITLE_LIMIT)
    kind = forms.ChoiceField(choices=Resource.Kind.choices)
    description = forms.CharField(
        max_length=DESCRIPTION_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    url = forms.URLField(max_length=500, required=False, label="A link", assume_scheme="https")
    file = forms.FileField(
        required=False,
        label="Or a file",
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(KINDS))}),
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Topics",
    )

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            f"{ALLOWED_TEXT}; up to {size_text(max_bytes())}. Only the community's members "
            "can open it."
        )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("url") and data.get("file"):
            self.add_error("url", "Give either a link or a file, not both.")
        elif not data.get("url") and not data.get("file") and not self.errors:
            self.add_error("file", "Give a link, or choose a file to upload.")
        return data
