"""The offline provider: deterministic, no network, honest about what it is (DESIGN.md section 5).

Hints come from the failing test's message, quizzes from the curated quiz bank, explanations and
tutor answers from lesson passages (with citations), reviews from static checks. It cannot write a
new lesson: that raises OfflineUnsupported and the caller shows the nearest curated lesson.
"""

from __future__ import annotations

import re
from typing import Any

from services.ai import code_checks
from services.ai.errors import OfflineUnsupported
from services.ai.lesson_index import LessonIndex, Passage
from services.ai.models import OFFLINE
from services.ai.offline_generate import skeleton
from services.ai.offline_hints import hint_from_failure
from services.ai.provider import ProviderAnswer
from services.ai.tasks import Task

_PY_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
EXAMPLE_COVERAGE = 0.75  # share of the description's words a lesson example's section must hold to be offered


class OfflineProvider:
    name = "offline"

    def __init__(self, lesson_index: LessonIndex) -> None:
        self._index = lesson_index

    def complete(self, task: Task, payload: dict[str, Any], model: str = OFFLINE) -> ProviderAnswer:
        answer = getattr(self, f"_{task.name}", None)
        if answer is None:
            raise OfflineUnsupported(f"the offline assistant cannot do {task.name!r}")
        return ProviderAnswer(data=answer(payload), model=OFFLINE)

    def _lesson(self, payload: dict[str, Any]) -> dict[str, Any]:
        raise OfflineUnsupported("new lessons need a model; the offline assistant only serves the library")

    def _hint(self, p: dict[str, Any]) -> dict[str, Any]:
        failing = p.get("failing_tests") or []
        if not failing:
            return {"hint": "Run your code against the tests first: the hint follows the first failing test."}
        return {"hint": hint_from_failure(failing[0], p.get("code", ""))[:600]}

    def _quiz(self, p: dict[str, Any]) -> dict[str, Any]:
        lesson = self._index.get(p.get("lesson_id", "")) or self._index.nearest_lesson(p["topic"])
        if not lesson or not lesson.get("quiz"):
            raise OfflineUnsupported(f"no quiz in the library about {p['topic']!r}")
        count = max(1, min(5, int(p.get("count", 3))))
        questions = [
            {k: q[k] for k in ("question", "choices", "answer", "explanation")} for q in lesson["quiz"][:count]
        ]
        return {"questions": questions, "citations": [{"lesson_id": lesson["id"], "title": lesson["title"]}]}

    def _explain(self, p: dict[str, Any]) -> dict[str, Any]:
        given = [Passage(x["lesson_id"], x["title"], x.get("section", ""), x["text"]) for x in p.get("passages") or ()]
        passages = given or self._index.search(f"{p['concept']} {p.get('question', '')}", k=3,
                                               lesson_id=p.get("lesson_id"))
        if not passages:
            return {"explanation": _nothing_found(p["concept"]), "key_points": [], "citations": []}
        first = passages[0]
        example = _first_code_block(passages)
        prose = _PY_BLOCK.sub("", first.text).strip()
        return {
            "explanation": f"From the lesson \u201c{_cite_label(first)}\u201d:\n\n{_clip(prose, 1500)}",
            "example": example[:1500],
            "key_points": [f"See also \u201c{_cite_label(x)}\u201d" for x in passages[1:]],
            "citations": [x.citation() for x in passages],
        }

    def _chat(self, p: dict[str, Any]) -> dict[str, Any]:
        """The best passages quoted; beside an open challenge without their code (the lesson page has
        it) and with a question that asks the learner to try."""
        given = [Passage(x["lesson_id"], x["title"], x.get("section", ""), x["text"]) for x in p.get("passages") or ()]
        passages = given[:2] or self._index.search(p["question"], k=2, lesson_id=p.get("lesson_id"))
        if not passages:
            return {"answer": _nothing_found(p["question"][:80]), "citations": [], "cited": []}
        first = passages[0]
        text = first.text
        if p.get("challenge_open"):
            text = _PY_BLOCK.sub("(the lesson shows an example here)", text)
        answer = f"The lesson \u201c{_cite_label(first)}\u201d covers this:\n\n{_clip(text, 1200)}"
        if len(passages) > 1:
            answer += f"\n\nSee also \u201c{_cite_label(passages[1])}\u201d."
        if p.get("challenge_open"):
            answer += ("\n\nNow try it on your challenge: which line of your code would change, and what do you "
                       "expect it to do?")
        return {"answer": answer[:2000], "citations": [x.citation() for x in passages],
                "cited": [str(x.get("id", "")) for x in (p.get("passages") or ())[:2] if x.get("id")]}

    def _review(self, p: dict[str, Any]) -> dict[str, Any]:
        issues = code_checks.review_issues(p["code"])
        summary = (
            f"The static checks found {len(issues)} thing(s) to look at."
            if issues
            else "The static checks found no problems (they check names, imports, defaults, exceptions "
            "and length; they do not run the code)."
        )
        return {"summary": summary, "issues": [i.to_dict() for i in issues]}

    def _debug(self, p: dict[str, Any]) -> dict[str, Any]:
        code = p["code"]
        tree, syntax = code_checks.parse(code)
        if syntax:
            return {
                "diagnosis": syntax.message,
                "line": syntax.line,
                "steps": [
                    "Look at that line and the one before it: an unclosed bracket or quote, or a "
                    "missing colon, is the usual cause."
                ],
            }
        undefined = code_checks.undefined_names(tree) if tree else []
        if undefined:
            first = undefined[0]
            return {
                "diagnosis": first.message,
                "line": first.line,
                "steps": ["Define the name before you use it, or fix its spelling."],
            }
        error = str(p.get("error", "")).strip()
        if error:
            text = hint_from_failure({"name": "your run", "message": error}, code)
            return {
                "diagnosis": text[:1000],
                "steps": [
                    "Add a print() before the failing line to see the values.",
                    "Run the smallest input that fails.",
                ],
            }
        return {
            "diagnosis": "The static checks found no error. Describe what goes wrong (the error message "
            "or the wrong output) for a more specific answer.",
            "steps": ["Run the code with a small input and compare the result with what you expect."],
        }

    def _explain_code(self, p: dict[str, Any]) -> dict[str, Any]:
        return code_checks.explain_lines(p["code"])

    def _optimize(self, p: dict[str, Any]) -> dict[str, Any]:
        suggestions = code_checks.optimize_suggestions(p["code"])
        summary = (
            f"{len(suggestions)} suggestion(s) from the static checks."
            if suggestions
            else "The static checks found nothing to simplify."
        )
        # The complexity in words comes from the caller's static analysis when it gave one.
        estimate = p.get("estimate") or {}
        return {"summary": summary, "suggestions": [s.to_dict() for s in suggestions],
                "before": str(estimate.get("before") or "Now: the offline assistant did not estimate the growth."),
                "after": str(estimate.get("after") or "After: see the suggestions."),
                "trade_off": str(estimate.get("trade_off") or "Trade-off: not estimated.")}

    def _generate(self, p: dict[str, Any]) -> dict[str, Any]:
        """A lesson example when one is about (nearly) every word of the description; otherwise a
        commented skeleton to fill in, with the closest lesson sections."""
        ranked = self._index.ranked(p["description"], 5)
        for _, position in ranked:
            passage = self._index.passages[position]
            block = _first_code_block([passage])
            if block and self._index.coverage(p["description"], position) >= EXAMPLE_COVERAGE:
                return {
                    "code": block[:4000],
                    "explanation": "No model is available, so this is the closest example from the lesson "
                    f"\u201c{_cite_label(passage)}\u201d. Adapt it to your task.",
                    "citations": [passage.citation()],
                }
        closest = [self._index.passages[position] for _, position in ranked[:3]]
        see = (" The closest lesson sections: " + ", ".join(f"\u201c{_cite_label(x)}\u201d" for x in closest) + "."
               if closest else " No lesson section matches these words yet.")
        return {
            "code": skeleton(p["description"])[:4000],
            "explanation": ("Offline skeleton: no AI model is available, so this is a plan to fill in, not working "
                            "code; the function's name and parameter are guessed from your words." + see)[:1500],
            "citations": [x.citation() for x in closest],
        }


def _cite_label(passage: Passage) -> str:
    return f"{passage.title} \u2014 {passage.section}" if passage.section else passage.title


def _first_code_block(passages: list[Passage]) -> str:
    for passage in passages:
        match = _PY_BLOCK.search(passage.text)
        if match:
            return match.group(1).strip()
    return ""


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " \u2026"


def _nothing_found(subject: str) -> str:
    return (
        f"The offline assistant found no lesson passage about \u201c{subject}\u201d. Try other words, or "
        "browse the lesson list."
    )
