"""The learning loop for API clients: the catalogue, a lesson, its draft, submitting, running, hints.
The same LessonService / LearningService calls as blueprints/lessons.py, the same limits."""

from __future__ import annotations

from typing import Any

from blueprints.api.framework import endpoint, learner
from blueprints.api.schemas import (
    BOOLEAN,
    INTEGER,
    NUMBER,
    OPTIONAL_STRING,
    STRING,
    TIME,
    array,
    obj,
    text,
)
from blueprints.deps import service
from services.grader import Limits, Report
from services.lessons.learning import LearningService
from services.lessons.service import LessonService
from services.lessons.summaries import run_summary, submission_summary

MAX_CODE = Limits().max_code_chars  # the default GRADER_MAX_CODE_CHARS; the service checks the configured one
CODE = text(MAX_CODE)
CODE_BODY = obj({"code": CODE})
CODE_EXAMPLE = {"code": "city = 'Rome'\n"}

LESSON_REF = obj({"id": STRING, "title": STRING}, closed=False)
TEST_RESULT = obj({"name": STRING, "status": {"enum": ["pass", "fail", "error"]}, "message": STRING,
                   "output": STRING, "hidden": BOOLEAN}, closed=False)
REPORT_FIELDS = {"status": {"enum": ["pass", "fail", "error", "timeout"]}, "tests": array(TEST_RESULT),
                 "duration_ms": NUMBER, "message": STRING, "output": STRING, "busy": BOOLEAN}
SUBMISSION = obj({**REPORT_FIELDS, "summary": STRING, "passed": INTEGER, "attempts": INTEGER, "completed": BOOLEAN,
                  "completed_now": BOOLEAN, "next": {"oneOf": [LESSON_REF, {"type": "null"}]}}, closed=False)
LAST_RESULT = obj({**REPORT_FIELDS, "submitted_at": TIME, "code_changed": BOOLEAN}, closed=False)
RUN = obj({"status": {"enum": ["ok", "error", "timeout"]}, "output": STRING, "message": STRING,
           "duration_ms": NUMBER, "busy": BOOLEAN, "summary": STRING}, closed=False)
HINTS = obj({"total": INTEGER, "revealed": array(STRING, description="Authored hints shown so far, as HTML."),
             "ai_hints_left": INTEGER, "ai_hints_offered": BOOLEAN}, closed=False)
LESSON = obj({
    "id": STRING, "title": STRING, "language": STRING, "level": STRING, "topic": STRING, "concepts": array(STRING),
    "lesson_html": STRING, "challenge_html": STRING, "starter": STRING,
    "code": text(MAX_CODE, description="The learner's draft, or the starter code."), "has_draft": BOOLEAN,
    "completed": BOOLEAN, "attempts": INTEGER, "hints": HINTS,
    "last_result": {"oneOf": [LAST_RESULT, {"type": "null"}]},
}, closed=False)
CATALOGUE_ENTRY = obj({"id": STRING, "title": STRING, "topic": STRING, "status": STRING, "label": STRING,
                       "is_next": BOOLEAN, "missing": array(STRING)}, closed=False)
CATALOGUE = obj({
    "language": STRING, "completed": INTEGER, "total": INTEGER, "percent": INTEGER, "tested_out": INTEGER,
    "next_lesson": {"oneOf": [LESSON_REF, {"type": "null"}]},
    "levels": array(obj({"level": STRING, "title": STRING, "lessons": array(CATALOGUE_ENTRY)}, closed=False)),
}, closed=False)
LEARNING_ERRORS = (429, 503)  # the per-minute limits, one run at a time; the grader or the AI layer busy


def lessons() -> LessonService:
    return service("lessons")


def learning() -> LearningService:
    return service("learning")


def _ref(lesson) -> dict[str, str] | None:
    return {"id": lesson.id, "title": lesson.title} if lesson is not None else None


@endpoint("lessons", "/lessons", "GET", summary="The Python track with the learner's progress", response=CATALOGUE)
def catalogue():
    track = lessons().track(learner().id)
    return {
        "language": track.language, "completed": track.completed, "total": track.total, "percent": track.percent,
        "tested_out": track.tested_out, "next_lesson": _ref(track.next_lesson),
        "levels": [{"level": section.level, "title": section.title, "lessons": [
            {"id": e.lesson.id, "title": e.lesson.title, "topic": e.lesson.topic, "status": e.status,
             "label": e.label, "is_next": e.is_next, "missing": [m.id for m in e.missing]}
            for e in section.entries]} for section in track.sections],
    }


def _report_json(report: Report) -> dict[str, Any]:
    return report.to_dict()


@endpoint("lessons", "/lessons/<lesson_id>", "GET", summary="A lesson, with the learner's draft, hints and last result",
          response=LESSON)
