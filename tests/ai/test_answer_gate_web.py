"""AI hints through the answer gate, on the lesson page: a scripted model returns each kind of leak
(twice, so the regeneration leaks too); the learner never sees one, and each refusal is counted."""

from __future__ import annotations

import html
import time
from datetime import date

import pytest

from services.ai.cost_report import GATE_REJECTIONS, cost_summary
from services.ai.hints import SAFE_HINT
from tests.ai.scripted import ScriptedProvider
from tests.conftest import csrf_token

LESSON = "python-tuples-and-sets"
CODE = "def min_max(numbers):\n    return None\n\n\ndef has_duplicates(items):\n    return None\n\n\n" \
       "def common_friends(friends_a, friends_b):\n    return None\n"
LEAKS = {
    "exact line": "Write `return min(numbers), max(numbers)`.",
    "other quotes and spacing": "Try sorted( set(friends_a)&set(friends_b) ) there.",
    "expression without return": "It is just `len(set(items)) != len(items)`.",
    "renamed variables": "Use `min(xs), max(xs)` with your list.",
    "complete alternative in prose": "You can write def has_duplicates(items): return len(items) > len(set(items)) "
                                     "and it works.",
    "alternative as a body": "For common_friends: `return sorted(set(friends_a).intersection(friends_b))`",
    "code block": "```python\ndef min_max(numbers):\n    return min(numbers), max(numbers)\n```",
}
LEAKED_CODE = ("min(numbers), max(numbers)", "set(friends_a)", "len(set(items))", "min(xs)", "len(items) > len",
               "intersection", "def min_max")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "AI_HINTS_PER_LESSON": 50}


def _reveal_authored_hints(app, client) -> str:
    token = csrf_token(client, f"/learn/{LESSON}")
    for _ in app.extensions["codelearn.lesson_library"].get(LESSON).hints:
        client.post(f"/learn/{LESSON}/hint", data={"csrf_token": token})
    return token


def _ask(client, token):
    return client.post(f"/learn/{LESSON}/ai-hint", data={"csrf_token": token, "code": CODE},
                       headers={"Accept": "application/json"})


@pytest.mark.parametrize("kind", sorted(LEAKS))
def test_no_kind_of_leak_reaches_the_learner(app, client, learner, kind):
    ai = app.extensions["codelearn.ai"]
    ai.provider = ScriptedProvider({"hint": LEAKS[kind]})  # the model, and its regeneration, leak
    token = _reveal_authored_hints(app, client)
    started = time.perf_counter()
    response = _ask(client, token)
    assert time.perf_counter() - started < 2.0  # the whole request, regeneration and both gate runs included
    assert response.status_code == 200, response.get_data(as_text=True)
    shown = html.unescape(response.get_json()["text"])
    assert not any(piece in shown for piece in LEAKED_CODE), shown
    assert len(ai.provider.calls) == 2  # asked once, then once more with the reason
    assert "rejected_because" in ai.provider.calls[1][1]
    assert response.get_json()["text"] == SAFE_HINT or "offline" in response.get_json()["note"].lower()
    rows = [r for r in app.extensions["codelearn.store"].list_usage(date(2000, 1, 1), date(2100, 1, 1))
            if r.feature == GATE_REJECTIONS]
    assert sum(r.calls for r in rows) >= 2  # both model answers refused, each counted by its kind


def test_the_admin_summary_counts_refusals_by_kind(app, client, learner):
    ai = app.extensions["codelearn.ai"]
    ai.provider = ScriptedProvider({"hint": LEAKS["exact line"]})
    assert _ask(client, _reveal_authored_hints(app, client)).status_code == 200
    summary = cost_summary(ai.budget, ai.settings, ai.budget.now())
    assert summary.gate_rejections.get("reference-line", 0) >= 2

