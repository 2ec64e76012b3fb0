"""Private notes: for their author alone."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from mentorcraft.core.errors import TransitionError
from mentorcraft.core.validators import require_length
from mentorcraft.mentorships.models import (
    Meeting,
    Mentorship,
    PrivateNote,
)
from mentorcraft.mentorships.services.pairs import require_in_pair
from mentorcraft.people.models import User


def private_note_add(
    *, mentorship: Mentorship, by: User, text: str, meeting: Meeting | None = None
) -> PrivateNote:
    """A note for the author alone. Allowed after the close too: reflection goes on."""
    require_in_pair(mentorship, by, "keep notes on their mentorship")
    text = require_length("text", text, PrivateNote.TEXT_LIMIT)
    if not text:
        raise ValidationError({"text": "Write the note."})
    if meeting is not None and meeting.mentorship_id != mentorship.pk:
        raise ValidationError({"meeting": "That meeting belongs to another pair."})
    return PrivateNote.objects.create(
        mentorship=mentorship, author=by, meeting=meeting, text=text.strip()
    )


def private_note_update(*, note: PrivateNote, by: User, text: str) -> PrivateNote:
    if note.author_id != by.pk:
        raise TransitionError("Only the author of a private note can change it.")
    text = require_length("text", text, PrivateNote.TEXT_LIMIT)
    if not text:
        raise ValidationError({"text": "Write the note, or delete it."})
    note.text = text
    note.save(update_fields=["text", "updated_at"])
    return note


def private_note_delete(*, note: PrivateNote, by: User) -> None:
    if note.author_id != by.pk:
        raise TransitionError("Only the author of a private note can delete it.")
    note.delete()
