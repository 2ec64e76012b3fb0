"""A person's own data: the export of everything held about them, the request to be erased and
the erasure an administrator carries out (docs/privacy.md).

Every app adds what it holds through ``core.extensions``: ``personal_data`` (its sections of the
export), ``erasers`` (what only this person wrote for themselves, removed) and ``erasure_holds``
(why an erasure must wait). This module never imports those apps.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from mentorcraft.core import audit
from mentorcraft.core.errors import TransitionError
from mentorcraft.core.extensions import (
    Section,
    erasers,
    erasure_holds,
    personal_data,
    plain_rows,
    programme_data,
)
from mentorcraft.core.ids import require_id
from mentorcraft.people.models import ApiToken, ErasureRequest, Invitation, Profile, User

FORMER_PARTICIPANT = "A former participant"
ERASED_EMAIL_DOMAIN = "erased.invalid"


# --- Reads ----------------------------------------------------------------------------------------


def active_people(queryset: QuerySet[User] | None = None) -> QuerySet[User]:
    """People still taking part: a deactivated or erased person leaves every list and pool."""
    return (queryset if queryset is not None else User.objects.all()).filter(is_active=True)


def may_carry_out_erasures(user: User | AnonymousUser) -> bool:
    """Only the site's administrators carry out or refuse an erasure."""
    return bool(user.is_authenticated and user.is_superuser)


def erasure_holds_for(person: User) -> list[str]:
    """Why erasing ``person`` must wait, in words (none: it may go ahead). The rule: nobody is
    erased while a mentorship or partnership of theirs is active or a supervision concern they
    raised or that is about them is open; once it closes, the erasure may be carried out."""
    return [words for hold in erasure_holds for words in hold(person)]


def _people_sections(person: User) -> list[Section]:
    profile = (
        Profile.objects.filter(user=person)
        .select_related("department", "line_manager__profile")
        .first()
    )
    account = Section(
        "Your account",
        [
            {
                "email": person.email,
                "active": person.is_active,
                "joined": person.date_joined.isoformat(),
                "last sign-in": person.last_login.isoformat() if person.last_login else None,
            }
        ],
    )
    sections = [account]
    if profile is not None:
        row = plain_rows(
            [profile],
            {
                "full name": "full_name",
                "pronouns": "pronouns",
                "job title": "job_title",
                "department": "department.name",
                "line manager": "line_manager.display_name",
                "location": "location",
                "time zone": "time_zone",
                "languages": "languages",
                "about you": "bio",
                "years of experience": "years_experience",
                "hours a month": "hours_per_month",
            },
        )[0]
        row["expertise"] = [topic.name for topic in profile.expertise.all()]
        row["wants to learn"] = [topic.name for topic in profile.learning_topics.all()]
        sections.append(Section("Your profile", [row]))
    sections.append(
        Section(
            "Your API tokens",
            plain_rows(
                ApiToken.objects.filter(user=person),
                {
                    "name": "name",
                    "starts with": "prefix",
                    "created": "created_at",
                    "last used": "last_used_at",
                    "expires": "expires_at",
                    "revoked": "revoked_at",
                    "read-only": "read_only",
                },
            ),
            note="Only a fingerprint of each token is kept, never the token itself.",
        )
    )
    sections.append(
        Section(
            "Invitations you sent",
            plain_rows(
                Invitation.objects.filter(invited_by=person),
                {"to": "email", "sent": "created_at", "accepted": "accepted_at"},
            ),
        )
    )
    sections.append(
        Section(
            "Your requests to be erased",
            plain_rows(
                ErasureRequest.objects.filter(person=person),
                {
                    "asked": "requested_at",
                    "reason": "reason",
                    "status": "status",
                    "decided": "decided_at",
                    "note": "note",
                },
            ),
        )
    )
    return sections


def personal_data_for(person: User) -> list[Section]:
    """Everything the platform holds about ``person``, section by section: theirs first, then
    each app's (``core.extensions.personal_data``)."""
    return _people_sections(person) + [
        section for provider in personal_data for section in provider(person)
    ]


