"""Hidden checks and the reference solution's observations: the verdicts a submission cannot write.

The visible tests run next to the learner's code, so a submission that reaches the runner's objects
can rig what they report, and one that hard-codes the values the tests show passes them. A hidden
check is different: the sandbox only *observes* - runs the check's code (a function body, e.g.
``return add(-3, -4)``) and reports the value it returns (plain data) or the exception it raised.
The server compares that observation with the reference solution's, computed once by the content
check and kept on the server; it never enters the learner's process. So a rigged report would have
to contain values the submitter never saw, and a lookup table of the visible calls misses them.

A failed hidden check says which behaviour failed ("a hidden test with a negative number failed"),
never its input or the expected value, and its output is never shown.

Comparisons: ``"value"`` (the default) wants the same value with the same types (True is not 1,
a tuple is not a list), floats within a relative 1e-9; ``"types"`` only the same shape of types -
for checks where any value of the right kind is correct ("create a variable holding a city name").
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from services.grader.challenge import is_plain
from services.grader.errors import InvalidTests
from services.grader.plain import NOT_PLAIN, from_tagged, to_tagged

COMPARISONS = ("value", "types")
FLOAT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class HiddenCheck:
    """One behaviour checked on inputs the learner never sees."""

    name: str        # an identifier, unique in the lesson
    about: str       # completes "A hidden test with ... failed.", e.g. "a negative number"
    check: str       # a function body run in the learner's namespace; its return value is observed
    compare: str = "value"


@dataclass(frozen=True)
class Observation:
    value: Any = None           # plain data (None when the check raised)
    raised: str | None = None   # the exception's type name; "TypeName*" for a class the code defined


@dataclass(frozen=True)
class Reference:
    """The hidden checks of a challenge and what the reference solution observed for each."""

    checks: tuple[HiddenCheck, ...]
    observations: Mapping[str, Observation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [check.name for check in self.checks]
        for check in self.checks:
            _validate(check)
        if len(set(names)) != len(names):
            raise InvalidTests("Two hidden checks share a name.")
        missing = set(names) - set(self.observations)
        if self.observations and missing:
            raise InvalidTests(f"No reference observation for hidden check {sorted(missing)[0]!r}.")

    def observation_for(self, name: str) -> Observation:
        return self.observations[name]


def _validate(check: HiddenCheck) -> None:
    if not isinstance(check.name, str) or not check.name.isidentifier():
        raise InvalidTests(f"Hidden check name {check.name!r} must be an identifier")
    if not isinstance(check.check, str) or "return" not in check.check:
        raise InvalidTests(f"Hidden check {check.name!r} must return the value it observes")
    if check.compare not in COMPARISONS:
        raise InvalidTests(f"Hidden check {check.name!r}: compare must be one of {', '.join(COMPARISONS)}")


def observations_match(expected: Observation, actual: Observation, compare: str) -> bool:
    if expected.raised != actual.raised:
        return False
    if expected.raised is not None:
        return True
    if compare == "types":
        return _type_shape(expected.value) == _type_shape(actual.value)
    return _close(expected.value, actual.value)


def _close(expected: Any, actual: Any) -> bool:
    if type(expected) is not type(actual):
        return False
    if type(expected) is float:
        return (math.isnan(expected) and math.isnan(actual)) or math.isclose(
            expected, actual, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if type(expected) in (list, tuple):
        return len(expected) == len(actual) and all(map(_close, expected, actual))
    if type(expected) is dict:
        return expected.keys() == actual.keys() and all(_close(v, actual[k]) for k, v in expected.items())
    return bool(expected == actual)


def _type_shape(value: Any) -> Any:
    if type(value) in (list, tuple):
        return (type(value).__name__, [_type_shape(item) for item in value])
    if type(value) is dict:
        return ("dict", sorted((repr(k), _type_shape(v)) for k, v in value.items()))
    return type(value).__name__


# --- the stored form: tagged JSON (plain.py) -------------------------------------------------

def observations_to_json(observations: Mapping[str, Observation]) -> dict[str, Any]:
    return {name: {"value": to_tagged(o.value), "raised": o.raised} for name, o in observations.items()}


def observations_from_json(data: Mapping[str, Any]) -> dict[str, Observation]:
    observations = {}
    for name, item in data.items():
        value = from_tagged(item.get("value"))
        if value is NOT_PLAIN or not is_plain(value):
            raise InvalidTests(f"The stored observation for {name!r} is not plain data.")
        observations[name] = Observation(value, item.get("raised"))
    return observations


def checks_from_dicts(items: Sequence[Mapping[str, Any]]) -> tuple[HiddenCheck, ...]:
    return tuple(HiddenCheck(item["name"], item["about"], item["check"], item.get("compare", "value"))
                 for item in items)


def fingerprint(solution: str, checks: Sequence[HiddenCheck]) -> str:
    """What the stored observations were computed from: a change to either makes them stale."""
    from hashlib import sha256

    material = json.dumps([solution, [[c.name, c.check, c.compare] for c in checks]], sort_keys=True)
    return sha256(material.encode()).hexdigest()[:16]