def lesson(lesson_id: str):
    """Counts as a view of the lesson (the usage ledger), as opening its page does."""
    found = lessons().view(lesson_id)
    state = learning().state(learner().id, found)
    rendered = lessons().rendered(found)
    last = state.last_result
    return {
        "id": found.id, "title": found.title, "language": found.language, "level": found.level,
        "topic": found.topic, "concepts": list(found.concepts), "lesson_html": rendered.lesson,
        "challenge_html": rendered.challenge, "starter": found.starter, "code": state.code,
        "has_draft": state.has_draft, "completed": state.completed,
        "attempts": state.progress.attempts if state.progress else 0,
        "hints": {"total": len(found.hints), "revealed": list(rendered.hints[:state.revealed_hints]),
                  "ai_hints_left": state.ai_hints_left, "ai_hints_offered": state.ai_hints_offered},
        "last_result": None if last is None else {**_report_json(last.report),
                                                  "submitted_at": last.submitted_at.isoformat(),
                                                  "code_changed": last.code_changed},
    }


@endpoint("lessons", "/lessons/<lesson_id>/draft", "PUT", summary="Keep the code in the editor",
          request=CODE_BODY, response=obj({"saved_at": TIME}), errors=(429,), example=CODE_EXAMPLE)
def save_draft(lesson_id: str, body: dict[str, Any]):
    draft = learning().save_draft(learner().id, lesson_id, body["code"].replace("\r\n", "\n"))
    return {"saved_at": draft.updated_at.isoformat()}


@endpoint("lessons", "/lessons/<lesson_id>/draft", "DELETE", summary="Back to the starter code",
          response=obj({"code": STRING}))
def reset_draft(lesson_id: str):
    return {"code": learning().reset_draft(learner().id, lesson_id)}


@endpoint("lessons", "/lessons/<lesson_id>/submit", "POST", summary="Grade the code against the lesson's tests",
          request=CODE_BODY, response=SUBMISSION, errors=LEARNING_ERRORS, example=CODE_EXAMPLE)
def submit(lesson_id: str, body: dict[str, Any]):
    """Kept as the learner's draft and last result; a pass completes the lesson once. `busy`: the
    grader had no room, nothing was recorded: send it again in a few seconds."""
    user = learner()
    result = learning().submit(user.id, lesson_id, body["code"].replace("\r\n", "\n"), verified=user.verified)
    report = result.report
    return {**_report_json(report), "summary": submission_summary(result),
            "passed": sum(1 for t in report.tests if t.status == "pass"), "attempts": result.attempts,
            "completed": result.completed, "completed_now": result.completed_now, "next": _ref(result.next_lesson)}


@endpoint("lessons", "/lessons/<lesson_id>/run", "POST", summary="Run the code without grading it",
          request=obj({"code": CODE, "stdin": text(MAX_CODE)}, required=("code",)), response=RUN,
          errors=LEARNING_ERRORS, example={"code": "print(input())\n", "stdin": "hello\n"})
def run(lesson_id: str, body: dict[str, Any]):
    """`stdin` feeds input(). Not an attempt: no progress is recorded."""
    user = learner()
    result = learning().run(user.id, lesson_id, body["code"].replace("\r\n", "\n"),
                            body.get("stdin", "").replace("\r\n", "\n"), verified=user.verified)
    return {**result.to_dict(), "summary": run_summary(result)}


@endpoint("lessons", "/lessons/<lesson_id>/hints", "POST", summary="Reveal the next authored hint",
          response=obj({"revealed": INTEGER, "hint_html": STRING, "ai_hints_left": INTEGER,
                        "ai_hints_offered": BOOLEAN}, closed=False), errors=(422,))
def reveal_hint(lesson_id: str):
    """422 when every authored hint is already shown (then the AI hints come next)."""
    shown = learning().reveal_hint(learner().id, lesson_id)
    return {"revealed": shown.revealed_hints, "hint_html": lessons().markup(shown.latest),
            "ai_hints_left": shown.ai_hints_left, "ai_hints_offered": shown.ai_hints_offered}


@endpoint("lessons", "/lessons/<lesson_id>/ai-hint", "POST", summary="A checked AI hint on the current code",
          request=CODE_BODY, errors=LEARNING_ERRORS, example=CODE_EXAMPLE,
          response=obj({"text": STRING, "note": OPTIONAL_STRING, "remaining": INTEGER}, closed=False))
def ai_hint(lesson_id: str, body: dict[str, Any]):
    """After the authored hints, a few per lesson (AI_HINTS_PER_LESSON); never the answer."""
    user = learner()
    answer = learning().ai_hint(user.id, lesson_id, body["code"].replace("\r\n", "\n"), verified=user.verified)
    return {"text": answer.text, "note": answer.note, "remaining": answer.remaining}

