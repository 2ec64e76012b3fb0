from __future__ import annotations

import zoneinfo

from django import forms
from django.db.models import QuerySet

from mentorcraft.core.forms import DateInput, InZoneForm
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.people.models import User
from mentorcraft.support.models import (
    PRACTICE_NEXT,
    TEXT_LIMIT,
    CheckIn,
    Circle,
    Concern,
    ExternalSupport,
    Function,
    Help,
    Part,
    Practice,
    SupervisionSession,
    Supervisor,
    Topic,
    Way,
)


def _day(moment, zone) -> str:  # noqa: ANN001
    local = moment.astimezone(zone) if zone else moment
    return f"{local.day} {local:%B %Y}"


def _person_label(person: User) -> str:
    job = getattr(person.profile, "job_title", "") or ""
    return f"{person.display_name}" + (f" ({job})" if job else "")


def _supervisor_label(supervisor: Supervisor) -> str:
    return f"{supervisor.person.display_name} ({supervisor.get_kind_display().lower()})"


def help_wanted_field(label: str, *, required: bool = False, help_text: str = ""):  # noqa: ANN201
    """The seeds' list of what a mentor wants from whoever supports them, as ticks: one field
    for a topic, the support question and a request for a peer partner alike."""
    return forms.MultipleChoiceField(
        choices=Help.choices,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        label=label,
        help_text=help_text,
    )


class SupervisorForm(forms.Form):
    """An internal coach from the cadre, or an external supervisor by e-mail address."""

    coach = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="An internal mentoring coach",
        help_text="Active coaches of the cadre whose coach training is valid.",
    )
    email = forms.EmailField(
        required=False,
        label="Or an external supervisor's e-mail address",
        help_text="They need an account here: invite them first if they have none.",
    )
    capacity = forms.IntegerField(
        min_value=1, max_value=40, initial=8, label="Mentors they can supervise"
    )

    def __init__(self, *args, coaches: QuerySet[User], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.fields["coach"].label_from_instance = _person_label

    def clean(self) -> dict:
        data = super().clean()
        coach, email = data.get("coach"), data.get("email")
        if "email" in self.errors:
            return data
        if bool(coach) == bool(email):
            raise forms.ValidationError(
                "Choose an internal coach, or give an external supervisor's e-mail address; "
                "not both."
                if coach and email
                else "Choose an internal coach, or give an external supervisor's e-mail address."
            )
        if email:
            person = User.objects.filter(email__iexact=email, is_active=True).first()
            if person is None:
                self.add_error("email", "Nobody has an account with that address yet.")
            data["person"], data["kind"] = person, Supervisor.Kind.EXTERNAL
        else:
            data["person"], data["kind"] = coach, Supervisor.Kind.INTERNAL
        return data


class SupervisorCapacityForm(forms.Form):
    capacity = forms.IntegerField(min_value=1, max_value=40, label="Places")


class AssignForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=User.objects.none(), label="Mentor")
    supervisor = forms.ModelChoiceField(queryset=Supervisor.objects.none(), label="Supervisor")

    def __init__(self, *args, mentors, supervisors, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = (
            User.objects.filter(pk__in=[m.pk for m in mentors])
            .select_related("profile")
            .order_by("profile__full_name")
        )
        self.fields["mentor"].label_from_instance = _person_label
        self.fields["supervisor"].queryset = supervisors
        self.fields["supervisor"].label_from_instance = _supervisor_label


class ProposeForm(forms.Form):
    whole = forms.BooleanField(
        required=False,
        label="Re-form every circle",
        help_text="Mid-programme: propose new circles for all mentors; publishing ends the "
        "current ones. Otherwise only mentors without a circle are placed.",
    )


NEW_CIRCLE = "new"


class MoveForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=User.objects.none(), label="Move")
    circle = forms.ChoiceField(label="to")

    def __init__(self, *args, mentors, circles, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = (
            User.objects.filter(pk__in=[m.pk for m in mentors])
            .select_related("profile")
            .order_by("profile__full_name")
        )
        self.fields["mentor"].label_from_instance = _person_label
        self.circles = {str(c.pk): c for c in circles}
        self.fields["circle"].choices = [
            ("", "---------"),
            *((pk, c.name) for pk, c in self.circles.items()),
            (NEW_CIRCLE, "A new circle"),
        ]

    def clean_circle(self) -> Circle | None:
        value = self.cleaned_data["circle"]
        return None if value == NEW_CIRCLE else self.circles[value]


class CircleSupervisorForm(forms.Form):
    supervisor = forms.ModelChoiceField(queryset=Supervisor.objects.none(), label="Supervisor")

    def __init__(self, *args, supervisors, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["supervisor"].label_from_instance = _supervisor_label


class CircleForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name")
    supervisor = forms.ModelChoiceField(queryset=Supervisor.objects.none(), label="Supervisor")
    mentors = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Mentors (3 to 5)",
        help_text="A mentor already in a circle moves to this one.",
    )

    def __init__(self, *args, mentors, supervisors, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors
        self.fields["supervisor"].label_from_instance = _supervisor_label
        self.fields["mentors"].queryset = (
            User.objects.filter(pk__in=[m.pk for m in mentors])
            .select_related("profile")
            .order_by("profile__full_name")
        )
        self.fields["mentors"].label_from_instance = _person_label


class SessionForm(InZoneForm):
    kind = forms.ChoiceField(choices=SupervisionSession.Kind.choices, label="Kind of session")
    circle = forms.ModelChoiceField(
        queryset=Circle.objects.none(), required=False, label="Circle (for a circle session)"
    )
    mentor = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Mentor (for individual supervision)"
    )
    minutes = forms.IntegerField(min_value=15, max_value=480, initial=75, label="Length (minutes)")
    place = forms.CharField(max_length=300, label="Where: a room or a video-call link")

    def __init__(  # noqa: PLR0913
        self,
        *args,  # noqa: ANN002
        zone: zoneinfo.ZoneInfo,
        circles: QuerySet[Circle],
        mentors: list[User],
        kinds: list[str],
        **kwargs,  # noqa: ANN003
    ) -> None:
        super().__init__(*args, zone=zone, **kwargs)
        self.fields["circle"].queryset = circles
        self.fields["mentor"].queryset = (
            User.objects.filter(pk__in=[m.pk for m in mentors])
            .select_related("profile")
            .order_by("profile__full_name")
        )
        self.fields["mentor"].label_from_instance = _person_label
        self.fields["kind"].choices = [
            (value, label) for value, label in SupervisionSession.Kind.choices if value in kinds
        ]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == SupervisionSession.Kind.GROUP and not data.get("circle"):
            self.add_error("circle", "Choose the circle that meets.")
        if kind == SupervisionSession.Kind.INDIVIDUAL and not data.get("mentor"):
            self.add_error("mentor", "Choose the mentor.")
        return data


class AttendanceForm(forms.Form):
    present = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="Who came"
    )
    nobody = forms.BooleanField(required=False, label="Nobody came")

    def __init__(self, *args, people: list[User], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(str(p.pk), p.display_name) for p in people]

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("present") and not data.get("nobody"):
            raise forms.ValidationError("Tick who came, or tick “Nobody came”.")
        if data.get("present") and data.get("nobody"):
            raise forms.ValidationError("Some came, so untick “Nobody came”.")
        return data