def export_document(person: User, sections: list[Section]) -> dict:
    """The JSON file: who, when, and every section."""
    return {
        "format": "mentorcraft-personal-data/1",
        "person": person.display_name,
        "email": person.email,
        "exported_at": timezone.now().isoformat(),
        "sections": [
            {"title": section.title, "note": section.note, "rows": section.rows}
            for section in sections
        ],
    }


def erasure_request_get_for_user(user: User, pk: int) -> ErasureRequest:
    """An erasure request: administrators only (anyone else is refused before any lookup, so
    the answer says nothing about who asked)."""
    if not may_carry_out_erasures(user):
        raise PermissionDenied("Only administrators carry out erasures.")
    found = (
        ErasureRequest.objects.select_related("person__profile", "decided_by__profile")
        .filter(pk=require_id(pk, "erasure request"))
        .first()
    )
    if found is None:
        raise Http404("No such erasure request.")
    return found


def erasure_requests_for_admin(user: User) -> QuerySet[ErasureRequest]:
    if not may_carry_out_erasures(user):
        raise PermissionDenied("Only administrators carry out erasures.")
    return ErasureRequest.objects.select_related("person__profile", "decided_by__profile").order_by(
        "status", "-requested_at"
    )


# --- Writes ---------------------------------------------------------------------------------------


def data_for_reading(*, person: User, by: User) -> list[Section]:
    """A person's data for their own page: the same sections as the export, not recorded (only
    the file leaving the platform, ``data_export``, is an export)."""
    if by.pk != person.pk:
        raise PermissionDenied("A person reads only their own data.")
    return personal_data_for(person)


@transaction.atomic
def data_export(*, person: User, by: User) -> list[Section]:
    """A person's export (the file, or the API's), recorded in the audit log as "data exported"
    (who, never what)."""
    if by.pk != person.pk:
        raise PermissionDenied("A person exports only their own data.")
    sections = personal_data_for(person)
    audit.record(actor=by, action="data exported", target=person)
    return sections


@transaction.atomic
def programme_export(*, programme: Any, by: User) -> dict:
    """A programme's records for a coordinator, from every app's ``programme_data``: only what
    a coordinator already reads. The caller has checked, through the programme's access helper,
    that ``by`` coordinates it. Recorded in the audit log."""
    sections = [section for provider in programme_data for section in provider(programme)]
    audit.record(actor=by, action="data exported", target=programme)
    return {
        "format": "mentorcraft-programme-records/1",
        "programme": str(programme),
        "exported_by": by.display_name,
        "exported_at": timezone.now().isoformat(),
        "sections": [
            {"title": section.title, "note": section.note, "rows": section.rows}
            for section in sections
        ],
    }


@transaction.atomic
def erasure_request_create(*, person: User, reason: str = "") -> ErasureRequest:
    """Ask to be erased. A second request while one is open returns the open one."""
    if not person.is_active:
        raise TransitionError("This account is no longer active.")
    User.objects.select_for_update().filter(pk=person.pk).first()
    open_request = ErasureRequest.objects.filter(
        person=person, status=ErasureRequest.Status.REQUESTED
    ).first()
    if open_request is not None:
        return open_request
    erasure = ErasureRequest(person=person, reason=reason.strip())
    erasure.full_clean()
    erasure.save()
    audit.record(actor=person, action="erasure requested", target=erasure)
    return erasure


@transaction.atomic
def erasure_refuse(*, erasure: ErasureRequest, by: User, note: str) -> ErasureRequest:
    if not may_carry_out_erasures(by):
        raise PermissionDenied("Only administrators decide erasure requests.")
    if erasure.status != ErasureRequest.Status.REQUESTED:
        raise TransitionError("This request has already been decided.")
    if not note.strip():
        raise TransitionError("Say why the request is refused: the person reads it.")
    erasure.status = ErasureRequest.Status.REFUSED
    erasure.decided_by, erasure.decided_at, erasure.note = by, timezone.now(), note.strip()[:2000]
    erasure.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_at"])
    audit.record(actor=by, action="erasure refused", target=erasure)
    return erasure


