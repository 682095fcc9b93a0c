"""CodeLearn's JSON API, `/api/v1`: the second face of the same services the pages use.

An endpoint has no logic of its own: it validates input, calls one service, returns JSON. When a
service lacks a function that a page blueprint does inline, move that logic into the service and
have both faces call it.

HOW TO ADD AN ENDPOINT
1. Module: one per area, `blueprints/api/<area>.py` (tutor, reviews, chat, ...), listed in AREAS
   below (that is what imports and so registers it). The tag in the OpenAPI document is the area.
2. Schemas: plain JSON Schema dicts, built with the helpers of blueprints/api/schemas.py (`obj`,
   `text`, `array`, `TIME` ...). They are the single source of truth: the request body is validated
   against `request=` (fastjsonschema; a failure is a 422 naming the field) and both go into
   openapi.json. Request bodies are closed objects (`obj` default); give every string a
   `maxLength`; stay within the keywords listed in schemas.py (draft-07 and 2020-12 read them alike).
3. Route:

       from blueprints.api.framework import endpoint, learner
       from blueprints.deps import service

       @endpoint("chat", "/chat/conversations/<conversation_id>", "GET", summary="One conversation",
                 response=CONVERSATION, errors=(429,))
       def conversation(conversation_id: str):
           \"\"\"Longer description for the document (optional).\"\"\"
           return conversation_json(service("chat").conversation(learner().id, conversation_id))

   The view gets the path arguments by name and `body=` (the validated dict) when `request=` is
   set; it returns the response dict (status `status=`, default 200), or None with `response=None`
   (204). `example=` is a valid body: it is shown in the document and is what the IDOR matrix's
   owner sends to make something. A body that is not JSON (a PDF): `media_type="application/pdf"`,
   `response={"type": "string", "contentMediaType": "application/pdf"}`, and the view returns its
   own flask Response (blueprints/api/progress.py's report).
4. Errors: raise, never return. Services raise services/errors.py exceptions (NotFoundError ->
   404, InvalidInput -> 422 with `details.fields`, Conflict -> 409, PermissionDenied -> 403,
   RateLimited -> 429 + Retry-After, Unavailable -> 503); blueprints/api/errors.py maps them, in
   one place, to `{"error": {code, message, details, timestamp, requestId}}`. Declare in `errors=`
   the statuses your service can raise beyond those the framework adds by itself (400/413/415/422
   with a body, 401 with auth, 404 with path arguments): schemathesis fails an undeclared status.
5. Auth: `auth=True` (the default) needs `Authorization: Bearer <access token>`; `learner()` is the
   User, `current_session()` the server-side Session. Cookies are never read, so there is no CSRF
   here. Look everything up through the learner's id: another learner's id must be a 404
   (services already answer NotFoundError for ids that are not the caller's).
6. Tests, automatic once the endpoint exists: tests/api/test_schemathesis.py fuzzes every operation
   of openapi.json (no 5xx, responses match their schemas, declared statuses only);
   tests/api/test_idor.py takes every path argument not in PUBLIC_ARGUMENTS (lesson_id, concept_id
   ...: the same for everyone) as something a learner owns, has an owner make things by sending
   every operation's `example`, and asks for each of the owner's ids as another learner: 404, and
   nothing of the owner's changes. Add a public argument name there if yours is not owned. Add
   behaviour tests of your own under tests/api/.
"""

from __future__ import annotations

import importlib

from flask import Flask, Request, Response, current_app, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from blueprints.api import errors
from blueprints.api.framework import OPERATIONS, PREFIX, bp

# Each area's module registers its endpoints on import; add yours here.
AREAS = ("openapi", "auth", "lessons", "account", "tutor", "reviews", "chat", "assistant", "progress")

errors.register(bp)


@bp.after_request
def _cross_origin(response):
    """CORS only for the origins named in API_CORS_ORIGINS (none by default: same-origin only)."""
    origin = request.headers.get("Origin")
    allowed = current_app.config.get("API_CORS_ORIGINS") or ()
    if origin and origin in allowed:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        response.headers["Access-Control-Max-Age"] = "600"
        response.headers.add("Vary", "Origin")
    return response


def _is_api_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def is_api_request() -> bool:
    return _is_api_path(request.path)


class CookieSessionOutsideApi(SecureCookieSessionInterface):
    """Flask's own signed-cookie session (everything but the choice below is inherited), except under
    /api/v1, where none is opened: the API reads no browser cookie at all (nothing there can ride
    on a logged-in browser), and saves the unsigning and re-signing of a cookie on every API call."""

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if _is_api_path(request.path):
            return self.make_null_session(app)
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not self.is_null_session(session):  # no Set-Cookie and no Vary: Cookie on API answers
            super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    from blueprints.login import csrf

    for area in AREAS:
        importlib.import_module(f"blueprints.api.{area}")
    csrf.exempt(bp)  # bearer tokens only: a browser's cookies are never accepted here
    app.session_interface = CookieSessionOutsideApi()
    app.register_blueprint(bp)


__all__ = ["OPERATIONS", "PREFIX", "init_app", "is_api_request"]
