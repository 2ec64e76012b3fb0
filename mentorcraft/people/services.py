"""Writes for people: profiles, API tokens, invitations and the topic taxonomy."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorcraft.core import audit
from mentorcraft.core.errors import TransitionError
from mentorcraft.notifications.services import absolute_url, email_queue
from mentorcraft.people.models import ApiToken, Invitation, Profile, Topic, User
from mentorcraft.people.selectors import RECRUITING

PROFILE_FIELDS = {
    "full_name",
    "pronouns",
    "job_title",
    "department",
    "line_manager",
    "location",
    "time_zone",
    "languages",
    "bio",
    "years_experience",
    "hours_per_month",
}


def profile_ensure(*, user: User, full_name: str = "") -> Profile:
    """Every user has a profile; a new account starts with a name taken from the email."""
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    if profile is not None:
        return profile
    name = full_name or user.email.split("@")[0].replace(".", " ").title()
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"full_name": name})
    return profile


@transaction.atomic
def profile_update(
    *,
    profile: Profile,
    by: User,
    expertise: Iterable[Topic] | None = None,
    learning_topics: Iterable[Topic] | None = None,
    **fields: object,
) -> Profile:
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise ValidationError(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    if (
        "line_manager" in fields
        and profile.org_manager_id
        and getattr(fields["line_manager"], "pk", None) != profile.org_manager_id
    ):
        raise ValidationError(
            {
                "line_manager": "Your line manager is on the organisation's record; "
                "ask a coordinator if it is wrong."
            }
        )
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.line_manager_id and manages_through_chain(profile.user, profile.line_manager):
        raise ValidationError(
            {"line_manager": "That would make a loop: this person already manages them."}
        )
    profile.full_clean()
    profile.save()
    if expertise is not None:
        profile.expertise.set(list(expertise))
    if learning_topics is not None:
        profile.learning_topics.set(list(learning_topics))
    return profile


@transaction.atomic
def profile_set_org_manager(
    *, profile: Profile, manager: User | None, by: User | None, check_loop: bool = True
) -> Profile:
    """Put the organisation's record of a person's line manager on their profile (a coordinator,
    or an import with ``by=None``). It wins over the person's own pick, which it replaces; clearing
    it leaves the person free to pick again."""
    if manager is not None:
        if manager.pk == profile.user_id:
            raise ValidationError({"manager": "A person cannot be their own line manager."})
        if not manager.is_active:
            raise ValidationError({"manager": f"{manager.display_name} is no longer active."})
        # An import checks loops once the whole file is in (people.imports): it passes False.
        if check_loop and manages_through_chain(profile.user, manager):
            raise ValidationError(
                {"manager": "That would make a loop: this person already manages them."}
            )
    profile.org_manager = manager
    profile.org_manager_set_by = by
    profile.org_manager_set_at = timezone.now()
    fields = ["org_manager", "org_manager_set_by", "org_manager_set_at", "updated_at"]
    if manager is not None:
        profile.line_manager = manager
        fields.append("line_manager")
    # Only these links and stamps change, and the manager was checked above: no full_clean,
    # whose look-up of every link would cost an import a query per field per person.
    profile.save(update_fields=fields)
    audit.record(
        actor=by,
        action="people.org_manager_set",
        target=profile.user,
        detail=f"line manager on record: {manager.display_name if manager else 'none'}",
    )
    return profile


def manages_through_chain(manager: User, person: User, depth: int = 20) -> bool:
    """True if ``manager`` is above ``person`` somewhere in the reporting chain."""
    current = person
    for _ in range(depth):
        profile = Profile.objects.filter(user=current).only("line_manager").first()
        if profile is None or profile.line_manager_id is None:
            return False
        if profile.line_manager_id == manager.pk:
            return True
        current = profile.line_manager
    return False


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    days: int = ApiToken.DEFAULT_LIFETIME,
    read_only: bool = False,
) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and only its hash is kept. It lasts
    ``days`` (one of ``ApiToken.LIFETIMES``) and dies with the owner's password."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the token after the script that will use it."})
    if days not in ApiToken.LIFETIMES:
        raise ValidationError({"days": "Choose how long the token lasts from the list."})
    now = timezone.now()
    live = user.api_tokens.filter(revoked_at__isnull=True, expires_at__gt=now)
    if live.count() >= 20:
        raise TransitionError("You have 20 active tokens; revoke one first.")
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=raw[3:11],
        token_hash=ApiToken.hash(raw),
        expires_at=now + datetime.timedelta(days=days),
        read_only=read_only,
        password_stamp=ApiToken.stamp_for(user),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])


def api_token_find(raw: str) -> ApiToken | None:
    """The live token for this raw value: not revoked, not expired, its owner active and
    their password unchanged since it was made. Otherwise None."""
    if not raw or not raw.startswith("mc_"):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=ApiToken.hash(raw),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if token is None or token.password_stamp != ApiToken.stamp_for(token.user):
        return None
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def api_token_authenticate(raw: str) -> User | None:
    token = api_token_find(raw)
    return token.user if token is not None else None


@transaction.atomic
def invitation_create(
    *, by: User, email: str, programme=None, role: str = "", valid_days: int = 14
) -> Invitation:
    """One invitation by e-mail; with a programme, to apply to it as ``role``. A waiting
    invitation to the same address is replaced (its link stops working)."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise TransitionError(f"{email} already has an account.")
    if programme is not None and role not in ("mentor", "mentee"):
        raise ValidationError({"role": "Say whether they are invited as a mentee or a mentor."})
    _check_open_for_applications(programme)
    if programme is None:
        role = ""
    Invitation.objects.filter(email=email, accepted_at__isnull=True).update(
        expires_at=timezone.now()
    )
    invitation = Invitation(
        email=email,
        invited_by=by,
        programme=programme,
        role=role,
        expires_at=timezone.now() + datetime.timedelta(days=valid_days),
    )
    invitation.full_clean()
    invitation.save()
    email_queue(
        to=[email],
        subject=(
            f"You are invited to {programme.name} on Mentorcraft"
            if programme is not None
            else "You are invited to Mentorcraft"
        ),
        template="people/email/invitation.txt",
        context={
            "invitation": invitation,
            "url": absolute_url(reverse("people:invitation", args=[invitation.token])),
            "site": settings.SITE_URL,
        },
    )
    return invitation


