"""The tutor for API clients: the skill profile, gaps and next steps, explanations, quizzes (a lesson's
or a concept's) and the placement quiz. The same TutorService calls as blueprints/tutor.py.

Questions are served without their answer key; once a quiz is submitted its view carries, per
question, the choice made, the right one and why the chosen one was wrong. Answers are a list of
choice indexes in question order (the page's `q<position>` fields).
"""

from __future__ import annotations

from typing import Any

from blueprints.api.framework import endpoint, learner
from blueprints.api.schemas import (
    BOOLEAN,
    INTEGER,
    NUMBER,
    OPTIONAL_STRING,
    OPTIONAL_TIME,
    STRING,
    TIME,
    array,
    obj,
    text,
)
from blueprints.deps import service
from services.tutor.mastery import percent
from services.tutor.placement import PlacementStep
from services.tutor.quizzes import QuizView, ServedQuestion
from services.tutor.recommendations import Gap, Recommendation
from services.tutor.service import TutorService

MAX_QUESTIONS = 50  # more than any quiz serves; bounds the answers array
AI_ERRORS = (429, 503)  # the AI layer's quota; the model down with no fallback

BAND = {"enum": ["new", "developing", "confident"]}
CONCEPT_REF = obj({"id": STRING, "title": STRING}, closed=False)
SKILL_ROW = obj({"concept": CONCEPT_REF, "percent": INTEGER, "band": BAND, "evidence": INTEGER,
                 "history": array(NUMBER, description="Levels 0-1, oldest first."), "is_gap": BOOLEAN,
                 "level": STRING}, closed=False)
GAP = obj({"concept": CONCEPT_REF, "percent": INTEGER, "reason": STRING}, closed=False)
RECOMMENDATION = obj({"kind": {"enum": ["revisit", "continue", "next", "strengthen", "placement"]},
                      "title": STRING, "reason": STRING, "lesson_id": OPTIONAL_STRING,
                      "concept_id": OPTIONAL_STRING}, closed=False)
PROFILE = obj({"skills": array(SKILL_ROW), "untouched": array(CONCEPT_REF), "confident": INTEGER,
               "gaps": array(GAP), "recommendations": array(RECOMMENDATION), "tested_out": array(STRING),
               "completed": array(STRING)}, closed=False)
CITATION = obj({"lesson_id": STRING, "title": STRING, "section": STRING}, closed=False)
EXPLANATION = obj({"concept": CONCEPT_REF, "band": BAND, "text": text(100_000, description="Markdown."),
                   "example": STRING, "key_points": array(STRING), "citations": array(CITATION),
                   "source": {"enum": ["offline", "bedrock", "cache"]}, "notes": array(STRING)}, closed=False)
QUESTION = obj({"position": INTEGER, "question": text(100_000, description="Markdown."), "choices": array(STRING),
                "concepts": array(STRING)}, closed=False)
FEEDBACK = obj({"position": INTEGER, "chosen": INTEGER, "answer": INTEGER, "right": BOOLEAN,
                "why_not": STRING, "explanation": STRING}, closed=False)
QUIZ_RECORD = obj({"attempts": INTEGER, "best_score": INTEGER, "last_score": INTEGER, "total": INTEGER,
                   "last_at": OPTIONAL_TIME}, closed=False)
QUIZ = obj({"id": STRING, "kind": {"enum": ["lesson", "concept", "placement"]}, "title": STRING,
            "lesson_id": OPTIONAL_STRING, "concept_id": OPTIONAL_STRING, "created_at": TIME,
            "submitted": BOOLEAN, "submitted_at": OPTIONAL_TIME, "score": INTEGER, "total": INTEGER,
            "questions": array(QUESTION), "feedback": array(FEEDBACK, description="Empty until submitted."),
            "record": {"oneOf": [QUIZ_RECORD, {"type": "null"}]}}, closed=False)
ANSWERS = obj({"answers": array({"type": "integer", "minimum": 0, "maximum": 99}, maxItems=MAX_QUESTIONS,
                                description="The chosen choice's index, per question in order.")})
