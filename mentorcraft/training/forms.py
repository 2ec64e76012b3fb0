from __future__ import annotations

import zoneinfo

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from mentorcraft.core.forms import DateInput, InZoneForm
from mentorcraft.people.models import User
from mentorcraft.training.models import (
    Audience,
    Coach,
    Kind,
    Level,
    Module,
    Registration,
    Requirement,
    Session,
    TierSettings,
)
from mentorcraft.training.services import MODULE_FIELDS, TIER_FIELDS


class ModuleForm(forms.ModelForm):
    # The same limit as the API's (ModuleIn.description).
    description = forms.CharField(max_length=8000, widget=forms.Textarea(attrs={"rows": 5}))

    link = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text="For self-study: where the material is.",
    )

    class Meta:
        model = Module
        fields = MODULE_FIELDS
        labels = {
            "duration_minutes": "Length (minutes)",
            "valid_months": "Valid for (months)",
            "self_declared": "People may say they completed it themselves (self-study only)",
            "leadership": "Part of the leadership development programme",
        }
        help_texts = {
            "self_declared": "Otherwise it is completed by attending a session, or recorded "
            "as external training.",
            "leadership": "Counted among the leaders trained to mentor in the sponsor's figures.",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class FilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Kind.choices], required=False)
    audience = forms.ChoiceField(
        choices=[("", "All audiences"), *[c for c in Audience.choices if c[0] != "everyone"]],
        required=False,
        label="For",
    )
    level = forms.ChoiceField(
        choices=[("", "All levels"), *[c for c in Level.choices if c[0] != "any"]],
        required=False,
    )


def _person_label(user: User) -> str:
    return f"{user.display_name} ({user.email})"


class SessionForm(InZoneForm):
    duration_minutes = forms.IntegerField(min_value=10, max_value=2400, label="Length (minutes)")
    location = forms.CharField(max_length=300, label="Where: a room, a place or a video-call link")
    capacity = forms.IntegerField(min_value=1, max_value=500, label="Places")
    facilitator = forms.ModelChoiceField(queryset=User.objects.none(), label="Facilitator")

    def __init__(
        self, *args, zone: zoneinfo.ZoneInfo, facilitators: QuerySet[User], **kwargs
    ) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, zone=zone, **kwargs)
        self.fields["facilitator"].queryset = facilitators
        self.fields["facilitator"].label_from_instance = _person_label

    def session_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "starts_at": self.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "location": data["location"],
            "capacity": data["capacity"],
            "facilitator": data["facilitator"],
        }

    @staticmethod
    def initial_for(session: Session, zone: zoneinfo.ZoneInfo) -> dict:
        local = session.starts_at.astimezone(zone)
        return {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": session.duration_minutes,
            "location": session.location,
            "capacity": session.capacity,
            "facilitator": session.facilitator,
        }


class PersonByEmailForm(forms.Form):
    email = forms.EmailField(label="Their email address")

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        person = User.objects.filter(email__iexact=email, is_active=True).first()
        if person is None:
            raise forms.ValidationError("Nobody in the organisation has that email address.")
        return person


MAX_WALK_INS = 50
ATTENDED, ABSENT, UNMARKED = "attended", "absent", ""
MARKS = [(ATTENDED, "There"), (ABSENT, "Not there"), (UNMARKED, "Not marked")]