# Every field of a profile that names a line manager (the person's own choice, the record's).
_MANAGER_FIELDS = [
    field.name
    for field in Profile._meta.get_fields()
    if field.is_relation
    and field.many_to_one
    and field.related_model is User
    and field.name != "user"
]


def _anonymise(person: User) -> None:
    person.email = f"erased-{person.pk}-{secrets.token_hex(6)}@{ERASED_EMAIL_DOMAIN}"
    person.set_unusable_password()  # a new password hash ends every session of theirs
    person.is_active = person.is_staff = person.is_superuser = False
    person.last_login = None
    person.save(
        update_fields=["email", "password", "is_active", "is_staff", "is_superuser", "last_login"]
    )
    person.groups.clear()
    person.user_permissions.clear()
    profile = Profile.objects.filter(user=person).first()
    if profile is not None:
        profile.full_name = FORMER_PARTICIPANT
        profile.pronouns = profile.job_title = profile.location = profile.bio = ""
        profile.languages = []
        profile.department = None
        for name in _MANAGER_FIELDS:
            setattr(profile, name, None)
        profile.save()
        profile.expertise.clear()
        profile.learning_topics.clear()
        person.profile = profile  # what ``display_name`` reads from now on
    # Their reports no longer name a manager who is gone.
    for name in _MANAGER_FIELDS:
        Profile.objects.filter(**{name: person}).update(**{name: None})
    ApiToken.objects.filter(user=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    Invitation.objects.filter(invited_by=person, accepted_at__isnull=True).delete()
    _remove_sign_in_records(person)


def _remove_sign_in_records(person: User) -> None:
    # allauth keeps e-mail addresses and two-factor authenticators (and social accounts where
    # that app is installed) in its own tables.
    for label in ("account.EmailAddress", "mfa.Authenticator", "socialaccount.SocialAccount"):
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        model.objects.filter(user=person).delete()
    # The new password hash already ends their sessions at the next request; sessions are in
    # the database, so remove them now too (one scan of the unexpired ones).
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            session.delete()


@transaction.atomic
def person_erase(*, person: User, by: User, erasure: ErasureRequest | None = None) -> User:
    """Erase ``person``: anonymise them (their name becomes "A former participant", their
    e-mail an address that reaches nobody, no password, inactive, no tokens, sessions, two-factor
    or e-mail records), then let every app remove what only they wrote for themselves. Records
    shared with someone else stay, showing "A former participant". Refused while a retention
    hold stands (``erasure_holds_for``)."""
    if not may_carry_out_erasures(by):
        raise PermissionDenied("Only administrators carry out erasures.")
    if by.pk == person.pk:
        raise TransitionError("An administrator cannot erase their own account here.")
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.email.endswith("@" + ERASED_EMAIL_DOMAIN):
        raise TransitionError("This person has already been erased.")
    if erasure is not None and erasure.status != ErasureRequest.Status.REQUESTED:
        raise TransitionError("This request has already been decided.")
    holds = erasure_holds_for(person)
    if holds:
        raise TransitionError("Erasure must wait: " + "; ".join(holds) + ".")
    erased_name = person.display_name
    _anonymise(person)
    person.erased_name = erased_name
    for eraser in erasers:
        eraser(person)
    now = timezone.now()
    ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.REQUESTED).update(
        status=ErasureRequest.Status.CARRIED_OUT, decided_by=by, decided_at=now, updated_at=now
    )
    ErasureRequest.objects.filter(person=person).update(reason="")
    audit.record(
        actor=by,
        action="person erased",
        target=person,
        # Never the name they had: the log keeps who erased and when, not who they were.
        detail=(
            f"Erased{' on their request' if erasure is not None else ''}: now "
            f"“{FORMER_PARTICIPANT}”; sign-in, e-mail and what they wrote for themselves removed."
        ),
    )
    return person
