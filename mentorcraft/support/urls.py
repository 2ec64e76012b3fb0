from __future__ import annotations

from django.urls import path

from mentorcraft.support import views

app_name = "support"

urlpatterns = [
    path("programmes/<int:pk>/supervision/peers/", views.peers, name="peers"),
    path(
        "programmes/<int:pk>/supervision/peers/propose/",
        views.peers_propose,
        name="peers_propose",
    ),
    path("programmes/<int:pk>/supervision/peers/pair/", views.peers_pair, name="peers_pair"),
    path("programmes/<int:pk>/supervision/peers/ask/", views.peer_ask, name="peer_ask"),
    path(
        "supervision/peer-pairs/<int:pk>/remove/", views.peer_match_remove, name="peer_match_remove"
    ),
    path(
        "supervision/peer-proposals/<int:pk>/publish/",
        views.peer_round_publish,
        name="peer_round_publish",
    ),
    path(
        "supervision/peer-proposals/<int:pk>/set-aside/",
        views.peer_round_discard,
        name="peer_round_discard",
    ),
    path(
        "supervision/peer-requests/<int:pk>/withdraw/",
        views.peer_request_withdraw,
        name="peer_request_withdraw",
    ),
    path("supervision/", views.mine, name="mine"),
    path("supervision/caseload/", views.caseload, name="caseload"),
    path("programmes/<int:pk>/supervision/", views.overview, name="overview"),
    path(
        "programmes/<int:pk>/supervision/supervisors/",
        views.supervisor_add,
        name="supervisor_add",
    ),
    path("programmes/<int:pk>/supervision/assign/", views.assign, name="assign"),
    path("programmes/<int:pk>/supervision/propose/", views.propose, name="propose"),
    path("programmes/<int:pk>/supervision/circles/new/", views.circle_create, name="circle_create"),
    path(
        "programmes/<int:pk>/supervision/sessions/new/",
        views.session_create,
        name="session_create",
    ),
    path("programmes/<int:pk>/supervision/concerns/", views.concern_list, name="concerns"),
    path("programmes/<int:pk>/supervision/check-ins/", views.check_ins, name="check_ins"),
    path("programmes/<int:pk>/supervision/coverage/", views.coverage, name="coverage"),
    path("programmes/<int:pk>/supervision/ask/", views.ask_send, name="ask_send"),
    path("supervision/asks/<int:pk>/", views.ask_detail, name="ask"),
    path(
        "programmes/<int:pk>/supervision/my-support/",
        views.my_external_support,
        name="my_external_support",
    ),
    path(
        "supervision/external/<int:pk>/end/",
        views.external_support_end,
        name="external_support_end",
    ),
    path("supervision/supervisors/<int:pk>/", views.supervisor_update, name="supervisor_update"),
    path("supervision/proposals/<int:pk>/", views.formation, name="formation"),
    path("supervision/proposals/<int:pk>/move/", views.formation_move, name="formation_move"),
    path(
        "supervision/proposals/<int:pk>/publish/",
        views.formation_publish,
        name="formation_publish",
    ),
    path(
        "supervision/proposals/<int:pk>/discard/",
        views.formation_discard,
        name="formation_discard",
    ),
    path("supervision/circles/<int:pk>/", views.circle_detail, name="circle"),
    path(
        "supervision/circles/<int:pk>/supervisor/",
        views.circle_supervisor,
        name="circle_supervisor",
    ),
    path("supervision/circles/<int:pk>/end/", views.circle_end, name="circle_end"),
    path("supervision/sessions/<int:pk>/", views.session_detail, name="session"),
    path(
        "supervision/sessions/<int:pk>/attendance/",
        views.session_attendance,
        name="session_attendance",
    ),
    path("supervision/sessions/<int:pk>/summary/", views.session_summary, name="session_summary"),
    path("supervision/sessions/<int:pk>/notes/", views.session_note, name="session_note"),
    path("supervision/sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("supervision/sessions/<int:pk>/calendar.ics", views.session_ics, name="session_ics"),
    path("supervision/topics/new/", views.topic_create, name="topic_create"),
    path("supervision/topics/<int:pk>/", views.topic_detail, name="topic"),
    path("supervision/topics/<int:pk>/tag/", views.topic_tag, name="topic_tag"),
    path("supervision/topics/<int:pk>/edit/", views.topic_edit, name="topic_edit"),
    path("supervision/topics/<int:pk>/withdraw/", views.topic_withdraw, name="topic_withdraw"),
    path(
        "supervision/circles/<int:pk>/agreement/",
        views.agreement_of_circle,
        name="circle_agreement",
    ),
    path(
        "supervision/assignments/<int:pk>/agreement/",
        views.agreement_of_assignment,
        name="assignment_agreement",
    ),
    path("supervision/agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path(
        "supervision/agreements/<int:pk>/propose/",
        views.agreement_propose,
        name="agreement_propose",
    ),
    path("supervision/agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("supervision/reflections/new/", views.reflection_create, name="reflection_create"),
    path("supervision/reflections/<int:pk>/", views.reflection_detail, name="reflection"),
    path(
        "supervision/reflections/<int:pk>/bring/",
        views.reflection_bring,
        name="reflection_bring",
    ),
    path("supervision/concerns/new/", views.concern_create, name="concern_create"),
    path("supervision/concerns/<int:pk>/", views.concern_detail, name="concern"),
    path("supervision/concerns/<int:pk>/status/", views.concern_status, name="concern_status"),
]
