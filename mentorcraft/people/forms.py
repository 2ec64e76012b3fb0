from __future__ import annotations

import re
import zoneinfo

from django import forms
from django.core.validators import validate_email

from mentorcraft.people.imports import MAX_CHARS as IMPORT_MAX_FILE
from mentorcraft.people.imports import TEXT_MAX_CHARS as IMPORT_MAX_CHARS
from mentorcraft.people.models import ApiToken, Profile, Topic, User
from mentorcraft.people.widgets import PersonField, PickerFormMixin

TIME_ZONES = sorted(zoneinfo.available_timezones())


class ProfileForm(PickerFormMixin, forms.ModelForm):
    """The person's own profile. Where the organisation's record names their line manager,
    that one stands and the field is left out (the page shows who set it)."""

    languages = forms.CharField(
        required=False,
        help_text="Separate languages with commas, e.g. English, German.",
        max_length=300,
    )
    time_zone = forms.ChoiceField(choices=[(tz, tz) for tz in TIME_ZONES])
    line_manager = PersonField(
        required=False,
        label="Line manager",
        help_text="They confirm you when you apply as a mentee.",
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
        if self.instance.org_manager_id:
            del self.fields["line_manager"]
        else:
            self.set_picker_asker(self.instance.user)
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


class OrgManagerForm(PickerFormMixin, forms.Form):
    """A coordinator puts the organisation's record of someone's line manager on their
    profile; it wins over the person's own pick."""

    manager = PersonField(
        required=False,
        label="Line manager on the organisation's record",
        help_text="Leave empty to take the record away; the person may then choose again.",
    )

    def __init__(self, *args, asker: User, person: User, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.set_picker_asker(asker)
        self.person = person

    def clean_manager(self) -> User | None:
        manager = self.cleaned_data.get("manager")
        if manager is not None and manager.pk == self.person.pk:
            raise forms.ValidationError("A person cannot be their own line manager.")
        return manager


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


class SignupForm(forms.Form):
    """What allauth's sign-up form asks besides the address and the password
    (``ACCOUNT_SIGNUP_FORM_CLASS``): the person's name, as colleagues know it, so that the
    directory finds them by it from the first day. The adapter's ``save_user`` puts it on the
    profile it makes."""

    field_order = ["full_name", "email", "password1", "password2"]

    full_name = forms.CharField(
        label="Full name",
        max_length=Profile._meta.get_field("full_name").max_length,
        validators=Profile._meta.get_field("full_name").validators,
        help_text="As your colleagues know you: it is how they find you in the directory.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def clean_full_name(self) -> str:
        return " ".join((self.cleaned_data.get("full_name") or "").split())

    def signup(self, request, user) -> None:  # noqa: ANN001 - allauth's hook
        """Nothing more to do: ``AccountAdapter.save_user`` has named the profile."""


MAX_INVITATIONS = 50


class InvitationForm(forms.Form):
    """Invite one address or many at once, optionally to apply to a programme in a role."""

    emails = forms.CharField(
        label="E-mail addresses",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_INVITATIONS * 260,
        help_text=f"One a line, or separated by commas; up to {MAX_INVITATIONS} at once.",
    )
    programme = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        label="Invite them to a programme",
        help_text="Optional: after signing up they land on its application form. Only the "
        "programmes you coordinate that are open for applications are listed.",
        error_messages={
            "invalid_choice": "Select a valid choice: people are invited only to a programme "
            "you coordinate that is open for applications (recruiting)."
        },
    )
    role = forms.ChoiceField(
        required=False,
        choices=[("", "—"), ("mentee", "as a mentee"), ("mentor", "as a mentor")],
        label="To apply",
    )

    def __init__(self, *args, programmes: list | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.programmes = {p.pk: p for p in programmes or []}
        self.fields["programme"].choices = [("", "No programme")] + [
            (p.pk, p.name) for p in self.programmes.values()
        ]

    def clean_emails(self) -> list[str]:
        raw = self.cleaned_data.get("emails") or ""
        found: list[str] = []
        bad: list[str] = []
        for part in re.split(r"[\s,;]+", raw):
            address = part.strip().strip("<>").lower()
            if not address:
                continue
            try:
                validate_email(address)
            except forms.ValidationError:
                bad.append(part.strip()[:80])
                continue
            if address not in found:
                found.append(address)
        if bad:
            raise forms.ValidationError(
                "These are not e-mail addresses: " + ", ".join(bad[:10]) + "."
            )
        if not found:
            raise forms.ValidationError("Give at least one e-mail address.")
        if len(found) > MAX_INVITATIONS:
            raise forms.ValidationError(f"Invite at most {MAX_INVITATIONS} people at once.")
        return found

    def clean(self) -> dict:
        data = super().clean()
        programme_id, role = data.get("programme"), data.get("role")
        if programme_id is not None:
            if programme_id not in self.programmes:
                self.add_error("programme", "Choose one of the programmes you coordinate.")
            elif not role:
                self.add_error("role", "Say whether they are invited as a mentee or a mentor.")
            data["programme"] = self.programmes.get(programme_id)
        elif role:
            self.add_error("programme", "Choose the programme they are invited to.")
        return data


class PeopleImportForm(forms.Form):
    """The organisation's record from a CSV file, or rows pasted in. After a check the rows come
    back in the text box, so the import itself needs no second upload."""

    file = forms.FileField(
        required=False,
        label="CSV file",
        help_text="Saved from a spreadsheet as “CSV UTF-8”. The first row names the columns.",
    )
    text = forms.CharField(
        required=False,
        label="Or paste the rows",
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=IMPORT_MAX_CHARS,
        strip=False,
    )

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("file")
        if upload is not None and data.get("text", "").strip():
            raise forms.ValidationError(
                {
                    "text": "You chose a file and pasted rows too: empty this box to import the "
                    "file, or leave the file out to import these rows."
                }
            )
        if upload is not None:
            if upload.size > IMPORT_MAX_FILE:
                raise forms.ValidationError(
                    {"file": f"The file is too big: at most {IMPORT_MAX_FILE // 1000:,} kB."}
                )
            raw = upload.read()
            try:
                data["csv"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    {
                        "file": "This file is not UTF-8 text. In the spreadsheet, save it as "
                        "“CSV UTF-8 (comma delimited)” and choose it again."
                    }
                ) from None
        elif data.get("text", "").strip():
            data["csv"] = data["text"]
        elif not self.errors:
            raise forms.ValidationError("Choose a CSV file, or paste the rows into the box.")
        return data