LESSON_REF = obj({"id": STRING, "title": STRING}, closed=False)
PLACEMENT = obj({"id": STRING, "finished": BOOLEAN, "step": INTEGER, "steps_estimate": INTEGER,
                 "probe": {"oneOf": [LESSON_REF, {"type": "null"}]}, "questions": array(QUESTION),
                 "known": array(LESSON_REF, description="Lessons found known so far; finished: the result."),
                 "last_right": {"type": ["boolean", "null"]}}, closed=False)
EXPLAIN_EXAMPLE = {"lesson_id": "python-loops"}


def tutor() -> TutorService:
    return service("tutor")


def _concept(concept) -> dict[str, str]:
    return {"id": concept.id, "title": concept.title}


def _gap(gap: Gap) -> dict[str, Any]:
    return {"concept": _concept(gap.concept), "percent": percent(gap.p_known), "reason": gap.reason}


def _recommendation(rec: Recommendation) -> dict[str, Any]:
    return {"kind": rec.kind, "title": rec.title, "reason": rec.reason, "lesson_id": rec.lesson_id or None,
            "concept_id": rec.concept_id or None}


def _question(position: int, served: ServedQuestion) -> dict[str, Any]:
    q = served.question
    return {"position": position, "question": q.question, "choices": list(q.choices), "concepts": list(served.concepts)}


def quiz_json(view: QuizView) -> dict[str, Any]:
    attempt, record = view.attempt, view.record
    return {
        "id": attempt.id, "kind": attempt.quiz_key.partition(":")[0], "title": view.title,
        "lesson_id": view.lesson_id or None, "concept_id": view.concept_id or None,
        "created_at": attempt.created_at.isoformat(), "submitted": view.submitted,
        "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
        "score": view.score, "total": view.total,
        "questions": [_question(i, q) for i, q in enumerate(view.questions)],
        "feedback": [{"position": i, "chosen": f.chosen, "answer": f.served.question.answer, "right": f.right,
                      "why_not": f.why_not, "explanation": f.served.question.explanation}
                     for i, f in enumerate(view.feedback)],
        "record": None if record is None else {
            "attempts": record.attempts, "best_score": record.best_score, "last_score": record.last_score,
            "total": record.total, "last_at": record.last_at.isoformat() if record.last_at else None},
    }


def _as_form(answers: list[int]) -> dict[str, str]:
    """The list as the service's `q<position>` answers (the page's form fields)."""
    return {f"q{i}": str(choice) for i, choice in enumerate(answers)}


def placement_json(step: PlacementStep) -> dict[str, Any]:
    titles = {lesson.id: lesson.title for lesson in tutor().track}
    return {
        "id": step.attempt.id, "finished": step.finished, "step": step.step, "steps_estimate": step.steps_estimate,
        "probe": {"id": step.probe.id, "title": step.probe.title} if step.probe and not step.finished else None,
        "questions": [_question(i, q) for i, q in enumerate(step.questions)],
        "known": [{"id": lesson_id, "title": titles.get(lesson_id, lesson_id)} for lesson_id in step.known],
        "last_right": step.last_right,
    }


# --- the skill profile -----------------------------------------------------------------------------
@endpoint("tutor", "/tutor/skills", "GET", summary="The skill profile: a level per concept, gaps, next steps",
          response=PROFILE)
def skills():
    """What the skills page shows: concepts with evidence (level 0-100, band, history), the untouched
    ones, the gaps and the recommendations."""
    profile = tutor().profile(learner().id)
    return {
        "skills": [{"concept": _concept(row.concept), "percent": row.percent, "band": row.band,
                    "evidence": row.evidence, "history": list(row.history), "is_gap": row.is_gap,
                    "level": row.level} for row in profile.rows],
        "untouched": [_concept(c) for c in profile.untouched], "confident": profile.confident,
        "gaps": [_gap(g) for g in profile.gaps],
        "recommendations": [_recommendation(r) for r in profile.recommendations],
        "tested_out": sorted(profile.tested_out), "completed": sorted(profile.completed),
    }


@endpoint("tutor", "/tutor/gaps", "GET", summary="Concepts the learner is stuck on, most blocking first",
          response=obj({"gaps": array(GAP)}))
def gaps():
    return {"gaps": [_gap(g) for g in tutor().profile(learner().id).gaps]}


