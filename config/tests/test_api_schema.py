"""Property-based test of the whole API against its own OpenAPI schema (schemathesis, in-process).

Every operation is called with generated input, authenticated as a coordinator with a personal
token: no response may be a server error, and every response must match what the schema says
(status code, content type and body).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from mentorcraft.people.services import api_token_create

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Loading the schema is a plain request to the public /openapi.json; it touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(alice, programme, mentor_application, mentee_application, topics) -> str:  # noqa: ANN001
    """A coordinator's token, with a programme and applications for ids to land on."""
    # Requests go through the real WSGI handler, which closes the database connection after each
    # request; inside a test transaction that must not happen (Django's test client does the same).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield api_token_create(user=alice, name="schemathesis")[1]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_matches_its_schema_and_never_fails(case, token):  # noqa: ANN001
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
