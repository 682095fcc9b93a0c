"""The machinery every `/api/v1` endpoint goes through: `@endpoint(...)` registers the view on the
API blueprint and records its Operation (the OpenAPI document is built from these records), then on
each request authenticates the bearer token, reads and validates the JSON body and answers JSON.

Views stay thin: they take the validated body and path arguments, call one service, and return a
dict (the response body) or None (204). Errors are raised, never returned: services raise
services/errors.py exceptions, the framework raises ApiError; blueprints/api/errors.py maps both.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from blueprints.api.errors import ApiError
from blueprints.api.schemas import Schema
from blueprints.api.validation import validate
from blueprints.deps import service
from dal.base import Session, User
from services.api_tokens import TokenRefused

PREFIX = "/api/v1"
JSON = "application/json"
bp = Blueprint("api", __name__, url_prefix=PREFIX)


@dataclass(frozen=True)
class Operation:
    """One endpoint as the OpenAPI document and the test suites see it."""

    endpoint: str  # "api.<area>_<view>"
    rule: str  # the Flask rule under /api/v1, e.g. "/lessons/<lesson_id>/submit"
    method: str
    area: str  # the OpenAPI tag
    summary: str
    description: str
    request: Schema | None
    response: Schema | None  # None: 204 No Content
    status: int
    errors: tuple[int, ...]  # statuses besides the ones the framework adds (400/401/404/413/415/422)
    auth: bool
    example: dict[str, Any] | None  # a valid body: documented, and what the IDOR matrix's owner sends
    path_args: tuple[str, ...] = field(default=())
    media_type: str = JSON  # of the success response; another one (a PDF) is the view's own Response


OPERATIONS: list[Operation] = []


def endpoint(area: str, rule: str, method: str, *, summary: str, request: Schema | None = None,
             response: Schema | None = None, status: int = 200, errors: tuple[int, ...] = (), auth: bool = True,
             example: dict[str, Any] | None = None,
             media_type: str = JSON) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `view` at `/api/v1<rule>` for `method`. The view gets the path arguments by name,
    and `body=` (the validated JSON) when `request` is given. With another `media_type` than JSON
    (e.g. "application/pdf") the view returns its own Response, and `response` describes the body
    (`{"type": "string", "contentMediaType": ...}`)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{area}_{view.__name__}"
        op = Operation(
            endpoint=f"api.{name}", rule=rule, method=method.upper(), area=area, summary=summary,
            description=(view.__doc__ or "").strip(), request=request, response=response, status=status,
            errors=tuple(errors), auth=auth, example=example,
            path_args=tuple(part[1:-1].split(":")[-1] for part in rule.split("/") if part.startswith("<")),
            media_type=media_type,
        )

        @functools.wraps(view)
        def handle(**path_args: Any) -> Any:
            if op.auth:
                authenticate()
            if op.request is not None:
                path_args["body"] = validate(op.request, _json_body())
            result = view(**path_args)
            if op.response is None:
                return "", 204
            if op.media_type != JSON:
                return result
            response = jsonify(result)
            response.status_code = op.status
            return response

        bp.add_url_rule(rule, endpoint=name, view_func=handle, methods=[op.method])
        OPERATIONS.append(op)
        return handle

    return decorate


def _json_body() -> Any:
    if request.mimetype != "application/json":
        raise ApiError(415, "Send the body as JSON, with 'Content-Type: application/json'.")
    data = request.get_data(cache=True)  # past MAX_CONTENT_LENGTH: 413
    body = request.get_json(silent=True)
    if body is None and data.strip() != b"null":
        raise ApiError(400, "The request body is not valid JSON.", code="invalid_json")
    where = _lone_surrogate_at(body)
    if where is not None:
        message = "not text: it holds a lone UTF-16 surrogate"
        raise ApiError(422, f"The request body is not valid: {where} is {message}.",
                       details={"fields": {where: message}})
    return body


def _lone_surrogate_at(value: Any, path: str = "") -> str | None:
    """The first field whose text holds half of a UTF-16 pair (JSON can spell "\\udce9"; no store,
    parser or model takes it), as a dotted path, or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "body"
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and _lone_surrogate_at(key) is not None:
            return path or "body"
        found = _lone_surrogate_at(item, f"{path}.{key}" if path else str(key))
        if found is not None:
            return found
    return None


# --- who is asking ------------------------------------------------------------------------------
def authenticate() -> tuple[User, Session]:
    """The bearer token's learner and session, or a 401. Browser cookies are never looked at: the API
    has no cookie session, so a forged cross-site request carries nothing it accepts (no CSRF)."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, code="authentication_required")
    try:
        user, session = service("api_tokens").authenticate(token.strip())
    except TokenRefused as exc:
        raise ApiError(401, str(exc), code=exc.code) from None
    g.api_user, g.api_session = user, session
    return user, session


def learner() -> User:
    """The authenticated learner of this request (an endpoint with auth=True)."""
    return g.api_user


def current_session() -> Session:
    return g.api_session


def client_user_agent() -> str:
    return request.headers.get("User-Agent", "")


def page_url(endpoint_name: str, **values: Any) -> str:
    """The absolute URL of one of the site's pages (links in mails lead to pages), built with the
    pages app's routes for this request's host and mount point, as url_for would on a page."""
    pages = current_app.pages_app  # set by blueprints.api.build_api_app
    return pages.url_map.bind_to_environ(request.environ).build(endpoint_name, values, force_external=True)
