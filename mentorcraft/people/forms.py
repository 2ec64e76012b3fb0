from __future__ import annotations

import zoneinfo

from django import forms

from mentorcraft.people.models import ApiToken, Profile, Topic, User

TIME_ZONES = sorted(zoneinfo.available_timezones())


class ProfileForm(forms.ModelForm):
    languages = forms.CharField(
        required=False,
        help_text="Separate languages with commas, e.g. English, German.",
        max_length=300,
    )
    time_zone = forms.ChoiceField(choices=[(tz, tz) for tz in TIME_ZONES])
    line_manager = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Line manager"
    )

    class Meta:
        model = Profile
        fields = [
            "full_name",
            "pronouns",
            "job_title",
            "department",
            "line_manager",
            "location",
            "time_zone",
            "languages",
            "bio",
            "expertise",
            "learning_topics",
            "years_experience",
            "hours_per_month",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 4}),
            "expertise": forms.CheckboxSelectMultiple,
            "learning_topics": forms.CheckboxSelectMultiple,
        }
        labels = {
            "expertise": "Topics you can help others with",
            "learning_topics": "Topics you want to learn",
        }

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["line_manager"].queryset = (
            User.objects.filter(is_active=True, profile__isnull=False)
            .exclude(pk=self.instance.user_id)
            .select_related("profile")
            .order_by("profile__full_name")
        )
        self.fields["line_manager"].label_from_instance = lambda u: (
            f"{u.profile.full_name} ({u.email})"
        )
        if self.instance.pk and not self.is_bound:
            self.initial["languages"] = ", ".join(self.instance.languages)

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        seen: list[str] = []
        for part in raw.split(","):
            name = part.strip().title()
            if name and name not in seen:
                seen.append(name)
        return seen


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name", "category", "description"]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=80, help_text="What will use it, e.g. “HR export script”.")
    days = forms.TypedChoiceField(
        label="Lasts",
        coerce=int,
        choices=[(d, f"{d} days") for d in ApiToken.LIFETIMES],
        initial=ApiToken.DEFAULT_LIFETIME,
        required=False,
        empty_value=ApiToken.DEFAULT_LIFETIME,
        help_text="It also stops working when you change your password.",
    )
    read_only = forms.BooleanField(
        required=False, label="Read only: the script may look, never change anything"
    )


class InvitationForm(forms.Form):
    email = forms.EmailField()
