"""What the programmes app adds to the extension points in ``core.extensions``."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse

from mentorcraft.core.extensions import NavItem, NextStep, Panel, Section, plain_rows
from mentorcraft.people.models import User
from mentorcraft.programmes import selectors
from mentorcraft.programmes.access import REVIEWER_ROLES, roles_by_programme
from mentorcraft.programmes.models import (
    Application,
    EthicsAcknowledgement,
    Programme,
    ProgrammeRole,
)

NAV_PROGRAMMES = NavItem("Programmes", "programmes:list", "programmes")


def roles_held(user: User) -> set[str]:
    return set().union(*roles_by_programme(user).values())


def people_of_led_programmes(user: User) -> Q:
    """Coordinators and coaches read the profiles of their programmes' people and applicants."""
    led = ProgrammeRole.objects.filter(user=user, role__in=REVIEWER_ROLES).values("programme_id")
    in_led = ProgrammeRole.objects.filter(programme_id__in=led).values("user_id")
    applied_to_led = Application.objects.filter(programme_id__in=led).values("applicant_id")
    return Q(pk__in=in_led) | Q(pk__in=applied_to_led)


def next_steps(user: User) -> list[NextStep]:
    """Sign a code of ethics, review applications, confirm a report, apply: six queries."""
    steps = [
        NextStep(
            title=f"Acknowledge the code of ethics of {code.programme.name}",
            detail=f"Version {code.version} was published; please read and sign it.",
            url=reverse("programmes:ethics", args=[code.programme_id]),
            kind="ethics",
            urgency=10,
        )
        for code in selectors.ethics_pending_for_user(user)
    ]
    for programme_id, name, waiting in selectors.review_counts_for(user):
        steps.append(
            NextStep(
                title=f"Review {waiting} application{'s' if waiting != 1 else ''}",
                detail=f"in {name}",
                url=reverse("programmes:review_queue", args=[programme_id]),
                kind="review",
                urgency=20,
            )
        )
    for application in selectors.confirmations_waiting_for(user):
        steps.append(
            NextStep(
                title=f"Confirm {application.applicant.display_name} as a mentee",
                detail=f"Your report asked to join {application.programme.name}.",
                url=reverse("programmes:confirm", args=[application.confirmation_token]),
                kind="confirm",
                urgency=20,
            )
        )
    for programme in selectors.programmes_open_to(user):
        steps.append(
            NextStep(
                title=f"Apply to {programme.name}",
                detail="Applications are open, as a mentor or as a mentee.",
                url=reverse("programmes:apply", args=[programme.pk]),
                kind="apply",
                urgency=90,
            )
        )
    return steps


HOME_ROLES_SHOWN = 12


def home_programmes_panel(request: HttpRequest) -> Panel:
    roles = request.user.programme_roles.select_related("programme").order_by(
        "-programme__start_date", "programme__name"
    )
    shown = list(roles[: HOME_ROLES_SHOWN + 1])
    return Panel(
        "programmes/_home_programmes.html",
        {"roles": shown[:HOME_ROLES_SHOWN], "more": len(shown) > HOME_ROLES_SHOWN},
    )


def home_applications_panel(request: HttpRequest) -> Panel | None:
    applications = list(request.user.applications.select_related("programme")[:10])
    if not applications:
        return None
    return Panel("programmes/_home_applications.html", {"applications": applications})


# --- A person's data: export, erasure and what holds an erasure back -----------------------------


def personal_data(user: User) -> list[Section]:
    """The person's roles, applications and the codes of ethics they signed."""
    return [
        Section(
            "Your roles",
            plain_rows(
                ProgrammeRole.objects.filter(user=user).select_related("programme"),
                {"programme": "programme.name", "role": "role", "since": "created_at"},
            ),
        ),
        Section(
            "Your applications",
            plain_rows(
                Application.objects.filter(applicant=user).select_related("programme"),
                {
                    "programme": "programme.name",
                    "role": "role",
                    "status": "status",
                    "sent": "created_at",
                    "statement": "statement",
                    "hours a month": "hours_per_month",
                    "availability": "availability",
                    "preferred qualities": "preferred_qualities",
                    "decision reason": "decision_reason",
                    "decided": "decided_at",
                },
            ),
        ),
        Section(
            "Codes of ethics you signed",
            plain_rows(
                EthicsAcknowledgement.objects.filter(user=user).select_related("code__programme"),
                {
                    "programme": "code.programme.name",
                    "version": "code.version",
                    "signed": "acknowledged_at",
                },
            ),
        ),
    ]


def erase_personal_data(user: User) -> None:
    """What the person wrote about themselves in applications goes; the decisions stay."""
    Application.objects.filter(applicant=user).update(
        statement="", availability="", preferred_qualities=""
    )


def programme_data(programme: Programme) -> list[Section]:
    """The programme's people and applications as its coordinators see them in lists."""
    return [
        Section(
            "Roles",
            plain_rows(
                ProgrammeRole.objects.filter(programme=programme).select_related("user__profile"),
                {"person": "user.display_name", "role": "role", "since": "created_at"},
            ),
        ),
        Section(
            "Applications",
            plain_rows(
                Application.objects.filter(programme=programme).select_related(
                    "applicant__profile"
                ),
                {
                    "person": "applicant.display_name",
                    "role": "role",
                    "status": "status",
                    "sent": "created_at",
                    "fit score": "fit_score",
                    "decided": "decided_at",
                },
            ),
        ),
    ]
