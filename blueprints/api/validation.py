"""Request bodies checked against their endpoint's JSON Schema, with fastjsonschema.

fastjsonschema turns a schema into a small Python function once; that happens on the first request
of each endpoint (and the library is imported then too), so a cold start that serves a page pays
nothing for the API.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from blueprints.api.errors import ApiError
from blueprints.api.schemas import Schema

_compiled: dict[int, Callable[[Any], Any]] = {}
_lock = threading.Lock()


def _validator(schema: Schema) -> Callable[[Any], Any]:
    found = _compiled.get(id(schema))
    if found is None:
        import fastjsonschema  # the first API body of the process

        with _lock:
            found = _compiled.setdefault(id(schema), fastjsonschema.compile(schema))
    return found


def validate(schema: Schema, body: Any) -> Any:
    """The body (with the schema's defaults filled in), or a 422 naming the first field at fault."""
    from fastjsonschema import JsonSchemaValueException

    try:
        return _validator(schema)(body)
    except JsonSchemaValueException as exc:
        where = ".".join(str(part) for part in (exc.path or [])[1:]) or "body"
        message = exc.message.replace(exc.name or "data", where, 1)
        raise ApiError(422, f"The request body is not valid: {message}.",
                       details={"fields": {where: message}}) from None
