"""A small JSON-Schema subset validator for model output (keeps jsonschema out of the Lambda zip).

Supported keywords: type, properties, required, additionalProperties (bool), items, minItems,
maxItems, minLength, maxLength, minimum, maximum, enum. That is all the task schemas use.
"""

from __future__ import annotations

from typing import Any

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


class SchemaError(ValueError):
    """The value does not match the schema; the message names the first offending path."""


def validate(value: Any, schema: dict[str, Any], path: str = "$") -> None:
    """Raise SchemaError when `value` does not match `schema`."""
    expected = schema.get("type")
    if expected is not None:
        kinds = _TYPES[expected]
        # bool is an int in Python; JSON keeps them apart.
        if not isinstance(value, kinds) or (isinstance(value, bool) and expected != "boolean"):
            raise SchemaError(f"{path}: expected {expected}, got {type(value).__name__}")
    if "enum" in schema and value not in schema["enum"]:
        raise SchemaError(f"{path}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        _check_range(len(value), schema.get("minLength"), schema.get("maxLength"), f"{path} length")
    if isinstance(value, int | float) and not isinstance(value, bool):
        _check_range(value, schema.get("minimum"), schema.get("maximum"), path)
    if isinstance(value, list):
        _check_range(len(value), schema.get("minItems"), schema.get("maxItems"), f"{path} items")
        item_schema = schema.get("items")
        if item_schema:
            for index, item in enumerate(value):
                validate(item, item_schema, f"{path}[{index}]")
    if isinstance(value, dict):
        _validate_object(value, schema, path)


def _validate_object(value: dict[str, Any], schema: dict[str, Any], path: str) -> None:
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            raise SchemaError(f"{path}: missing required property {name!r}")
    for name, item in value.items():
        if name in properties:
            validate(item, properties[name], f"{path}.{name}")
        elif schema.get("additionalProperties") is False:
            raise SchemaError(f"{path}: unexpected property {name!r}")


def _check_range(number: float, low: float | None, high: float | None, what: str) -> None:
    if low is not None and number < low:
        raise SchemaError(f"{what}: {number} is below the minimum {low}")
    if high is not None and number > high:
        raise SchemaError(f"{what}: {number} is above the maximum {high}")


def is_valid(value: Any, schema: dict[str, Any]) -> bool:
    try:
        validate(value, schema)
    except SchemaError:
        return False
    return True
