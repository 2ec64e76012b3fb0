from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_is_public(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/programmes/" in response.json()["paths"]


def test_the_interactive_docs_are_for_coordinators_and_staff(client, alice, programme, mark):
    client.force_login(mark)
    assert client.get("/api/v1/docs").status_code == 302  # sent to sign in as someone else
    client.force_login(alice)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in response.text
    assert "cdn." not in response.text  # served from our own static files
