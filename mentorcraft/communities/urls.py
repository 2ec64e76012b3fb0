from __future__ import annotations

app_name = "communities"

urlpatterns: list = []
