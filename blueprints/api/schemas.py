"""JSON Schema building blocks of the API: plain dicts, the one source of truth for validating request
bodies (blueprints/api/validation.py) and for the OpenAPI 3.1 document (blueprints/api/openapi.py).

OpenAPI 3.1 schemas are JSON Schema 2020-12. The validator (fastjsonschema) speaks draft-07, so
schemas here keep to the keywords both read the same way: type (a list for nullable), properties,
required, additionalProperties, items, enum, const, minLength / maxLength, minimum / maximum,
pattern, format. A test checks every schema against the 2020-12 meta-schema too.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}
TIME: Schema = {"type": "string", "format": "date-time"}
OPTIONAL_TIME: Schema = {"type": ["string", "null"], "format": "date-time"}
OPTIONAL_STRING: Schema = {"type": ["string", "null"]}


def text(max_length: int, *, min_length: int = 0, **extra: Any) -> Schema:
    schema: Schema = {"type": "string", "maxLength": max_length, **extra}
    if min_length:
        schema["minLength"] = min_length
    return schema


def obj(properties: dict[str, Schema], required: tuple[str, ...] | list[str] | None = None, *,
        closed: bool = True, **extra: Any) -> Schema:
    """An object; `required` defaults to every property. Request bodies are closed (an unknown
    field is a 422, so a typo never passes silently); responses may be opened for growth."""
    schema: Schema = {"type": "object", "properties": properties,
                      "required": list(properties if required is None else required), **extra}
    if closed:
        schema["additionalProperties"] = False
    return schema


def array(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


ERROR: Schema = obj({"error": obj({
    "code": text(64, description="Stable, machine-readable: e.g. validation_failed, not_found, rate_limited."),
    "message": text(2000, description="For people: safe to show the learner."),
    "details": {"type": "object", "description": "Per-field messages (`fields`), `retry_after` seconds, ..."},
    "timestamp": TIME,
    "requestId": text(80, description="Quote it when reporting a problem: the logs carry the same id."),
})})

USER: Schema = obj({
    "id": STRING, "email": STRING, "display_name": STRING, "role": {"enum": ["learner", "admin"]},
    "verified": BOOLEAN, "time_zone": OPTIONAL_STRING, "created_at": OPTIONAL_TIME, "last_login_at": OPTIONAL_TIME,
})

TOKENS: Schema = obj({
    "access_token": text(512, description="Send as 'Authorization: Bearer <token>'; lives minutes."),
    "refresh_token": text(512, description="Exchange once at /auth/refresh for a new pair (it rotates)."),
    "token_type": {"const": "Bearer"},
    "expires_in": {"type": "integer", "description": "Seconds the access token lives from now."},
    "expires_at": TIME,
    "user": USER,
})

ACCEPTED: Schema = obj({"status": {"enum": ["accepted"]}, "message": STRING})
DONE: Schema = obj({"status": {"enum": ["done"]}, "message": STRING})
