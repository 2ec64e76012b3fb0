from __future__ import annotations

import uuid

from django import forms

from mentorcraft.recognition.models import MESSAGE_LIMIT, REFERENCE_PATTERN
from mentorcraft.recognition.selectors import Recipient


class ThanksForm(forms.Form):
    """Whom to thank (from the people one may thank) and what to say. The hidden token makes
    the same form sent twice one note."""

    recipient = forms.ChoiceField(label="Whom to thank")
    message = forms.CharField(
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MESSAGE_LIMIT}),
        label="Your note",
        error_messages={"required": "Write a few words of thanks."},
        help_text=f"Up to {MESSAGE_LIMIT} characters. What did they do that made a difference? "
        "Only they read it; the coordinators see how many notes a person received, never "
        "what they say.",
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, recipients: list[Recipient], **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.recipients = {r.key: r for r in recipients}
        groups: dict[str, list[tuple[str, str]]] = {}
        for r in recipients:
            groups.setdefault(r.programme.name, []).append((r.key, r.label))
        choices: list = [("", "Choose a person")]
        choices += list(groups.items()) if len(groups) > 1 else next(iter(groups.values()), [])
        self.fields["recipient"].choices = choices
        if len(recipients) == 1:
            self.fields["recipient"].initial = recipients[0].key

    def clean_recipient(self) -> Recipient:
        return self.recipients[self.cleaned_data["recipient"]]

    def clean_message(self) -> str:
        text = self.cleaned_data["message"].strip()
        if not text:
            raise forms.ValidationError("Write a few words of thanks.")
        return text


class VerifyForm(forms.Form):
    reference = forms.RegexField(
        regex=rf"^\s*(?i:{REFERENCE_PATTERN})\s*$",
        max_length=20,
        label="Reference",
        help_text="As printed at the foot of the certificate, for example MC-7K3Q-9XFD.",
        error_messages={"invalid": "A reference looks like MC-7K3Q-9XFD."},
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()
