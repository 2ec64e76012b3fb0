"""The person picker: choose people by searching for a few names at a time, never from a list
of the whole organisation.

With JavaScript, htmx searches as one types and "Choose" adds a person to the chosen list (a
hidden input each, with a remove button). Without it, the Search button sends the form back and
the page shows the matches as radio buttons (one person) or checkboxes (several) to tick before
saving. Either way the form field checks the ids it receives (``PersonField``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.template import loader
from django.utils.safestring import mark_safe

from mentorcraft.people.models import User
from mentorcraft.people.selectors import (
    SEARCH_MIN_CHARS,
    PersonCard,
    people_cards,
    people_search,
    query_names_asker,
)

SEARCH_BUTTON = "_picker_search"
REMOVE_BUTTON = "_picker_remove"
MAX_CHOSEN = 50


def parse_ids(values: list[str]) -> list[int]:
    """Whole numbers in a sensible range, in order, once each; anything else is dropped."""
    ids: list[int] = []
    for value in values:
        value = str(value).strip()
        if value.isdigit() and len(value) < 19 and int(value) > 0 and int(value) not in ids:
            ids.append(int(value))
    return ids


class PersonPicker(forms.Widget):
    template_name = "people/widgets/person_picker.html"

    def __init__(self, *, multiple: bool = False, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.asker: User | None = None
        self.query = ""
        self.removed: list[int] = []

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        self.query = str(data.get(f"{name}__q", ""))[:80]
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(values, str | int):
            values = [values]
        self.removed = []
        remove = str(data.get(REMOVE_BUTTON, ""))
        if remove.startswith(f"{name}:"):
            self.removed = parse_ids([remove.split(":", 1)[1]])
        # Without JavaScript, "Remove" sends the form back: the person it names is left out.
        return [str(v) for v in values if not self.removed or parse_ids([v]) != self.removed]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # an empty choice is a choice: "nobody"

    def format_value(self, value: Any) -> list[int]:
        if value in (None, ""):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return parse_ids([getattr(v, "pk", v) for v in values])

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        ids = context["widget"]["value"]
        asker = self.asker
        chosen: list[PersonCard] = people_cards(asker, ids) if asker else []
        if not self.multiple:
            chosen = chosen[-1:]
        results, more, is_you = ([], False, False)
        searched = len("".join(self.query.split())) >= SEARCH_MIN_CHARS
        if asker and searched:
            # Whoever is chosen already is not offered again.
            results, more = people_search(asker, self.query, exclude=[card.id for card in chosen])
            is_you = not results and query_names_asker(asker, self.query)
        context["widget"].update(
            {
                "multiple": self.multiple,
                "chosen": chosen,
                "query": self.query,
                "searched": searched or bool(self.query.strip()),
                "results": results,
                "more": more,
                "is_you": is_you,
                "min_chars": SEARCH_MIN_CHARS,
                "search_button": SEARCH_BUTTON,
                "remove_button": REMOVE_BUTTON,
            }
        )
        return context

    def _render(self, template_name: str, context: dict, renderer: Any = None) -> str:
        # The project's templates, whatever the form renderer: the partials are shared with
        # the htmx answers (people/_picker_*.html).
        return mark_safe(loader.render_to_string(template_name, context))  # noqa: S308

    def id_for_label(self, id_: str) -> str:
        return f"{id_}__q" if id_ else id_


class PersonField(forms.Field):
    """One person (or, with ``multiple=True``, several) chosen with the picker. Cleans to a
    ``User`` (or None) or a list of them: active people with a profile, never the asker."""

    default_error_messages = {
        "invalid": "Choose a person from the search results.",
        "self": "You cannot choose yourself.",
        "too_many": f"Choose at most {MAX_CHOSEN} people.",
    }

    def __init__(self, *, multiple: bool = False, **kwargs: Any) -> None:
        self.multiple = multiple
        kwargs.setdefault("widget", PersonPicker(multiple=multiple))
        super().__init__(**kwargs)
        self.asker: User | None = None

    def set_asker(self, user: User) -> None:
        self.asker = user
        self.widget.asker = user

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value]
        values = [v for v in values if v not in (None, "")]
        ids = parse_ids(values)
        if len(ids) != len({str(v).strip() for v in values}):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return ids if self.multiple else ids[-1:]

    def validate(self, value: list[int]) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def clean(self, value: Any) -> Any:
        ids = self.to_python(value)
        self.validate(ids)
        if len(ids) > MAX_CHOSEN:
            raise ValidationError(self.error_messages["too_many"], code="too_many")
        if self.asker is not None and self.asker.pk in ids:
            raise ValidationError(self.error_messages["self"], code="self")
        people = {
            u.pk: u
            for u in User.objects.filter(
                pk__in=ids, is_active=True, profile__isnull=False
            ).select_related("profile")
        }
        if len(people) != len(ids):
            raise ValidationError(
                "That person is not in the directory (or no longer active); search again.",
                code="invalid",
            )
        chosen = [people[pk] for pk in ids]
        if self.multiple:
            return chosen
        return chosen[0] if chosen else None

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.widget.format_value(initial) != parse_ids(data or [])


class PickerFormMixin:
    """A form with person pickers: when the page was sent by a picker's own Search or Remove
    button (no JavaScript), the form is shown again, not saved and without errors."""

    def picker_action(self) -> bool:
        data = getattr(self, "data", {})
        return bool(getattr(self, "is_bound", False)) and (
            SEARCH_BUTTON in data or REMOVE_BUTTON in data
        )

    def is_valid(self) -> bool:
        if self.picker_action():
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return False
        return super().is_valid()  # type: ignore[misc]

    def set_picker_asker(self, user: User) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, PersonField):
                field.set_asker(user)
