"""Questions answered by running code: the grader's run decides the answer, for the bank (flask
lessons check reports a wrong one) and for generated questions (refused unless the run agrees)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.grader import Grader
from services.lessons.model import QuizProgram, QuizQuestion
from services.lessons.quiz_programs import fingerprint, run_program, with_verified_answers
from services.tutor.generated import problems_of


@pytest.fixture(scope="module")
def grader():
    return Grader()


def question(code: str, outputs: list[str], answer: int, text: str = "What does this print?") -> dict:
    return {"question": text, "choices": [f"choice {i}" for i in range(len(outputs))], "answer": answer,
            "explanation": "because", "program": {"code": code, "outputs": outputs}}


def test_the_run_picks_the_choice_whose_output_it_printed(grader):
    verdict = run_program(QuizProgram("print(repr(17 // 5))", ("3.4", "3", "2")), grader)
    assert (verdict.output, verdict.answer) == ("3", 1)


def test_an_exception_is_an_outcome_after_what_was_printed(grader):
    verdict = run_program(QuizProgram("print(1)\nprint({}['x'])", ("1\nNone", "1\nraises KeyError")), grader)
    assert verdict.answer == 1


def test_a_program_matching_no_choice_or_looping_forever_is_a_problem(grader):
    assert run_program(QuizProgram("print(5)", ("3", "4")), grader).answer is None
    endless = run_program(QuizProgram("while True:\n    pass", ("1", "2")), grader)
    assert endless.answer is None and "did not finish" in endless.problem


def test_flask_lessons_check_reports_a_bank_question_whose_answer_is_wrong(runner, lessons_dir):
    path = Path(lessons_dir) / "python" / "beginner" / "numbers.json"
    data = json.loads(path.read_text())
    target = next(i for i, q in enumerate(data["quiz"]) if "program" in q)
    q = data["quiz"][target]
    q["answer"] = (q["answer"] + 1) % len(q["choices"])
    q["why_not"] = ["" if i == q["answer"] else "no" for i in range(len(q["choices"]))]
    path.write_text(json.dumps(data))
    result = runner.invoke(args=["lessons", "check"])
    assert result.exit_code == 1
    assert f"quiz question {target + 1}" in result.output and "running its program gives choice" in result.output


def test_a_program_question_without_a_current_stored_run_is_not_served():
    q = QuizQuestion.from_dict(question("print(2)", ["1", "2"], 1))
    current = {"0": {"fingerprint": fingerprint(q.program, q.choices), "answer": 1}}
    assert with_verified_answers((q,), current)[0].verified is True
    assert with_verified_answers((q,), {})[0].verified is False
    stale = {"0": {"fingerprint": "0" * 16, "answer": 0}}
    assert with_verified_answers((q,), stale)[0].verified is False


def test_the_stored_run_decides_the_answer_not_the_author():
    q = QuizQuestion.from_dict(question("print(2)", ["1", "2"], 0))  # the author says choice 1
    stored = {"0": {"fingerprint": fingerprint(q.program, q.choices), "answer": 1}}
    assert with_verified_answers((q,), stored)[0].answer == 1


def test_every_curated_program_question_is_served_with_the_answer_its_run_gave():
    from services.lessons.library import LessonLibrary
    from tests.lessons.conftest import CONTENT

    library, _ = LessonLibrary.from_directory(CONTENT)
    programs = [q for lesson in library.all() for q in lesson.quiz if q.program]
    assert len(programs) >= 40 and all(q.verified for q in programs)


# --- generated questions -------------------------------------------------------------------------
def test_a_generated_question_whose_program_agrees_is_accepted(grader):
    assert problems_of(question("print(repr('ab' * 2))", ["'abab'", "'ab2'", "raises TypeError"], 0,
                                "What does `'ab' * 2` evaluate to?"), grader) == []


def test_a_generated_question_the_run_contradicts_is_refused(grader):
    found = problems_of(question("print(repr(10 / 2))", ["5", "5.0"], 0, "What does `10 / 2` return?"), grader)
    assert any("another answer" in p for p in found)


@pytest.mark.parametrize(("changes", "expected"), [
    ({"choices": ["a", "a"]}, "distinct"),
    ({"answer": 5}, "not one of the choices"),
    ({"question": "  "}, "empty question"),
    ({"program": None, "question": "What does `len('abc')` return?"}, "no program"),
    ({"program": None, "question": "What is `7 // 2`?"}, "no program"),
    ({"why_not": ["x"]}, "why_not"),
])
def test_malformed_generated_questions_are_refused(grader, changes, expected):
    data = {**question("print(1)", ["1", "2"], 0), **changes}
    if data.get("program") is None:
        data.pop("program")
    assert any(expected in p for p in problems_of(data, grader))
