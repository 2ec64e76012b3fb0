"""What the people app adds to the extension points in ``core.extensions``."""

from __future__ import annotations

from django.http import HttpRequest

from mentorcraft.core.extensions import NavItem, Panel
from mentorcraft.people.imports import may_import_people
from mentorcraft.people.privacy import may_carry_out_erasures
from mentorcraft.people.selectors import can_edit_taxonomy

NAV_TOPICS = NavItem("Topics", "people:topics", show=can_edit_taxonomy)
NAV_INVITATIONS = NavItem("Invitations", "people:invitations", show=can_edit_taxonomy)
NAV_ERASURES = NavItem("Erasures", "people:erasure_requests", show=may_carry_out_erasures)
NAV_IMPORT = NavItem("Import people", "people:import", show=may_import_people)


def home_profile_panel(request: HttpRequest) -> Panel:
    return Panel("people/_home_profile.html")
