"""The code assistant through /api/v1 (offline): review (static findings and complexity), debug,
explain, optimize, generate; the history listed, one entry and all forgotten; bad input (unknown
mode, empty, oversized or non-UTF-8 code, an unknown lesson) refused and nothing kept; another
learner's history entry a 404; the review quota a 429; the JSON says what the page says."""

from __future__ import annotations

import pytest

from tests.api.area_helpers import get, on_the_pages, other_learner, post
from tests.api.conftest import API
from tests.web.lessons_helpers import LESSON

CODE = ("import os\n\ndef total(xs, seen=[]):\n    t = 0\n    for i in range(len(xs)):\n        t += xs[i]\n"
        "    return t\n")


def ask(client, who, **body):
    return post(client, who, "/assistant/requests", {"mode": "review", "code": CODE, **body})


def test_a_review_has_findings_of_several_kinds_and_complexity_and_is_kept(client, ada):
    answer = ask(client, ada)
    assert answer.status_code == 200, answer.json
    review = answer.json
    assert review["mode"] == "review" and review["source"] == "static" and review["request_id"]
    assert {"actionable", "informative", "celebratory"} <= {f["severity"] for f in review["findings"]}
    assert any("mutable default" in f["message"] for f in review["findings"])
    assert [c["name"] for c in review["complexity"]] == ["total"]
    history = get(client, ada, "/assistant/history").json["requests"]
    assert [h["id"] for h in history] == [review["request_id"]]
    assert history[0]["mode"] == "review" and history[0]["result"]["summary"] == review["summary"]


def test_debug_explain_optimize_and_generate_answer_offline(client, ada):
    debug = ask(client, ada, mode="debug", code="print(city)\n", error="NameError: name 'city' is not defined")
    assert debug.status_code == 200 and debug.json["line"] == 1 and debug.json["steps"]
    explain = ask(client, ada, mode="explain")
    assert explain.status_code == 200 and explain.json["lines"] and explain.json["summary"]
    optimize = ask(client, ada, mode="optimize")
    assert optimize.status_code == 200 and optimize.json["before"].startswith("Now: ")
    generate = post(client, ada, "/assistant/requests", {"mode": "generate",
                                                         "description": "reverse the words of a sentence"})
    assert generate.status_code == 200 and generate.json["mode"] == "generate" and generate.json["code"]
    assert len(get(client, ada, "/assistant/history").json["requests"]) == 4


@pytest.mark.parametrize(("body", "field"), [
    ({"mode": "poetry"}, "mode"),
    ({"code": "   "}, "code"),
    ({"code": "x = 1\n" * 5000}, "code"),
    ({"code": "print('caf\ufffd')\n"}, "code"),
    ({"code": "print(1)\n", "unknown": 1}, "body"),
    ({"mode": "generate", "description": ""}, "description"),
    ({"mode": "generate", "description": "x" * 1001}, "description"),
])
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_kept(client, ada, body, field):
    answer = ask(client, ada, **body)
    assert answer.status_code == 422, answer.json
    fields = answer.json["error"]["details"].get("fields", {})
    assert field in fields, answer.json
    assert get(client, ada, "/assistant/history").json["requests"] == []


def test_code_that_is_not_utf8_is_refused(client, ada):
    body = b'{"mode": "review", "code": "print(\'caf\xe9\')"}'
    answer = client.post(f"{API}/assistant/requests", data=body,
                         headers={**ada.headers, "Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json["error"]["code"] == "invalid_json"
    surrogate = ask(client, ada, code="print('\udce9')\n")
    assert surrogate.status_code == 422
    assert get(client, ada, "/assistant/history").json["requests"] == []


def test_an_unknown_lesson_is_a_404(client, ada):
    assert ask(client, ada, lesson_id="no-such-lesson").status_code == 404


def test_history_entries_are_forgotten_one_by_one_or_all_and_only_the_learners_own(app, client, ada):
    first = ask(client, ada).json["request_id"]
    second = ask(client, ada, mode="explain").json["request_id"]
    grace = other_learner(app)
    assert client.delete(f"{API}/assistant/history/{first}", headers=grace.headers).status_code == 404
    assert client.delete(f"{API}/assistant/history", headers=grace.headers).status_code == 204
    assert {h["id"] for h in get(client, ada, "/assistant/history").json["requests"]} == {first, second}
    assert get(client, grace, "/assistant/history").json["requests"] == []

    assert client.delete(f"{API}/assistant/history/{first}", headers=ada.headers).status_code == 204
    assert client.delete(f"{API}/assistant/history/{first}", headers=ada.headers).status_code == 404
    assert [h["id"] for h in get(client, ada, "/assistant/history").json["requests"]] == [second]
    assert client.delete(f"{API}/assistant/history", headers=ada.headers).status_code == 204
    assert get(client, ada, "/assistant/history").json["requests"] == []


def test_the_json_matches_the_assistant_page(app, client, ada):
    review = ask(client, ada).json
    page = on_the_pages(app, ada).get("/assistant/").get_data(as_text=True)
    assert review["summary"][:160] in page  # the history's line on the page
    lesson_page = on_the_pages(app, ada).get(f"/assistant/?lesson={LESSON}").get_data(as_text=True)
    assert "Review" in lesson_page


class TestQuota:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "AI_QUOTA_REVIEW": 1}

    def test_past_the_quota_a_429_with_retry_after(self, client, ada):
        assert ask(client, ada).status_code == 200
        refused = ask(client, ada)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
