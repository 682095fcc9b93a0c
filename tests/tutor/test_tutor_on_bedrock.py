"""Explanations and generated questions through boto3 against the fake Bedrock server, on SQLite and
the real grader: citations checked to exist, answers cached per concept x band (cache, then model),
priced in the ledger, the answer gate beside an open challenge, generated questions run before use."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest

from dal.base import User
from dal.sqlite import SqliteStore
from services.ai import AIService, AISettings
from services.ai.bedrock import BedrockProvider, make_bedrock_client
from services.ai.lesson_index import LessonIndex
from services.ai.offline import OfflineProvider
from services.grader import Grader
from services.lessons.library import LessonLibrary
from services.tutor.concepts import load_concept_map
from services.tutor.explanations import NOTE_GATED, NOTE_NO_CITATION
from services.tutor.service import build_tutor
from tests.fakes.bedrock_server import FakeBedrock
from tests.lessons.conftest import CONTENT


@pytest.fixture(scope="module")
def library():
    found, problems = LessonLibrary.from_directory(CONTENT)
    assert problems == []
    return found


@pytest.fixture
def stack(tmp_path, library):
    store = SqliteStore(str(tmp_path / "tutor.sqlite3"))
    store.init_schema()
    for user_id in ("u1", "u2"):
        store.create_user(User(id=user_id, email=f"{user_id}@example.com", password_hash="x"))
    index = LessonIndex([lesson.to_dict() for lesson in library.all()])
    concepts, problems = load_concept_map(CONTENT, library.all())
    assert problems == []
    with FakeBedrock() as fake:
        settings = AISettings(provider="bedrock", endpoint_url=fake.url, read_timeout_s=2, max_attempts=1)
        session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                        region_name="us-east-1")
        client = make_bedrock_client(settings, session=session)
        ai = AIService(BedrockProvider(client, settings), store, settings=settings, fallback=OfflineProvider(index))
        tutor = build_tutor(store, concepts, list(library.all()), ai, index, Grader())
        yield tutor, fake, store
        client.close()
    store.close()


def explain_answer(citations, text="A for loop repeats its block once per value.",
                   example="for n in range(3):\n    print(n)"):
    return {"explanation": text, "example": example, "key_points": ["range(3) gives 0, 1, 2"],
            "citations": citations}


REAL = {"lesson_id": "python-loops", "title": "Loops: for and while", "section": "The `for` loop and `range()`"}
INVENTED = {"lesson_id": "python-loops", "title": "Loops", "section": "A section that does not exist"}
ELSEWHERE = {"lesson_id": "python-nonexistent", "title": "Nope", "section": ""}


def test_an_explanation_keeps_only_citations_that_exist_and_is_cached_per_band(stack):
    tutor, fake, store = stack
    fake.answers["explain"] = explain_answer([REAL, INVENTED, ELSEWHERE])
    first = tutor.explain("u1", "for-loops")
    assert first.source == "bedrock" and first.band == "new"
    assert [(c.lesson_id, c.section) for c in first.citations] == [(REAL["lesson_id"], REAL["section"])]
    asked = fake.requests[-1]["body"]
    assert "Lesson passages" in str(asked["messages"])  # the passages went along as context
    again = tutor.explain("u2", "for-loops")  # another learner in the same band: no model call
    assert again.source == "cache" and fake.calls("explain") == 1 and again.text == first.text
    usage = store.list_usage(datetime.now(UTC).date(), datetime.now(UTC).date())
    assert [(row.feature, row.calls) for row in usage if row.cost_usd > 0] == [("Explanations", 1)]


def test_an_answer_citing_nothing_says_so_and_is_not_cached(stack):
    tutor, fake, _ = stack
    fake.answers["explain"] = explain_answer([INVENTED])
    first = tutor.explain("u1", "range")
    assert first.citations == () and NOTE_NO_CITATION in first.notes
    tutor.explain("u1", "range")
    assert fake.calls("explain") == 2


def test_beside_an_open_challenge_an_answer_that_solves_it_is_refused(stack, library):
    tutor, fake, _ = stack
    lesson = library.get("python-loops")
    fake.answers["explain"] = explain_answer([REAL], text="Here is the whole thing:\n\n```python\n"
                                             + lesson.solution + "\n```", example=lesson.solution)
    shown = tutor.explain("u1", "accumulator-pattern", open_lesson=lesson)
    assert shown.source == "offline" and NOTE_GATED in shown.notes
    assert lesson.solution.strip() not in shown.text
    assert shown.citations  # the lesson passages, cited


def test_a_failing_model_gives_the_offline_passages_with_a_note(stack):
    tutor, fake, _ = stack
    fake.fail("server_error")
    shown = tutor.explain("u1", "while-loops")
    assert shown.source == "offline" and shown.citations and shown.notes


def test_generated_questions_are_used_only_when_their_program_agrees_and_are_cached(stack):
    tutor, fake, store = stack
    good = {"question": "What does `sorted([3, 1, 2])[0]` return?", "choices": ["3", "1", "2", "0"], "answer": 1,
            "explanation": "sorted gives [1, 2, 3].", "why_not": ["the first item before sorting", "", "x", "y"],
            "program": {"code": "print(repr(sorted([3, 1, 2])[0]))", "outputs": ["3", "1", "2", "0"]}}
    lying = {**good, "question": "What does `sorted([5, 4])[0]` return?", "answer": 0,
             "program": {"code": "print(repr(sorted([5, 4])[0]))", "outputs": ["5", "4", "3", "2"]}}
    no_program = {"question": "What does `len('abc')` return?", "choices": ["2", "3"], "answer": 1,
                  "explanation": "three characters"}
    fake.answers["quiz"] = {"questions": [good, lying, no_program]}
    concept = tutor.concepts.get("stability")
    bank = len(tutor.quizzes.bank.of_concept("stability"))
    attempt = tutor.quizzes.start_concept_quiz("u1", "stability")
    served = tutor.quizzes.served(attempt)
    generated = [q for q in served if q.ref.startswith("generated:")]
    assert [q.question.question for q in generated] == [good["question"]] and len(served) == bank + 1
    assert "answer" in attempt.questions[-1]["generated"]  # the key stays in the server's attempt
    tutor.quizzes.start_concept_quiz("u2", "stability")
    assert fake.calls("quiz") == 1 and store.get_cached_lesson(f"quiz:{concept.id}", datetime.now(UTC))
