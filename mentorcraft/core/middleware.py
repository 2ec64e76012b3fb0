from __future__ import annotations

import json
from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from mentorcraft.core.extensions import roles_anywhere
from mentorcraft.core.roles import Role

# Everything is served from our own origin; no inline scripts or styles anywhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/v1/docs"):
            # The interactive API docs are Swagger UI served by django-ninja from our origin.
            response.headers.setdefault(
                "Content-Security-Policy",
                CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
            )
        else:
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response


def user_needs_mfa(user) -> bool:  # noqa: ANN001 - any user object
    """Coordinators and admins must have an authenticator when the deployment requires it."""
    if not user.is_authenticated:
        return False
    staff = user.is_staff or user.is_superuser or Role.COORDINATOR in roles_anywhere(user)
    return (
        staff and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


class RequireStaffMfaMiddleware:
    """With REQUIRE_MFA_FOR_STAFF=1, staff without TOTP can only reach the MFA set-up pages."""

    allowed_prefixes = ("/accounts/", "/static/", "/favicon")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.REQUIRE_MFA_FOR_STAFF
            and not request.path.startswith(self.allowed_prefixes)
            and user_needs_mfa(request.user)
        ):
            if request.path.startswith("/api/"):
                return HttpResponse(
                    '{"detail": "Set up two-factor authentication first."}',
                    status=403,
                    content_type="application/json",
                )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class PrivateNoStoreMiddleware:
    """Nothing a signed-in person sees may be kept by a browser or a proxy: pages show private
    notes, feedback, agreements, supervision. Every answer to a signed-in request (a session
    or an API token) says ``Cache-Control: no-store, private`` unless the view chose its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if (signed_in or "HTTP_AUTHORIZATION" in request.META) and (
            "Cache-Control" not in response.headers
        ):
            patch_cache_control(response, no_store=True, private=True)
        return response


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class JsonObjectBodyMiddleware:
    """The API's bodies, checked once for every endpoint before any sees them: a body larger
    than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is 413; a NUL character in any string is 422 naming
    where (PostgreSQL cannot store one; pages get the same from Django's form fields); a body
    that is not a JSON object of named fields is 422 (a bare string once made a goal whose
    title was its own capitalised text, and ``[null, null]`` queued a match run)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (request.path.startswith("/api/") and request.method in ("POST", "PUT", "PATCH")):
            return self.get_response(request)
        if request.content_type in FORM_TYPES:
            # Form fields (an upload's title, say): the same NUL rule, field by field.
            try:
                fields = list(request.POST.lists())
            except RequestDataTooBig as exc:
                return _refuse_body(413, "too_large", [], _too_big_message(exc))
            for name, values in fields:
                if any("\x00" in value for value in values) or "\x00" in name:
                    return _refuse_body(
                        422, "string_nul", [name], "Text may not contain a NUL character."
                    )
        else:
            # The API reads every other body as JSON, whatever its declared type.
            try:
                body = request.body
            except RequestDataTooBig:
                limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
                return _refuse_body(
                    413, "too_large", [], f"The body is larger than {limit / 2**20:g} MB."
                )
            try:
                data = json.loads(body) if body.strip() else {}
            except (ValueError, UnicodeDecodeError):
                data = {}  # not JSON at all: the API's own parser answers that (400)
            where = _nul_at(data)
            if where is not None:
                return _refuse_body(
                    422,
                    "string_nul",
                    where,
                    "Text may not contain a NUL character (\\u0000).",
                )
            if not isinstance(data, dict):
                return _refuse_body(
                    422, "model_type", [], 'The body must be a JSON object, such as {"title": "…"}.'
                )
        return self.get_response(request)


def _too_big_message(exc: RequestDataTooBig) -> str:
    """The upload limit's own sentence (core/uploads.py), or the form fields' limit."""
    said = str(exc)
    if said.startswith("The upload"):
        return said
    return f"The form is larger than {settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 2**20:g} MB."


class ApiMethodNotAllowedMiddleware:
    """A method an API path does not take (a GET where only POST is) answers 405 in JSON, as
    every other API error does, naming the methods it takes (also in ``Allow``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            allowed = response.get("Allow", "")
            answer = JsonResponse(
                {"detail": f"This address does not take {request.method}; it takes {allowed}."},
                status=405,
            )
            answer["Allow"] = allowed
            return answer
        return response


class UploadTooLargeMiddleware:
    """A page's form that is too large (a file over ``UPLOAD_MAX_BYTES``, refused while it
    arrives, or form fields over ``DATA_UPLOAD_MAX_MEMORY_SIZE``) gets a page that says so,
    with status 413, instead of Django's bare 400. Reading the form here, before any view or
    the CSRF check, is what Django would do a moment later anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and not request.path.startswith("/api/")
            and request.content_type in FORM_TYPES
        ):
            try:
                request.POST  # noqa: B018 - parse the form (and its files) now
            except UnreadablePostError:
                pass  # the sender went away mid-upload: the CSRF check answers, as before
            except RequestDataTooBig as exc:
                back = request.headers.get("referer", "")
                if not url_has_allowed_host_and_scheme(
                    back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
                ):
                    back = ""
                return render(
                    request,
                    "413.html",
                    {"message": _too_big_message(exc), "back": back},
                    status=413,
                )
        return self.get_response(request)


def _refuse_body(status: int, kind: str, where: list, message: str) -> JsonResponse:
    return JsonResponse(
        {"detail": [{"type": kind, "loc": ["body", *where], "msg": message}]}, status=status
    )


def _nul_at(data: object, path: tuple = ()) -> list | None:
    """Where in a JSON value a string holds a NUL (PostgreSQL cannot store one), or None."""
    if isinstance(data, str):
        return list(path) if "\x00" in data else None
    if isinstance(data, dict):
        items = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return None
    for key, value in items:
        if isinstance(key, str) and "\x00" in key:
            return [*path, key]
        found = _nul_at(value, (*path, key))
        if found is not None:
            return found
    return None