class AttendanceForm(forms.Form):
    """One choice per person with a place, and the emails of those who came without one."""

    walk_ins = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Came without a place",
        help_text="Their email addresses, one per line: they are marked as there.",
    )

    def __init__(self, *args, registrations: list[Registration], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.registrations = registrations
        for registration in registrations:
            initial = registration.status if registration.status in (ATTENDED, ABSENT) else ""
            self.fields[f"person_{registration.person_id}"] = forms.ChoiceField(
                choices=MARKS,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
                label=registration.person.display_name,
            )

    def rows(self) -> list[tuple[Registration, forms.BoundField]]:
        return [(r, self[f"person_{r.person_id}"]) for r in self.registrations]

    def clean_walk_ins(self) -> list[User]:
        emails = list(
            dict.fromkeys(
                line.strip().lower()
                for line in self.cleaned_data["walk_ins"].splitlines()
                if line.strip()
            )
        )
        if not emails:
            return []
        if len(emails) > MAX_WALK_INS:
            raise forms.ValidationError(f"At most {MAX_WALK_INS} at a time.")
        anyone = Q()
        for email in emails:
            anyone |= Q(email__iexact=email)
        found = {u.email.lower(): u for u in User.objects.filter(anyone, is_active=True)}
        missing = [e for e in emails if e not in found]
        if missing:
            raise forms.ValidationError(
                "Nobody in the organisation has the address " + ", ".join(missing) + "."
            )
        return [found[e] for e in emails]

    def marks(self) -> tuple[set[int], set[int]]:
        attended, absent = set(), set()
        for registration in self.registrations:
            mark = self.cleaned_data.get(f"person_{registration.person_id}")
            if mark == ATTENDED:
                attended.add(registration.person_id)
            elif mark == ABSENT:
                absent.add(registration.person_id)
        return attended, absent


class SelfDeclareForm(forms.Form):
    completed_on = forms.DateField(widget=DateInput(), label="When you finished it")

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("initial", {"completed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ExternalCompletionForm(forms.Form):
    module = forms.ModelChoiceField(
        queryset=Module.objects.order_by("kind", "title"),
        label="Counts as",
        help_text="The module of our catalogue this training stands for.",
    )
    completed_on = forms.DateField(widget=DateInput(), label="Completed on")
    minutes = forms.IntegerField(min_value=1, max_value=2400, label="How long (minutes)")
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        label="Evidence",
        help_text="The course, who ran it, and a certificate or reference number.",
    )


class RequirementForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = ["role", "tier", "kind", "module", "min_minutes", "within_months"]
        labels = {
            "role": "Of",
            "tier": "Tier",
            "kind": "Training of the kind",
            "module": "Or the module",
            "min_minutes": "At least (minutes)",
            "within_months": "Done within (months)",
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "— none: one module, below —"), *Kind.choices]
        self.fields["role"].choices = Requirement.Role.choices
        self.fields["role"].initial = Requirement.Role.MENTOR
        self.fields["module"].queryset = Module.objects.filter(active=True).order_by("title")
        self.fields["module"].empty_label = "— none: any module of the kind —"

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") and data.get("module"):
            raise forms.ValidationError("Choose a kind of training or one module, not both.")
        if not data.get("kind") and not data.get("module"):
            raise forms.ValidationError("Choose a kind of training, or one module.")
        return data

    def _post_clean(self) -> None:
        # The service checks the rest (and the duplicates); the model's check constraint
        # would repeat the message above.
        pass


class TierSettingsForm(forms.ModelForm):
    class Meta:
        model = TierSettings
        fields = TIER_FIELDS
        labels = {
            "experienced_completed": "Experienced after (completed mentorships)",
            "veteran_completed": "Veteran after (completed mentorships)",
            "experienced_months": "Or, for mentors, experienced after (months mentoring)",
            "veteran_months": "Or veteran after (months mentoring)",
        }
        help_texts = {
            "experienced_completed": "In the same role: as a mentor, or as a mentee.",
            "veteran_completed": "",
            "experienced_months": "",
            "veteran_months": "An active mentoring coach is a veteran mentor too.",
        }


class CoachNominateForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none(), label="Veteran mentor")
    capacity = forms.IntegerField(
        min_value=1, max_value=40, initial=5, label="Mentors they could supervise"
    )

    def __init__(self, *args, candidates: list[User], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            User.objects.filter(pk__in=[c.pk for c in candidates])
            .select_related("profile")
            .order_by("profile__full_name")
        )
        self.fields["person"].label_from_instance = _person_label


class CoachStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Coach.Status.ACTIVE, "Make active"), (Coach.Status.STEPPED_DOWN, "Stepped down")]
    )
    capacity = forms.IntegerField(min_value=1, max_value=40, required=False)


class InviteForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=None, label="To mentor in")

    def __init__(self, *args, programmes: QuerySet, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
