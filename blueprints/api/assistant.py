"""The code assistant for API clients: review, debug, explain, optimize and generate, and the history
of the learner's last requests (listed, forgotten one by one or all). The same AssistantService calls
as blueprints/assistant.py, with the same limits and the same answer gate beside an open challenge.
"""

from __future__ import annotations

from typing import Any

from blueprints.api.framework import endpoint, learner
from blueprints.api.lessons import MAX_CODE
from blueprints.api.schemas import INTEGER, STRING, TIME, array, obj, text
from blueprints.deps import service_or_404
from services.assistant.service import MAX_DESCRIPTION_CHARS, MODES, AssistantAnswer, AssistantService

ERROR_CHARS = 3_000  # the service's own limit of the pasted error
EXAMPLE_CODE = "def total(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n"

FINDING = obj({"line": INTEGER, "severity": STRING, "message": STRING, "suggestion": STRING, "rule": STRING},
              closed=False)
COMPLEXITY = obj({"name": STRING, "line": INTEGER, "score": INTEGER, "rank": STRING}, closed=False)
CITATION = obj({"lesson_id": STRING, "title": STRING, "section": STRING}, closed=False)
ANSWER = obj({
    "request_id": {**STRING, "description": "Its entry in the history (empty when it could not be kept)."},
    "mode": {"enum": list(MODES)}, "source": {"enum": ["offline", "bedrock", "static", "refused"]},
    "summary": STRING, "findings": array(FINDING), "complexity": array(COMPLEXITY),
    "line": {**INTEGER, "description": "debug: the likely line (0: none)."}, "steps": array(STRING),
    "lines": array(obj({"line": INTEGER, "text": STRING}, closed=False), description="explain: per line."),
    "code": {**STRING, "description": "generate: the code."}, "before": STRING, "after": STRING,
    "trade_off": STRING, "citations": array(CITATION), "notes": array(STRING),
}, closed=False)
ASK = obj({
    "mode": {"enum": list(MODES)},
    "code": text(MAX_CODE, description="review, debug, explain, optimize: the code (the grader's size limit holds)."),
    "error": text(ERROR_CHARS, description="debug: the error or the wrong result."),
    "description": text(MAX_DESCRIPTION_CHARS, description="generate: what the code should do."),
    "lesson_id": text(200, description="The lesson it is asked from: beside an unsolved challenge nothing "
                                       "shown gives its answer away."),
}, required=("mode",))
HISTORY_ENTRY = obj({"id": STRING, "mode": STRING, "created_at": TIME, "expires_at": TIME, "code": STRING,
                     "result": {"type": "object"}}, closed=False)


def assistant() -> AssistantService:
    return service_or_404("assistant")  # the assistant needs the AI layer; without it there is none


def answer_json(answer: AssistantAnswer) -> dict[str, Any]:
    return {
        "request_id": answer.request_id, "mode": answer.mode, "source": answer.source, "summary": answer.summary,
        "findings": [f.to_dict() for f in answer.findings],
        "complexity": [{"name": c.name, "line": c.line, "score": c.score, "rank": c.rank} for c in answer.complexity],
        "line": answer.line, "steps": list(answer.steps), "lines": [dict(x) for x in answer.lines],
        "code": answer.code, "before": answer.before, "after": answer.after, "trade_off": answer.trade_off,
        "citations": [dict(c) for c in answer.citations], "notes": list(answer.notes),
    }


@endpoint("assistant", "/assistant/requests", "POST", summary="Ask the code assistant (review, debug, explain, ...)",
          request=ASK, response=ANSWER, errors=(404, 429, 503),
          example={"mode": "review", "code": EXAMPLE_CODE})
def ask(body: dict[str, Any]):
    """`generate` takes a `description`, the other modes `code` (and `debug` the `error`). An unknown
    `lesson_id` is a 404; empty or oversized code a 422. Kept in the history for 30 days."""
    return answer_json(assistant().ask(learner().id, body["mode"], body.get("code", ""), error=body.get("error", ""),
                                       description=body.get("description", ""),
                                       lesson_id=body.get("lesson_id", "").strip()))


@endpoint("assistant", "/assistant/history", "GET", summary="The learner's last requests with their results",
          response=obj({"requests": array(HISTORY_ENTRY, description="Newest first.")}))
def history():
    return {"requests": [
        {"id": r.id, "mode": r.mode, "created_at": r.created_at.isoformat(), "expires_at": r.expires_at.isoformat(),
         "code": r.code, "result": r.result} for r in assistant().history(learner().id)]}


@endpoint("assistant", "/assistant/history/<request_id>", "DELETE", summary="Forget one request", response=None)
def forget(request_id: str):
    assistant().forget(learner().id, request_id)


@endpoint("assistant", "/assistant/history", "DELETE", summary="Forget the whole history", response=None)
def forget_all():
    assistant().forget(learner().id)
