"""Output JSON schemas of the AI tasks (the forced tool's input schema on Bedrock).

Limits keep answers short: every extra output token is paid for, and pages show them verbatim.
"""

from __future__ import annotations

from typing import Any


def _obj(required: list[str], **properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


def _text(max_length: int, min_length: int = 1) -> dict[str, Any]:
    return {"type": "string", "minLength": min_length, "maxLength": max_length}


def _texts(max_items: int, max_length: int, min_items: int = 0) -> dict[str, Any]:
    return {"type": "array", "items": _text(max_length), "minItems": min_items, "maxItems": max_items}


# Offline answers cite the lesson passages they come from; a model answer may leave this out.
CITATIONS = {
    "type": "array",
    "maxItems": 5,
    "items": _obj(["lesson_id", "title"], lesson_id=_text(80), title=_text(120), section=_text(120, 0)),
}

LESSON = _obj(
    ["title", "lesson", "challenge", "starter", "solution", "tests", "hints"],
    title=_text(120),
    lesson=_text(12_000, 200),
    challenge=_text(3_000, 20),
    starter=_text(3_000),
    solution=_text(6_000),
    tests=_texts(10, 2_000, min_items=3),
    hints=_texts(3, 400, min_items=1),
    concepts=_texts(5, 40),
)

HINT = _obj(["hint"], hint=_text(600))

QUIZ = _obj(
    ["questions"],
    questions={
        "type": "array",
        "minItems": 1,
        "maxItems": 5,
        "items": _obj(
            ["question", "choices", "answer", "explanation"],
            question=_text(400),
            choices=_texts(4, 200, min_items=2),
            answer={"type": "integer", "minimum": 0, "maximum": 3},
            explanation=_text(600),
            why_not={"type": "array", "items": _text(300, 0), "maxItems": 4},  # "" for the right choice
            # "What does this code print / return" questions carry their program; the server runs it.
            program=_obj(["code", "outputs"], code=_text(2_000), outputs=_texts(4, 300, min_items=2)),
        ),
    },
    citations=CITATIONS,
)

EXPLAIN = _obj(
    ["explanation"],
    explanation=_text(3_000),
    example=_text(1_500, 0),
    key_points=_texts(5, 200),
    citations=CITATIONS,
)

# `cited`: the ids of the passages given ("P1", ...) the answer uses; `summary`: the conversation so far in a
# few sentences, kept as the running summary of turns that leave the history window.
CHAT = _obj(["answer"], answer=_text(2_000), citations=CITATIONS, cited=_texts(5, 8), summary=_text(600, 0))

_ISSUE = _obj(
    ["message"],
    line={"type": "integer", "minimum": 0},
    severity={"type": "string", "enum": ["info", "warning", "error"]},
    message=_text(400),
)

REVIEW = _obj(
    ["summary", "issues"],
    summary=_text(1_000),
    issues={"type": "array", "maxItems": 15, "items": _ISSUE},
    strengths=_texts(5, 200),
)

DEBUG = _obj(
    ["diagnosis", "steps"],
    diagnosis=_text(1_000),
    line={"type": "integer", "minimum": 0},
    steps=_texts(6, 300, min_items=1),
    citations=CITATIONS,
)

# `before` / `after`: how the running time grows now and with the suggestions, in words with its order of
# growth ("Now: ... O(n²) - about 1,000,000 steps for 1,000 items."); `trade_off`: what the faster code costs.
OPTIMIZE = _obj(
    ["summary", "suggestions", "before", "after", "trade_off"],
    summary=_text(800),
    suggestions={"type": "array", "maxItems": 10, "items": _ISSUE},
    before=_text(400),
    after=_text(400),
    trade_off=_text(400),
)

EXPLAIN_CODE = _obj(
    ["summary"],
    summary=_text(1_000),
    lines={"type": "array", "maxItems": 40,
           "items": _obj(["line", "text"], line={"type": "integer", "minimum": 1}, text=_text(300))},
)

GENERATE = _obj(["code", "explanation"], code=_text(4_000), explanation=_text(1_500), citations=CITATIONS)
