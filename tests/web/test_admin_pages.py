"""The admin pages beside users and costs (issue 17, item 6): content check status, lesson cache, answer
gate refusals, audit. Admins only (403 for learners), CSRF on every form, one Admin nav entry with the
admin pages' own navigation, every admin action in the audit trail with who did it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from dal.admin import GateRejection
from dal.base import LessonCacheEntry
from services.admin.content_status import content_fingerprint, record_check
from services.clock import utcnow
from services.lessons.check import CheckResult
from services.lessons.library import FileProblem
from tests.conftest import csrf_token, verified_learner

PAGES = ["/admin/users", "/admin/cost", "/admin/content", "/admin/cache", "/admin/gate", "/admin/audit"]


def _admin(app, learner):
    app.extensions["codelearn.store"].update_user(learner.id, role="admin")
    return learner


def _cache(store, key, content=None, hits=0, source="ai"):
    now = utcnow()
    store.put_cached_lesson(LessonCacheEntry(key, content or {"explanation": "x"}, source, now,
                                             now + timedelta(days=30), model="m", cost_usd=0.0012, hit_count=hits))


def _admin_posts(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.") and "POST" in rule.methods]


@pytest.mark.parametrize("path", PAGES)
def test_learners_get_403_visitors_log_in_and_admins_see_the_page(app, client, learner, path):
    assert client.get(path).status_code == 403
    assert app.test_client().get(path).status_code == 302
    _admin(app, learner)
    html = client.get(path).get_data(as_text=True)
    nav = re.search(r'<nav class="admin-nav" aria-label="Admin pages">(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', nav) == PAGES  # the same sub-navigation on each
    assert f'href="{path}" aria-current="page"' in nav
    # One header entry for all of them (the header has its nav twice: the row, and the phone menu).
    assert html.count(">Admin</a>") == html.count(">Assistant</a>") == 2


def test_every_admin_form_is_refused_to_learners_and_without_its_csrf_token(app, client, learner):
    posts = _admin_posts(app)
    assert {rule.endpoint for rule in posts} >= {"admin.invalidate_cache", "admin.invalidate_lesson_cache",
                                                 "admin.emergency", "admin.set_budget", "admin.change_role"}
    sample = {"user_id": learner.id}
    for rule in posts:
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: sample[m.group(1)], rule.rule)
        assert client.post(path, data={"csrf_token": csrf_token(client, "/dashboard")}).status_code == 403, path
    _admin(app, learner)
    app.config["WTF_CSRF_ENABLED"] = True
    for rule in posts:
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: sample[m.group(1)], rule.rule)
        assert client.post(path, data={"key": "x", "lesson_id": "python-variables"}).status_code == 400, path
    for path in PAGES:  # and every form on the pages carries one
        html = client.get(path).get_data(as_text=True)
        for form in re.findall(r'<form method="post".*?</form>', html, re.S):
            assert 'name="csrf_token"' in form, (path, form[:120])


def test_content_page_shows_the_stored_check_and_whether_it_is_current(app, client, learner, runner, monkeypatch):
    _admin(app, learner)
    html = client.get("/admin/content").get_data(as_text=True)
    assert "never run" in html and "33</strong><span>lessons served" in html
    assert "program questions with a current stored run" in html
    store, lessons_dir = app.extensions["codelearn.store"], app.config["LESSONS_DIR"]
    problem = FileProblem("lessons/python/beginner/x.json", "python-x", "the starter passes every test")
    record_check(store, CheckResult(33, [problem], 12, 1), lessons_dir, ran_at=utcnow(), seconds=61.0)
    html = client.get("/admin/content").get_data(as_text=True)
    assert "1 problem</span>" in html and ">current for this content</span>" in html
    assert "the starter passes every test" in html
    assert content_fingerprint(lessons_dir) in html
    setting = store.get_setting("content.last_check")
    store.put_setting("content.last_check", {**setting, "fingerprint": "0000000000000000"})
    html = client.get("/admin/content").get_data(as_text=True)
    assert "content changed since" in html and "have not been proved yet" in html
    # The CLI stores its run (the check itself is replaced: it grades every lesson for minutes).
    monkeypatch.setattr("services.lessons.check.check_library", lambda *a, **k: CheckResult(33, [], 12, 0))
    assert runner.invoke(args=["lessons", "check"]).exit_code == 0
    html = client.get("/admin/content").get_data(as_text=True)
    assert ">passed</span>" in html and ">current for this content</span>" in html


def test_cache_page_lists_entries_with_hits_and_filters_by_kind(app, client, learner):
    _admin(app, learner)
    store = app.extensions["codelearn.store"]
    _cache(store, "explain:variables:new", hits=4)
    _cache(store, "quiz:variables", {"questions": []})
    html = client.get("/admin/cache").get_data(as_text=True)
    assert "explain:variables:new" in html and "quiz:variables" in html
    assert re.search(r'data-label="Hits">4<', html)
    quizzes = client.get("/admin/cache?kind=quiz").get_data(as_text=True)
    assert "quiz:variables" in quizzes and "explain:variables:new" not in quizzes
    assert client.get("/admin/cache?cursor=not-a-cursor").status_code == 200


def test_a_cached_explanation_read_counts_its_hit_in_batches(app, client, learner):
    _admin(app, learner)
    store = app.extensions["codelearn.store"]
    for band in ("new", "developing", "confident"):
        _cache(store, f"explain:variables:{band}", {"explanation": "Names for values.", "example": "",
                                                    "key_points": [], "citations": []})
    for _ in range(3):
        assert client.get("/skills/variables/explain").status_code == 200
    hits = app.extensions["codelearn.ai"].cache_hits
    assert sum(store.get_cached_lesson(f"explain:variables:{b}", utcnow()).hit_count
               for b in ("new", "developing", "confident")) == 0  # not a write per read
    assert sum(hits.pending(f"explain:variables:{b}") for b in ("new", "developing", "confident")) == 3
    html = client.get("/admin/cache?kind=explain").get_data(as_text=True)  # the page flushes this process's
    assert re.search(r'data-label="Hits">3<', html)


def test_invalidate_one_entry_or_a_lessons_entries_audited(app, client, learner):
    _admin(app, learner)
    store = app.extensions["codelearn.store"]
    lesson = app.extensions["codelearn.lesson_library"].get("python-variables")
    concept = lesson.concepts[0]
    _cache(store, f"explain:{concept}:new")
    _cache(store, f"quiz:{concept}", {"questions": []})
    _cache(store, "lesson:python:beginner:naming-values", {"id": lesson.id, "title": lesson.title}, source="static")
    _cache(store, "quiz:unrelated-concept", {"questions": []})
    token = csrf_token(client, "/admin/cache")
    done = client.post("/admin/cache/invalidate", data={"csrf_token": token, "key": f"quiz:{concept}"},
                       follow_redirects=True).get_data(as_text=True)
    assert f"Invalidated quiz:{concept}" in done and store.get_cached_lesson(f"quiz:{concept}", utcnow()) is None
    again = client.post("/admin/cache/invalidate", data={"csrf_token": token, "key": f"quiz:{concept}"},
                        follow_redirects=True).get_data(as_text=True)
    assert "not in the cache any more" in again
    done = client.post("/admin/cache/invalidate-lesson", data={"csrf_token": token, "lesson_id": lesson.id},
                       follow_redirects=True).get_data(as_text=True)
    assert f"Invalidated 2 entries of {lesson.id}" in done
    assert [e.key for e in store.list_cached_lessons(utcnow()).items] == ["quiz:unrelated-concept"]
    missing = client.post("/admin/cache/invalidate-lesson", data={"csrf_token": token, "lesson_id": "nope"},
                          follow_redirects=True).get_data(as_text=True)
    assert "There is no such lesson." in missing
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "invalidated the cache entries of lesson <strong>python-variables</strong> (2 entries)" in audit
    assert f"invalidated the cache entry <strong>quiz:{concept}</strong>" in audit


def test_gate_page_lists_refusals_to_admins_only(app, client, learner):
    store = app.extensions["codelearn.store"]
    now = utcnow()
    store.add_gate_rejection(GateRejection(now, now + timedelta(days=30), "hint", "python-variables", "code-block",
                                           "contains a code block longer than one line", "def answer():\n    return 1"))
    assert "def answer()" not in client.get("/admin/gate").get_data(as_text=True)  # a learner: 403
    _admin(app, learner)
    html = client.get("/admin/gate").get_data(as_text=True)
    assert "Variables" in html and "code-block" in html and "hint" in html
    assert "<summary>Refused text</summary>" in html and "def answer():" in html


def test_empty_pages_say_so(app, client, learner):
    _admin(app, learner)
    assert "No answer was refused in the last 30 days." in client.get("/admin/gate").get_data(as_text=True)
    assert "Nothing is cached yet" in client.get("/admin/cache").get_data(as_text=True)


def test_every_admin_action_is_audited_with_who_and_a_deleted_learner_stays_a_pseudonym(app, client, learner):
    _admin(app, learner)
    bob_client, bob = verified_learner(app, "bob@example.com")
    token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{bob.id}/role", data={"csrf_token": token, "role": "admin"})
    client.post(f"/admin/users/{bob.id}/role", data={"csrf_token": token, "role": "learner"})
    client.post(f"/admin/users/{bob.id}/disabled", data={"csrf_token": token, "disabled": "on"})
    client.post(f"/admin/users/{bob.id}/disabled", data={"csrf_token": token, "disabled": "off"})
    client.post("/admin/cost/budget", data={"csrf_token": token, "budget_usd": "40"})
    client.post("/admin/cost/emergency", data={"csrf_token": token, "mode": "on"})
    client.post("/admin/cost/emergency", data={"csrf_token": token, "mode": "off"})
    html = client.get("/admin/audit").get_data(as_text=True)
    whats = re.findall(r'<td data-label="What"><span>(.*?)</span></td>', html, re.S)
    assert [re.sub(r"<[^>]+>", "", w) for w in whats] == [
        "switched AI emergency mode off", "switched AI emergency mode on",
        "set the monthly AI budget: 25.00 → 40.00 USD", "enabled bob@example.com", "disabled bob@example.com",
        "took the admin role from bob@example.com", "gave the admin role to bob@example.com"]
    assert html.count('<td data-label="Who">ada@example.com</td>') == 7
    store = app.extensions["codelearn.store"]
    store.erase_user(bob.id)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert "bob@example.com" not in html and "disabled <strong>learner-" in html
    entries = store.list_audit_entries().items
    assert all(bob.id not in str(vars(e)) and "bob@" not in str(vars(e)) for e in entries)
