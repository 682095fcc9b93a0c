"""The admin cost page through the Flask test client (uses the app fixtures of tests/conftest.py)."""

from __future__ import annotations

import pytest

from blueprints import admin
from services.ai import AIService, AISettings
from services.ai.lesson_index import LessonIndex
from services.ai.offline import OfflineProvider
from tests.ai.conftest import CONTENT
from tests.ai.scripted import ScriptedProvider
from tests.conftest import csrf_token

HINT = {"challenge": "c", "code": "x", "failing_tests": [{"name": "t", "message": "m"}]}


@pytest.fixture
def ai_app(app):
    if "admin" not in app.blueprints:  # until the app factory registers it
        admin.init_app(app)
    store = app.extensions["codelearn.store"]
    ai = AIService(
        ScriptedProvider({"hint": "ok"}),
        store,
        settings=AISettings(),
        fallback=OfflineProvider(LessonIndex.from_dir(CONTENT)),
    )
    app.extensions["codelearn.ai"] = ai
    return app


@pytest.fixture
def admin_user(ai_app, client, learner):
    ai_app.extensions["codelearn.store"].update_user(learner.id, role="admin")
    return learner


def test_learners_cannot_see_the_cost_page(ai_app, client, learner):
    assert client.get("/admin/cost").status_code == 403
    assert client.post("/admin/cost/emergency", data={"mode": "on"}).status_code in (400, 403)


def test_anonymous_visitors_are_sent_to_log_in(ai_app, client):
    assert client.get("/admin/cost").status_code in (302, 401)


def test_cost_page_shows_spend_projection_and_prices(ai_app, client, admin_user):
    ai = ai_app.extensions["codelearn.ai"]
    for _ in range(3):
        ai.run("hint", HINT)
    page = client.get("/admin/cost")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in (
        "AI costs",
        "Hints",
        "Amazon Nova Lite",
        "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        "25.00 USD",
        "within budget",
        "Emergency mode is off",
        "3</strong> model calls",
    ):
        assert text in html, text
    assert ">Admin<" in client.get("/dashboard").get_data(as_text=True)  # admin-only nav entry
    assert "AI costs" in client.get("/admin/users").get_data(as_text=True)  # the admin pages link each other


def test_admin_switches_emergency_mode_and_the_service_stops_calling_models(ai_app, client, admin_user):
    ai = ai_app.extensions["codelearn.ai"]
    token = csrf_token(client, "/admin/cost")
    response = client.post("/admin/cost/emergency", data={"mode": "on", "csrf_token": token})
    assert response.status_code == 302
    assert ai.budget.emergency().on and ai.budget.emergency().by == admin_user.id
    assert "Emergency mode is on" in client.get("/admin/cost").get_data(as_text=True)
    result = ai.run("hint", HINT)
    assert result.source == "offline" and "emergency" in result.note
    client.post("/admin/cost/emergency", data={"mode": "off", "csrf_token": token})
    assert not ai.budget.is_emergency()


def test_admin_sets_the_budget(ai_app, client, admin_user):
    token = csrf_token(client, "/admin/cost")
    client.post("/admin/cost/budget", data={"budget_usd": "12.5", "csrf_token": token})
    assert "12.50 USD" in client.get("/admin/cost").get_data(as_text=True)
    client.post("/admin/cost/budget", data={"budget_usd": "lots", "csrf_token": token})
    assert "must be a number" in client.get("/admin/cost").get_data(as_text=True)
    assert ai_app.extensions["codelearn.ai"].budget.monthly_budget() == 12.5


def test_post_without_csrf_token_is_refused(ai_app, client, admin_user):
    assert client.post("/admin/cost/emergency", data={"mode": "on"}).status_code == 400
    assert not ai_app.extensions["codelearn.ai"].budget.is_emergency()