@endpoint("tutor", "/tutor/recommendations", "GET", summary="What to do next, with the reason",
          response=obj({"recommendations": array(RECOMMENDATION)}))
def recommendations():
    return {"recommendations": [_recommendation(r) for r in tutor().recommendations(learner().id)]}


@endpoint("tutor", "/tutor/concepts/<concept_id>/explain", "POST", summary="Explain a concept at the learner's level",
          request=obj({"lesson_id": text(200)}, required=()), response=EXPLANATION, errors=AI_ERRORS,
          example=EXPLAIN_EXAMPLE)
def explain(concept_id: str, body: dict[str, Any]):
    """In the band the learner's mastery puts them in (new / developing / confident), citing lesson
    passages. `lesson_id`: the challenge the learner came from; while it is unsolved the explanation
    never gives its answer away."""
    user_id = learner().id
    open_lesson = tutor().open_challenge(user_id, body.get("lesson_id", ""))
    found = tutor().explain(user_id, concept_id, open_lesson=open_lesson)
    return {"concept": _concept(found.concept), "band": found.band, "text": found.text, "example": found.example,
            "key_points": list(found.key_points),
            "citations": [{"lesson_id": c.lesson_id, "title": c.title, "section": c.section} for c in found.citations],
            "source": found.source, "notes": list(found.notes)}


# --- quizzes -------------------------------------------------------------------------------------------
@endpoint("tutor", "/tutor/quizzes/lesson/<lesson_id>", "POST", summary="Start a lesson's quiz", response=QUIZ,
          status=201)
def start_lesson_quiz(lesson_id: str):
    user_id = learner().id
    attempt = tutor().quizzes.start_lesson_quiz(user_id, lesson_id)
    return quiz_json(tutor().quizzes.view(user_id, attempt.id))


@endpoint("tutor", "/tutor/quizzes/concept/<concept_id>", "POST", summary="Start a quiz on one concept",
          response=QUIZ, status=201)
def start_concept_quiz(concept_id: str):
    """Bank questions first; where a model is set up, validated generated ones fill the quiz up."""
    user_id = learner().id
    attempt = tutor().quizzes.start_concept_quiz(user_id, concept_id)
    return quiz_json(tutor().quizzes.view(user_id, attempt.id))


@endpoint("tutor", "/tutor/quizzes/<attempt_id>", "GET", summary="A quiz attempt: its questions, or its result",
          response=QUIZ)
def quiz(attempt_id: str):
    return quiz_json(tutor().quizzes.view(learner().id, attempt_id))


@endpoint("tutor", "/tutor/quizzes/<attempt_id>/submit", "POST", summary="Submit every answer of a quiz",
          request=ANSWERS, response=QUIZ, errors=(409,), example={"answers": [0, 1, 0]})
def submit_quiz(attempt_id: str, body: dict[str, Any]):
    """Marked once: a second submission is a 409 and changes nothing. A missing answer or one that is
    not a choice is a 422 naming the question (`q<position>`)."""
    return quiz_json(tutor().quizzes.submit(learner().id, attempt_id, _as_form(body["answers"])))


# --- placement ---------------------------------------------------------------------------------------
@endpoint("tutor", "/tutor/placement", "POST", summary="Start the placement quiz (test out of lessons)",
          response=PLACEMENT, status=201)
def start_placement():
    user_id = learner().id
    attempt = tutor().placement.start(user_id)
    return placement_json(tutor().placement.current(user_id, attempt.id))


@endpoint("tutor", "/tutor/placement/<attempt_id>", "GET", summary="The placement quiz's current step, or its result",
          response=PLACEMENT)
def placement(attempt_id: str):
    """Finished: `known` lists the lessons tested out (they show as such in the catalogue)."""
    return placement_json(tutor().placement.current(learner().id, attempt_id))


@endpoint("tutor", "/tutor/placement/<attempt_id>/answers", "POST", summary="Answer the placement quiz's step",
          request=ANSWERS, response=PLACEMENT, errors=(409,), example={"answers": [0, 0]})
def answer_placement(attempt_id: str, body: dict[str, Any]):
    """The answers to this step's questions; a step sent twice is a 409."""
    return placement_json(tutor().placement.answer(learner().id, attempt_id, _as_form(body["answers"])))