def _check_open_for_applications(programme) -> None:  # noqa: ANN001 - programmes is above people
    """An invitation names only a programme open for applications: recruiting, not yet ended."""
    if programme is None:
        return
    if programme.phase != RECRUITING or programme.end_date < timezone.localdate():
        raise ValidationError(
            {
                "programme": f"{programme.name} is not open for applications, so nobody can be "
                "invited to apply to it. Choose a programme that is recruiting, or invite them "
                "to Mentorcraft without a programme."
            }
        )


def invitations_create(
    *, by: User, emails: Iterable[str], programme=None, role: str = ""
) -> tuple[list[Invitation], list[str]]:
    """Invite many addresses at once: each is its own invitation (one bad address does not stop
    the others). Returns the invitations sent and, for the rest, why not (a sentence each)."""
    _check_open_for_applications(programme)
    sent: list[Invitation] = []
    skipped: list[str] = []
    for email in emails:
        try:
            sent.append(invitation_create(by=by, email=email, programme=programme, role=role))
        except TransitionError as exc:
            skipped.append(" ".join(exc.messages))
    return sent, skipped


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )


@transaction.atomic
def topic_save(
    *, by: User, name: str, category: str = "", description: str = "", topic: Topic | None = None
) -> Topic:
    topic = topic or Topic()
    topic.name, topic.category, topic.description = name.strip(), category.strip(), description
    topic.full_clean()
    topic.save()
    return topic
