from __future__ import annotations

from django.urls import path

from mentorcraft.communities import views

app_name = "communities"

urlpatterns = [
    path("communities/", views.mine, name="mine"),
    path("programmes/<int:pk>/community/", views.programme_community, name="programme"),
    path("programmes/<int:pk>/community/mentees/", views.mentees_community, name="mentees"),
    path("communities/<int:pk>/", views.community_page, name="community"),
    path("communities/<int:pk>/about/", views.community_about, name="about"),
    path("communities/<int:pk>/threads/new/", views.thread_create, name="thread_create"),
    path("communities/<int:pk>/events/", views.events, name="events"),
    path("communities/<int:pk>/events/new/", views.event_create, name="event_create"),
    path("communities/<int:pk>/resources/", views.resources, name="resources"),
    path("communities/<int:pk>/resources/new/", views.resource_create, name="resource_create"),
    path("communities/threads/<int:pk>/", views.thread_page, name="thread"),
    path("communities/threads/<int:pk>/reply/", views.thread_reply, name="thread_reply"),
    path("communities/threads/<int:pk>/follow/", views.thread_follow, name="thread_follow"),
    path("communities/threads/<int:pk>/lock/", views.thread_lock, name="thread_lock"),
    path("communities/posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("communities/events/<int:pk>/", views.event_page, name="event"),
    path("communities/events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("communities/events/<int:pk>/answer/", views.event_rsvp, name="event_rsvp"),
    path("communities/events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path(
        "communities/events/<int:pk>/attendance/",
        views.event_attendance,
        name="event_attendance",
    ),
    path("communities/events/<int:pk>/calendar.ics", views.event_ics, name="event_ics"),
    path("communities/events/<int:pk>/figures/", views.event_figures_take, name="event_figures"),
    path(
        "communities/events/<int:pk>/figures.csv",
        views.event_figures_csv,
        name="event_figures_csv",
    ),
    path(
        "communities/resources/<int:pk>/download/",
        views.resource_download,
        name="resource_download",
    ),
    path("communities/resources/<int:pk>/remove/", views.resource_remove, name="resource_remove"),
]
