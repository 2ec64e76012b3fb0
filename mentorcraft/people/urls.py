from __future__ import annotations

from django.urls import path

from mentorcraft.people import views

app_name = "people"

urlpatterns = [
    path("me/", views.profile_edit, name="profile_edit"),
    path("people/<int:user_id>/", views.profile_detail, name="profile"),
    path("api/", views.api_about, name="api_about"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("topics/", views.topics, name="topics"),
    path("invitations/", views.invitations, name="invitations"),
    path("invite/<str:token>/", views.invitation_landing, name="invitation"),
]
