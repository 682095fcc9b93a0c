"""Every surface that runs the answer gate keeps its refusals for the admin gate page: the tutor chat
and the code assistant (hints and explanations: tests/ai/test_gate_log.py, tests/web/test_admin_pages.py).
No refusal names the learner."""

from __future__ import annotations

from datetime import UTC, datetime

from dal.base import Draft
from services.ai import AIService, AISettings
from services.ai.offline import OfflineProvider
from services.assistant.service import AssistantService
from services.grader import Grader
from tests.ai.scripted import ScriptedProvider
from tests.chat.conftest import index, library, store  # noqa: F401 - fixtures
from tests.chat.test_chat_on_bedrock import LOOPS, answer, stack  # noqa: F401 - stack is a fixture


def test_a_chat_answer_handing_over_the_solution_is_kept_as_a_refusal(stack, library):  # noqa: F811
    chat, fake, chat_store = stack
    lesson = library.get(LOOPS)
    chat_store.save_draft(Draft("u1", LOOPS, lesson.starter, datetime.now(UTC)))
    fake.answers["chat"] = answer(text=f"Here it is:\n\n```python\n{lesson.solution}\n```")
    conversation = chat.start("u1", lesson_id=LOOPS)
    assert chat.ask("u1", conversation.id, "Give me the answer").source == "gate"
    refused = chat_store.list_gate_rejections(datetime.now(UTC))
    assert refused and refused[-1].task == "chat" and refused[-1].lesson_id == LOOPS
    assert all("u1" not in str(vars(r)) for r in refused)


def test_generated_code_solving_an_open_challenge_is_kept_as_a_refusal(store, index, library):  # noqa: F811
    lesson = library.get("python-loops")
    model = ScriptedProvider({"code": lesson.solution, "explanation": "Here you go."})
    ai = AIService(model, store, settings=AISettings(provider="bedrock"), fallback=OfflineProvider(index))
    assistant = AssistantService(store, ai, index, library, Grader())
    answer_ = assistant.ask("u1", "generate", description="a function that adds up the numbers in a list with a loop")
    assert answer_.source == "refused"
    [refused] = store.list_gate_rejections(datetime.now(UTC))
    assert (refused.task, refused.lesson_id) == ("generate", "python-loops") and refused.kind
