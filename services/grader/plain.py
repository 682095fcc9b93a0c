"""Plain data as it crosses the sandbox boundary: JSON with tuples and dicts tagged.

The runner (sandbox_text.to_json) writes None, bool, int, float, str and lists as JSON, a tuple as
``{"tuple": [...]}`` and a dict as ``{"dict": [[key, value], ...]}``, so the exact types survive.
The stored reference observations use the same form.
"""

from __future__ import annotations

from typing import Any

NOT_PLAIN = object()
MAX_DEPTH = 32  # the runner sends values at most 21 deep (its _to_plain)
_KEY_TYPES = (type(None), bool, int, float, str)


def from_tagged(value: Any, depth: int = 0) -> Any:
    """Tagged JSON (already parsed) back to plain data, or NOT_PLAIN."""
    if depth > MAX_DEPTH:
        return NOT_PLAIN
    if value is None or type(value) in (bool, int, float, str):
        return value
    if type(value) is list:
        items = [from_tagged(item, depth + 1) for item in value]
        return NOT_PLAIN if any(item is NOT_PLAIN for item in items) else items
    if type(value) is dict and len(value) == 1 and type(inner := next(iter(value.values()))) is list:
        tag = next(iter(value))
        if tag == "tuple":
            items = from_tagged(inner, depth + 1)
            return NOT_PLAIN if items is NOT_PLAIN else tuple(items)
        if tag == "dict" and all(type(pair) is list and len(pair) == 2 for pair in inner):
            pairs = [(from_tagged(k, depth + 1), from_tagged(v, depth + 1)) for k, v in inner]
            if any(v is NOT_PLAIN or type(k) not in _KEY_TYPES for k, v in pairs):
                return NOT_PLAIN
            return dict(pairs)
    return NOT_PLAIN


def to_tagged(value: Any) -> Any:
    """Plain data to the tagged form (for json.dumps)."""
    if type(value) is tuple:
        return {"tuple": [to_tagged(item) for item in value]}
    if type(value) is dict:
        return {"dict": [[to_tagged(k), to_tagged(v)] for k, v in value.items()]}
    if type(value) is list:
        return [to_tagged(item) for item in value]
    return value
