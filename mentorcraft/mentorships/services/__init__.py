"""Writes for mentorships, one module per subject. Every name is importable from here too, so
that callers write ``from mentorcraft.mentorships import services``."""

from __future__ import annotations

from mentorcraft.mentorships.services.agreement import agreement_propose, agreement_sign
from mentorcraft.mentorships.services.closure import (
    PLANNED_CLOSE_WINDOW_DAYS,
    REOPEN_WITHIN_DAYS,
    closure_reflect,
    closure_reopen,
    closure_start,
)
from mentorcraft.mentorships.services.feedback import (
    feedback_give,
    feedback_request_create,
    midpoint_review_submit,
    pulse_submit,
)
from mentorcraft.mentorships.services.goals import goal_create, goal_note_add, goal_rate
from mentorcraft.mentorships.services.meetings import (
    meeting_cancel,
    meeting_log,
    meeting_record,
    meeting_schedule,
    meeting_update,
)
from mentorcraft.mentorships.services.notes import (
    private_note_add,
    private_note_delete,
    private_note_update,
)
from mentorcraft.mentorships.services.pairs import (
    HEALTH_FIELDS,
    email_coordinators,
    email_pair,
    health_settings_update,
    mentorship_create,
    mentorship_create_peer,
    nudge,
    timeline_add,
)

__all__ = [
    "HEALTH_FIELDS",
    "PLANNED_CLOSE_WINDOW_DAYS",
    "REOPEN_WITHIN_DAYS",
    "agreement_propose",
    "agreement_sign",
    "closure_reflect",
    "closure_reopen",
    "closure_start",
    "email_coordinators",
    "email_pair",
    "feedback_give",
    "feedback_request_create",
    "goal_create",
    "goal_note_add",
    "goal_rate",
    "health_settings_update",
    "meeting_cancel",
    "meeting_log",
    "meeting_record",
    "meeting_schedule",
    "meeting_update",
    "mentorship_create",
    "mentorship_create_peer",
    "midpoint_review_submit",
    "nudge",
    "private_note_add",
    "private_note_delete",
    "private_note_update",
    "pulse_submit",
    "timeline_add",
]
