from __future__ import annotations

from django.urls import path

from mentorcraft.people import views, views_import, views_privacy

app_name = "people"

urlpatterns = [
    path("me/", views.profile_edit, name="profile_edit"),
    path("people/<int:user_id>/", views.profile_detail, name="profile"),
    path("people/<int:user_id>/line-manager/", views.org_manager_set, name="org_manager"),
    path("people/search/", views.people_search, name="search"),
    path("people/picker/choose/", views.picker_choose, name="picker_choose"),
    path("people/picker/removed/", views.picker_removed, name="picker_removed"),
    path("api/", views.api_about, name="api_about"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/data/", views_privacy.my_data, name="my_data"),
    path("me/data.json", views_privacy.my_data_download, name="my_data_download"),
    path("me/erasure/", views_privacy.erasure_ask, name="erasure_ask"),
    path("erasure-requests/", views_privacy.erasure_requests, name="erasure_requests"),
    path(
        "erasure-requests/<int:pk>/", views_privacy.erasure_request_detail, name="erasure_request"
    ),
    path(
        "erasure-requests/<int:pk>/erase/",
        views_privacy.erasure_carry_out,
        name="erasure_carry_out",
    ),
    path("erasure-requests/<int:pk>/refuse/", views_privacy.erasure_refuse, name="erasure_refuse"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("topics/", views.topics, name="topics"),
    path("invitations/", views.invitations, name="invitations"),
    path("people/import/", views_import.people_import, name="import"),
    path("invite/<str:token>/", views.invitation_landing, name="invitation"),
]
