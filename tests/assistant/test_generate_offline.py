"""Offline "generate" answers every description: a lesson example when one fits (nearly) every word,
otherwise a commented skeleton built from the words (a guessed signature, the steps as comments,
TODOs, no working code) labelled as offline, with the closest lesson sections; never the solution of
an uncompleted curated challenge."""

from __future__ import annotations

import ast

import pytest

from services.ai import AIService, AISettings
from services.ai.offline import OfflineProvider
from services.ai.offline_generate import skeleton
from services.ai.tasks import TASKS
from services.assistant.service import AssistantService
from services.grader import Grader
from tests.chat.conftest import index, library, store  # noqa: F401 - fixtures
from tests.conftest import csrf_token


@pytest.fixture
def assistant(store, index, library):  # noqa: F811
    return AssistantService(store, AIService(OfflineProvider(index), store, settings=AISettings()), index, library,
                            Grader())


def test_words_the_lessons_do_not_know_get_a_labelled_skeleton_not_a_503(assistant):
    answer = assistant.ask("u1", "generate", description="frobnicate the quux widgets")
    assert answer.source == "offline" and answer.code
    assert "Offline skeleton" in answer.summary and "No lesson section matches" in answer.summary
    assert "def frobnicate_quux(data):" in answer.code and "TODO" in answer.code
    ast.parse(answer.code)


def test_a_skeleton_guesses_the_signature_and_writes_the_steps_as_comments():
    code = skeleton("check whether a password is strong: 10 characters, then a digit")
    tree = ast.parse(code)
    (function,) = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert function.name == "check_password" and [a.arg for a in function.args.args] == ["password"]
    for step in ("# 2. check whether a password is strong", "# 3. 10 characters", "# 4. a digit",
                 "# 5. Give back True or False."):
        assert step in code
    # A plan, not code: the body is its docstring and `...`.
    assert [type(n).__name__ for n in function.body] == ["Expr", "Expr"]
    assert isinstance(function.body[1].value, ast.Constant) and function.body[1].value.value is Ellipsis


def test_a_per_item_count_is_planned_as_a_dict_over_the_plural_input():
    code = skeleton("count how many times each word appears, with a dictionary")
    assert "def count_word(words):" in code and "a dict: each item with its count" in code and "`{}`" in code


def test_learner_words_cannot_break_out_of_the_docstring_or_a_comment():
    code = skeleton('print """\nimport os\nos.remove("x") \\')
    tree = ast.parse(code)
    assert [type(n).__name__ for n in tree.body] == ["FunctionDef"]  # the words stayed inside it


def test_the_skeleton_cites_the_closest_lesson_sections(assistant):
    answer = assistant.ask("u1", "generate", description="shout a text in capitals with an exclamation mark")
    assert "Offline skeleton" in answer.summary and "The closest lesson sections" in answer.summary
    assert answer.citations and all(c["lesson_id"].startswith("python-") for c in answer.citations)
    assert "def shout_text(text):" in answer.code


def test_a_description_a_lesson_example_covers_still_gets_the_example(index):  # noqa: F811
    data = OfflineProvider(index).complete(TASKS["generate"], {"description": "check the type of a variable"}).data
    assert "closest example" in data["explanation"] and "Offline skeleton" not in data["explanation"]


@pytest.mark.parametrize("lesson_id", ["python-loops", "python-dictionaries", "python-strings"])
def test_offline_generate_never_solves_an_uncompleted_challenge(assistant, library, lesson_id):  # noqa: F811
    lesson = library.get(lesson_id)
    answer = assistant.ask("u1", "generate", description=lesson.challenge[:1000])
    assert answer.code or answer.source == "refused"
    assert lesson.solution.strip() not in answer.code
    assert not Grader().grade(answer.code or "pass", lesson.tests).passed


def test_the_page_answers_a_skeleton_offline(client, learner):
    token = csrf_token(client, "/assistant/")
    response = client.post("/assistant/", data={"csrf_token": token, "mode": "generate",
                                                "description": "frobnicate the quux widgets"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Offline skeleton" in page and "frobnicate_quux" in page
    assert "no AI model was used" in page
