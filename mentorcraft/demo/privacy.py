"""Demo data for a person's own data: a former mentee of a closed mentorship who has asked to be
erased, so that an administrator can carry it out and see their mentor's records stay."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from mentorcraft.core.extensions import DemoContext, DemoLogin, DemoSeeder
from mentorcraft.mentorships.models import Mentorship
from mentorcraft.people import privacy
from mentorcraft.people.models import ErasureRequest, User

REASON = "I have left the organisation; please erase my data."


def seed(ctx: DemoContext) -> None:
    """The first closed mentorship of the running programme whose mentee has no other pair and
    nothing that holds an erasure back; that mentee asked two days ago."""
    named = {person.pk for person in ctx.people.values()}
    closed = (
        Mentorship.objects.filter(
            programme=ctx.programmes["running"], status=Mentorship.Status.CLOSED
        )
        .exclude(mentee_id__in=named)
        .exclude(mentor_id__in=named)
        .select_related("mentee")
        .order_by("closed_on", "pk")
    )
    for mentorship in closed:
        mentee = mentorship.mentee
        others = Mentorship.every.filter(Q(mentor=mentee) | Q(mentee=mentee)).exclude(
            pk=mentorship.pk
        )
        if others.exists() or privacy.erasure_holds_for(mentee):
            continue
        erasure = privacy.erasure_request_create(person=mentee, reason=REASON)
        asked = timezone.now() - datetime.timedelta(days=2)
        ErasureRequest.objects.filter(pk=erasure.pk).update(requested_at=asked)
        ctx.people["erasure"] = mentee
        return


def _erasure_to_carry_out(user: User) -> bool:
    return user.is_superuser and any(
        not privacy.erasure_holds_for(erasure.person)
        for erasure in ErasureRequest.objects.filter(status=ErasureRequest.Status.REQUESTED)
    )


SEEDER = DemoSeeder("privacy", seed)
LOGINS = [
    DemoLogin(
        "admin",
        "Admin",
        "Sam Okafor",
        "Erasures: a former mentee asked to be erased; carry it out and see their mentor's "
        "notes, goals and meetings stay",
        _erasure_to_carry_out,
    ),
]
