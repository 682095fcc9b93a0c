"""Optimize gives the complexity before and after in words, with the trade-off: offline from the syntax
tree (each pattern named with its order of growth and steps for 1,000 items), online from the model's
before / after / trade_off fields, which the schema requires; the page shows the three."""

from __future__ import annotations

import pytest

from services.ai import AIService, AISettings
from services.ai.offline import OfflineProvider
from services.ai.schema import SchemaError, validate
from services.ai.task_schemas import OPTIMIZE
from services.ai.tasks import TASKS
from services.assistant.complexity import estimate
from services.assistant.service import AssistantService
from services.grader import Grader
from tests.ai.scripted import ScriptedProvider
from tests.chat.conftest import index, library, store  # noqa: F401 - fixtures
from tests.conftest import csrf_token

PAIRS = ("def has_duplicate(xs):\n    for a in range(len(xs)):\n        for b in range(a + 1, len(xs)):\n"
         "            if xs[a] == xs[b]:\n                return True\n    return False\n")

PATTERNS = {
    "nested loops": (PAIRS, 2, "O(n²)", "1,000,000 steps", "O(n)", "memory"),
    "in on a list": ("seen = []\nfor x in [3, 1, 3]:\n    if x not in seen:\n        seen.append(x)\n", 3, "O(n²)",
                     "scans the list `seen`", "O(n)", "hashable"),
    "sorting in a loop": ("best = []\nfor x in [3, 1]:\n    best = sorted(best + [x])\n", 3, "O(n² log n)",
                          "10,000,000 steps", "O(n log n)", "sorted copy"),
    "string +=": ("out = ''\nfor w in ['a', 'b']:\n    out += w\n", 3, "O(n²)", "copies the whole string",
                  "O(n)", "pieces"),
    "pop(0)": ("queue = [1, 2]\nwhile queue:\n    queue.pop(0)\n", 3, "O(n²)", "pop(0)", "O(n)", "deque"),
    ".index in a loop": ("xs = [1, 2]\nfor x in xs:\n    print(xs.index(x))\n", 3, "O(n²)", ".index(...)", "O(n)",
                         "dict"),
    "double recursion": ("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n", 1, "O(2ⁿ)",
                         "calls for n = 30", "O(n)", "cache keeps every result"),
}


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_each_pattern_is_named_with_its_growth_before_and_after_and_a_trade_off(name):
    code, line, before, words, after, trade_off = PATTERNS[name]
    found = estimate(code)
    assert found.line == line
    assert found.before.startswith("Now: ") and before in found.before and words in found.before
    assert found.after.startswith("After: ") and after in found.after
    assert found.trade_off.startswith("Trade-off: ") and trade_off in found.trade_off


def test_linear_code_is_said_to_be_linear_and_a_constant_string_is_not_a_list_scan():
    found = estimate("vowels = 'aeiou'\nfor c in 'banana':\n    if c in vowels:\n        print(c)\n")
    assert "O(n)" in found.before and "already linear" in found.after and "none" in found.trade_off
    assert "O(1)" in estimate("print(1)\n").before


def test_a_set_lookup_in_a_loop_is_not_flagged():
    found = estimate("seen = set()\nfor x in [1, 2]:\n    if x in seen:\n        print(x)\n")
    assert "O(n)" in found.before and "O(n²)" not in found.before


def test_the_schema_requires_before_after_and_trade_off():
    answer = {"summary": "ok", "suggestions": [], "before": "Now: O(n²).", "after": "After: O(n).",
              "trade_off": "Memory for a set."}
    validate(answer, OPTIMIZE)
    for field in ("before", "after", "trade_off"):
        with pytest.raises(SchemaError):
            validate({k: v for k, v in answer.items() if k != field}, OPTIMIZE)
    with pytest.raises(SchemaError):
        validate({**answer, "after": ""}, OPTIMIZE)


def test_offline_the_answer_carries_the_static_estimate(store, index, library):  # noqa: F811
    ai = AIService(OfflineProvider(index), store, settings=AISettings())
    answer = AssistantService(store, ai, index, library, Grader()).ask("u1", "optimize", PAIRS)
    assert answer.source == "offline"
    assert "O(n²)" in answer.before and "O(n)" in answer.after and "memory" in answer.trade_off


def test_online_the_models_before_and_after_are_shown_with_the_static_estimate_in_the_prompt(
        store, index, library):  # noqa: F811
    model = ScriptedProvider({"summary": "Use a set.", "suggestions": [],
                              "before": "Now: every pair is compared, O(n²).",
                              "after": "After: a set of seen values makes it O(n).",
                              "trade_off": "The set costs memory."})
    ai = AIService(model, store, settings=AISettings(provider="bedrock"), fallback=OfflineProvider(index))
    answer = AssistantService(store, ai, index, library, Grader()).ask("u1", "optimize", PAIRS)
    assert answer.source == "bedrock"
    assert answer.before == "Now: every pair is compared, O(n²)."
    assert answer.trade_off == "Trade-off: The set costs memory."  # labelled like the static estimate
    _, payload, _ = model.calls[-1]
    _, user = TASKS["optimize"].build_prompt(payload)
    assert "O(n²)" in user  # the static estimate, for the model to confirm or correct


def test_an_off_schema_model_answer_falls_back_to_the_static_estimate(store, index, library):  # noqa: F811
    model = ScriptedProvider({"summary": "Use a set.", "suggestions": []})  # no before / after / trade_off
    ai = AIService(model, store, settings=AISettings(provider="bedrock"), fallback=OfflineProvider(index))
    answer = AssistantService(store, ai, index, library, Grader()).ask("u1", "optimize", PAIRS)
    assert answer.source == "offline" and "O(n²)" in answer.before and answer.notes


def test_the_page_shows_before_after_and_the_trade_off_and_the_history_keeps_them(app, client, learner):
    token = csrf_token(client, "/assistant/")
    page = client.post("/assistant/", data={"csrf_token": token, "mode": "optimize", "code": PAIRS}
                       ).get_data(as_text=True)
    assert 'class="complexity-words"' in page
    assert "Now:" in page and "O(n²)" in page and "After:" in page and "Trade-off:" in page
    (kept,) = app.extensions["codelearn.assistant"].history(learner.id)
    assert "O(n²)" in kept.result["before"] and kept.result["trade_off"]