class TextForm(forms.Form):
    text = forms.CharField(
        required=False, max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args, label: str, help_text: str = "", **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].help_text = help_text


class TopicForm(forms.ModelForm):
    help_wanted = help_wanted_field(
        "What help do you want?",
        required=True,
        help_text="Say what would help you most; your supervisor reads it before the session.",
    )
    session = forms.ModelChoiceField(
        queryset=SupervisionSession.objects.none(),
        required=False,
        label="Bring it to",
        empty_label="My supervisor, at our next session",
    )

    class Meta:
        model = Topic
        fields = ["title", "situation"]
        widgets = {"situation": forms.Textarea(attrs={"rows": 7})}

    def __init__(
        self,
        *args,  # noqa: ANN002
        sessions: list[SupervisionSession],
        zone: zoneinfo.ZoneInfo | None = None,
        **kwargs,  # noqa: ANN003
    ) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        self.fields["session"].queryset = SupervisionSession.objects.filter(
            pk__in=[s.pk for s in sessions]
        ).select_related("circle", "mentor__profile", "programme")
        self.fields["session"].label_from_instance = lambda s: f"{s.title}, {s.starts_at:%d %b %Y}"
        self.fields["situation"].max_length = TEXT_LIMIT


class TopicTagForm(forms.Form):
    function = forms.ChoiceField(
        choices=Function.choices, widget=forms.RadioSelect, label="Which side of supervision"
    )
    part = forms.ChoiceField(
        choices=[("", "Not about one part")] + list(Part.choices),
        required=False,
        label="Which part of the relationship",
    )
    strain = forms.BooleanField(required=False, label="The mentor is under strain: follow up")
    status = forms.ChoiceField(choices=Topic.Status.choices, label="Status")


