"""Building update expressions with every attribute name behind a placeholder, so reserved words
(name, status, count, value, ...) can never break a request."""

from __future__ import annotations

from typing import Any


def set_and_remove(attributes: dict[str, Any]) -> tuple[str, dict[str, str], dict[str, Any]]:
    """`SET #a = :a, ... REMOVE #b` for the attributes given; a None value removes the attribute.
    Returns the expression, its names and its values."""
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    assignments: list[str] = []
    removals: list[str] = []
    for index, (attribute, value) in enumerate(attributes.items()):
        names[f"#a{index}"] = attribute
        if value is None:
            removals.append(f"#a{index}")
        else:
            values[f":a{index}"] = value
            assignments.append(f"#a{index} = :a{index}")
    clauses = []
    if assignments:
        clauses.append("SET " + ", ".join(assignments))
    if removals:
        clauses.append("REMOVE " + ", ".join(removals))
    return " ".join(clauses), names, values
