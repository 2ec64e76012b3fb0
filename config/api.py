"""The one NinjaAPI of the deployment: each app adds its router under /api/v1/."""

from __future__ import annotations

from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.openapi.views import openapi_json

from mentorcraft.communities.api import router as communities_router
from mentorcraft.core.errors import TransitionError
from mentorcraft.core.extensions import roles_anywhere
from mentorcraft.core.roles import Role
from mentorcraft.matching.api import router as matching_router
from mentorcraft.mentorships.api import router as mentorships_router
from mentorcraft.people.api import router as people_router
from mentorcraft.people.api_auth import API_AUTH
from mentorcraft.programmes.api import applications as applications_router
from mentorcraft.programmes.api import router as programmes_router
from mentorcraft.recognition.api import router as recognition_router
from mentorcraft.support.api import router as support_router
from mentorcraft.training.api import router as training_router


def _is_staff(user) -> bool:  # noqa: ANN001
    return user.is_authenticated and (user.is_staff or Role.COORDINATOR in roles_anywhere(user))


def _docs_for_staff(view):  # noqa: ANN001, ANN202
    # The schema is public (it documents the API and reveals no data, and scripts need it); the
    # interactive docs are for signed-in coordinators and staff.
    if getattr(view, "func", None) is openapi_json:
        return view
    return user_passes_test(_is_staff)(view)


api = NinjaAPI(
    title="Mentorcraft API",
    version="1",
    description="Programmes, applications, screening, profiles, matching, mentorships and "
    "training, and supervision. "
    "Authenticate with a browser session or `Authorization: Bearer <personal token>`. "
    'Errors are `{"detail": …}`: 400 a rule refused it, 401 not signed in, 403 not allowed, '
    "404 no such thing for you, 409 not now, 422 a malformed request (it breaks the schema, is "
    "not a JSON object, or holds a NUL character), 413 a body that is too large.",
    auth=API_AUTH,
    docs_decorator=_docs_for_staff,
    urls_namespace="api",
)


@api.exception_handler(TransitionError)
def on_transition_error(request: HttpRequest, exc: TransitionError):  # noqa: ANN201
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):  # noqa: ANN201
    if hasattr(exc, "error_dict"):
        return api.create_response(request, {"detail": exc.message_dict}, status=400)
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied):  # noqa: ANN201
    return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404):  # noqa: ANN201
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


api.add_router("/people/", people_router)
api.add_router("/programmes/", programmes_router)
api.add_router("/applications/", applications_router)
api.add_router("/matching/", matching_router)
api.add_router("/mentorships/", mentorships_router)
api.add_router("/training/", training_router)
api.add_router("/supervision/", support_router)
api.add_router("/communities/", communities_router)
api.add_router("/recognition/", recognition_router)