class ConcernForm(forms.Form):
    mentorship = forms.ModelChoiceField(queryset=Mentorship.objects.none(), label="About")
    kind = forms.ChoiceField(choices=Concern.Kind.choices, widget=forms.RadioSelect, label="Kind")
    description = forms.CharField(
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="What happened",
        help_text="What you saw or heard, when, and anything already done. Only the "
        "programme's coordinators read it; the other person of the mentorship never sees it.",
    )

    def __init__(self, *args, mentorships: QuerySet[Mentorship], **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["mentorship"].queryset = mentorships
        self.fields["mentorship"].label_from_instance = lambda m: (
            f"{m.mentor.display_name} mentoring {m.mentee.display_name} ({m.programme.name})"
        )


class ConcernStatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[c for c in Concern.Status.choices if c[0] != Concern.Status.RAISED],
        label="Move it to",
    )
    note = forms.CharField(
        required=False,
        max_length=280,
        label="What was done",
        help_text="Goes in the concern's history, which the person who raised it also reads. "
        "Needed to close it.",
    )

    def __init__(self, *args, current: str = Concern.Status.RAISED, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        order = [value for value, _ in Concern.Status.choices]
        later = order[order.index(current) + 1 :] if current in order else order[1:]
        self.fields["status"].choices = [c for c in Concern.Status.choices if c[0] in later]


class CheckInForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=User.objects.none(), label="Mentor")
    held_on = forms.DateField(widget=DateInput(), label="When")
    how = forms.ChoiceField(choices=CheckIn.How.choices, label="How")
    note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A short record",
        help_text="How they are, what they asked for, what you will do. The coordinators read it.",
    )

    def __init__(self, *args, mentors, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = (
            User.objects.filter(pk__in=[m.pk for m in mentors])
            .select_related("profile")
            .order_by("profile__full_name")
        )
        self.fields["mentor"].label_from_instance = _person_label


class CadenceForm(forms.Form):
    every_weeks = forms.IntegerField(min_value=1, max_value=52, label="Every (weeks)")


class ReflectionForm(forms.Form):
    went_well = forms.MultipleChoiceField(
        choices=Practice.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What went well",
    )
    to_work_on = forms.ChoiceField(
        choices=[("", "Nothing in particular"), *PRACTICE_NEXT.items()],
        required=False,
        label="One thing to work on next time",
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="A few lines for yourself",
        help_text="Only you read this, unless you bring it to supervision.",
    )


class ExternalSupportForm(forms.ModelForm):
    class Meta:
        model = ExternalSupport
        fields = ["kind", "who", "how_often", "funded", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"kind": "Kind of support", "who": "Who", "how_often": "How often"}


class ExternalSupportForMentorForm(ExternalSupportForm):
    """The coordinator's version: for which mentor, or which of the person's programmes."""

    mentor = forms.ModelChoiceField(queryset=User.objects.none(), label="Mentor")

    class Meta(ExternalSupportForm.Meta):
        fields = ["mentor", *ExternalSupportForm.Meta.fields]

    def __init__(self, *args, mentors, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = (
            User.objects.filter(pk__in=[m.pk for m in mentors])
            .select_related("profile")
            .order_by("profile__full_name")
        )
        self.fields["mentor"].label_from_instance = _person_label


class SupportAnswerForm(forms.Form):
    help_wanted = help_wanted_field("What would you want from someone supporting you as a mentor?")
    ways = forms.MultipleChoiceField(
        choices=Way.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Which of these would you use?",
    )
    comment = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything else the coordinators should know",
    )


class SupportAskForm(forms.Form):
    message = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A word from you (optional)",
        help_text="Every mentor of the programme is asked by e-mail and on their home page.",
    )


# --- Peer partnerships -----------------------------------------------------------------------


class PeerRequestForm(forms.Form):
    help_wanted = help_wanted_field(
        "What would you want from a peer partner?",
        help_text="Your partner sees this, and so do the coordinators who pair you.",
    )
    about = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What you would like to talk over (optional)",
    )


class PeerProposeForm(forms.Form):
    everyone = forms.BooleanField(
        required=False,
        label="Include every mentor without a peer partner",
        help_text="Otherwise only those who asked, or who said they would use one.",
    )


class PeerPairForm(forms.Form):
    first = forms.ModelChoiceField(queryset=User.objects.none(), label="Mentor")
    second = forms.ModelChoiceField(queryset=User.objects.none(), label="Peer partner")
    note = forms.CharField(required=False, max_length=240, label="Why this pair (optional)")

    def __init__(self, *args, mentors, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        people = (
            User.objects.filter(pk__in=[m.pk for m in mentors])
            .select_related("profile")
            .order_by("profile__full_name")
        )
        for name in ("first", "second"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = _person_label

    def clean(self) -> dict:
        data = super().clean()
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", "Choose two different mentors.")
        return data
