from __future__ import annotations

app_name = "mentorships"

urlpatterns: list = []
