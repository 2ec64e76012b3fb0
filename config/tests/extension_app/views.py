from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse

from config.tests.extension_app.hooks import session_event
from config.tests.extension_app.models import ReadingSession
from mentorcraft.notifications.calendar import event_ics
from mentorcraft.programmes.access import first_or_404, knows_programme, refuse


@login_required
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    session = first_or_404(
        ReadingSession.objects.select_related("programme"), pk, "session", request.user
    )
    if not knows_programme(request.user, session.programme):
        refuse(request.user, session.programme, "Not yours.", what="session")
    return HttpResponse(event_ics(session_event(session)), content_type="text/calendar")
