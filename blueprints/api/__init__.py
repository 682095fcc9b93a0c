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
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface

from blueprints.api import errors
from blueprints.api.framework import OPERATIONS, PREFIX, bp

# Each area's module registers its endpoints on import; add yours here.
AREAS = ("openapi", "auth", "lessons", "account", "tutor", "reviews", "chat", "assistant", "progress")

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


class NoCookieSession(SecureCookieSessionInterface):
    """The API reads no browser cookie and sets none: nothing there can ride on a logged-in
    browser (so no CSRF surface), and no cookie is unsigned or signed on an API call. Flask then
    gives each request its null session, which refuses writes."""

    def open_session(self, app: Flask, request: Any) -> None:
        return None

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        return None


def build_api_app(pages: Flask) -> Flask:
    """The API's own Flask app over the pages app's settings and services (one config, one set of
    extensions: the same store, AI layer and limits), with no cookie session and only the API's
    routes and error format."""
    for area in AREAS:
        importlib.import_module(f"blueprints.api.{area}")
    api = Flask(pages.import_name, static_folder=None)
    api.config = pages.config
    api.extensions = pages.extensions
    api.session_interface = NoCookieSession()
    errors.register(api)
    api.register_blueprint(bp)
    api.pages_app = pages  # page links in mails and answers (framework.page_url)
    return api


class ApiMount:
    """WSGI, inside the request boundary (request id, security headers, request log): requests
    under /api/v1 go to the API app, built on the first of them; the rest to the pages. Building it
    registers ~55 routes, whose compiling by Werkzeug cost ~40 ms that a Lambda cold start serving
    a page no longer pays (bench.package)."""

    def __init__(self, pages: Flask, pages_wsgi: Callable) -> None:
        self.pages = pages
        self.pages_wsgi = pages_wsgi
        self._api: Flask | None = None
        self._lock = threading.Lock()

    @property
    def api(self) -> Flask:
        if self._api is None:
            with self._lock:
                if self._api is None:
                    self._api = build_api_app(self.pages)
        return self._api

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if _is_api_path(environ.get("PATH_INFO", "")):
            return self.api.wsgi_app(environ, start_response)
        return self.pages_wsgi(environ, start_response)


def init_app(app: Flask) -> None:
    """Mount the API on `app` (call before the request boundary wraps it, so API answers get it too)."""
    mount = ApiMount(app, app.wsgi_app)
    app.extensions["codelearn.api_mount"] = mount
    app.wsgi_app = mount


def api_app(pages: Flask) -> Flask:
    """The API app mounted on `pages` (built now if no API request has built it yet)."""
    return pages.extensions["codelearn.api_mount"].api


__all__ = ["OPERATIONS", "PREFIX", "api_app", "init_app"]
