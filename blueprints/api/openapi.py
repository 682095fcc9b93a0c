"""`GET /api/v1/openapi.json`: the OpenAPI 3.1 document, assembled by apispec from the endpoints'
own records (framework.OPERATIONS), so it cannot drift from the code.

apispec is imported, and the document built, on the first request for it in a process: a cold
start serving anything else pays nothing for it.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from flask import current_app, request

from blueprints.api.framework import OPERATIONS, PREFIX, Operation, endpoint
from blueprints.api.schemas import ERROR

TITLE = "CodeLearn API"
VERSION = "1.0.0"
ERROR_REF = {"$ref": "#/components/schemas/Error"}
STATUS_TEXT = {
    400: "The request could not be read (not JSON, or malformed).",
    401: "No valid access token: log in, or refresh the token.",
    403: "Not allowed.",
    404: "Not found (or not yours).",
    409: "Clashes with what is already done.",
    413: "The body is larger than the server accepts.",
    415: "The body is not application/json.",
    422: "The body does not match its schema, or a service refused its content.",
    429: "Too many requests: wait Retry-After seconds.",
    503: "A dependency is busy or down: try again after Retry-After seconds.",
}
# Path arguments are ids and slugs: one URL segment of URL-safe characters.
PATH_ARGUMENT = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[A-Za-z0-9_~-]+$"}
_ARGUMENT = re.compile(r"<(?:[a-z]+:)?([A-Za-z_][A-Za-z0-9_]*)>")


def openapi_path(rule: str) -> str:
    """Flask's `/lessons/<lesson_id>` as OpenAPI's `/api/v1/lessons/{lesson_id}`."""
    return PREFIX + _ARGUMENT.sub(r"{\1}", rule)


def error_statuses(op: Operation) -> list[int]:
    """What can go wrong, by what the endpoint has: a body, a token, path arguments, and its own list."""
    statuses = set(op.errors)
    if op.request is not None:
        statuses |= {400, 413, 415, 422}
    if op.auth:
        statuses.add(401)
    if op.path_args:
        statuses.add(404)
    return sorted(statuses)


def _operation(op: Operation) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    if op.response is None:
        responses["204"] = {"description": "Done; nothing to return."}
    else:
        responses[str(op.status)] = {"description": op.summary,
                                     "content": {op.media_type: {"schema": copy.deepcopy(op.response)}}}
    for status in error_statuses(op):
        answer: dict[str, Any] = {"description": STATUS_TEXT.get(status, "Error."),
                                  "content": {"application/json": {"schema": ERROR_REF}}}
        if status in (429, 503):
            answer["headers"] = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
        responses[str(status)] = answer
    operation: dict[str, Any] = {
        "operationId": op.endpoint.removeprefix("api."), "summary": op.summary, "tags": [op.area],
        "responses": responses, "security": [{"bearer": []}] if op.auth else [],
    }
    if op.description:
        operation["description"] = op.description
    if op.path_args:
        operation["parameters"] = [{"name": name, "in": "path", "required": True, "schema": dict(PATH_ARGUMENT)}
                                   for name in op.path_args]
    if op.request is not None:
        content: dict[str, Any] = {"schema": copy.deepcopy(op.request)}
        if op.example is not None:
            content["example"] = op.example
        operation["requestBody"] = {"required": True, "content": {"application/json": content}}
    return operation


def build_document(operations: list[Operation]) -> dict[str, Any]:
    from apispec import APISpec  # only when the document is asked for

    spec = APISpec(title=TITLE, version=VERSION, openapi_version="3.1.0", info={
        "description": "JSON API of CodeLearn for mobile and other clients. Log in at /auth/login for a "
                       "token pair; send the access token as 'Authorization: Bearer'. Errors always come as "
                       "{\"error\": {code, message, details, timestamp, requestId}}."})
    spec.components.schema("Error", copy.deepcopy(ERROR))
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "description": "An access token from /auth/login or /auth/refresh."})
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(openapi_path(op.rule), {})[op.method.lower()] = _operation(op)
    for path, operations_of_path in paths.items():
        spec.path(path=path, operations=operations_of_path)
    for area in sorted({op.area for op in operations}):
        spec.tag({"name": area})
    return spec.to_dict()


@endpoint("meta", "/openapi.json", "GET", auth=False, summary="This API's OpenAPI 3.1 description",
          response={"type": "object", "required": ["openapi", "paths"]})
def openapi_document():
    """Built from the code on first request and kept for the process; the server URL is this request's."""
    cached = current_app.extensions.get("codelearn.api_openapi")
    if cached is None:
        cached = current_app.extensions["codelearn.api_openapi"] = build_document(OPERATIONS)
    return {**cached, "servers": [{"url": request.script_root or "/"}]}
