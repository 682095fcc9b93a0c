"""The admin cost page's four fixes (issue 17, item 6): one definition of a lesson view served without a
model (the feature table and the summary agree), the budget field styled like every other field, an
empty state instead of an empty chart when nothing was spent, and quotas only for tasks with a page."""

from __future__ import annotations

import re
from pathlib import Path

from blueprints import admin
from services.ai.cost_report import record_lesson_view

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def _admin(app, learner):
    app.extensions["codelearn.store"].update_user(learner.id, role="admin")


def _feature_row(html: str, feature: str) -> list[str]:
    row = re.search(rf'<tr><td data-label="Feature">{feature}</td>(.*?)</tr>', html, re.S)
    assert row, f"no {feature} row"
    return re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))


def test_lesson_views_served_without_a_model_are_one_number_on_the_page(app, client, learner):
    _admin(app, learner)
    store = app.extensions["codelearn.store"]
    for source in ["library"] * 10 + ["cache"]:
        record_lesson_view(store, source)
    record_lesson_view(store, "generated")
    html = client.get("/admin/cost").get_data(as_text=True)
    model_calls, avoided = _feature_row(html, "Lesson views")[:2]
    assert (model_calls, avoided) == ("0", "11")  # was "avoided 0" next to "11 served without a model"
    assert "<strong>11</strong> (91.7%) served without a model call" in html
    assert "<strong>11</strong> answers without a model" in html  # the total counts them once, the same way


def test_the_budget_field_is_styled_like_the_other_fields(app, client, learner):
    _admin(app, learner)
    html = client.get("/admin/cost").get_data(as_text=True)
    assert re.search(r'<div class="field">\s*<label for="budget_usd">', html)
    assert 'id="budget_usd" name="budget_usd" type="number"' in html
    field_rule = next(line for line in CSS.read_text().splitlines() if line.startswith(".field input[type=text]"))
    assert ".field input[type=number]" in field_rule


def test_nothing_spent_shows_an_empty_state_not_an_empty_chart(app, client, learner):
    _admin(app, learner)
    html = client.get("/admin/cost").get_data(as_text=True)
    assert 'class="chart"' not in html
    assert "Nothing spent on models in the last" in html
    app.extensions["codelearn.ai"].budget.record("Hints", "us.amazon.nova-lite-v1:0", 1000, 200, 0.0001)
    html = client.get("/admin/cost").get_data(as_text=True)
    assert 'class="chart"' in html and "Nothing spent on models" not in html


def test_quotas_are_listed_only_for_tasks_with_a_page(app, client, learner, monkeypatch):
    _admin(app, learner)
    html = client.get("/admin/cost").get_data(as_text=True)
    quotas = html[html.index('id="quotas-heading"'):]
    assert re.search(r'data-label="Task">Hints</td><td data-label="Limit">30</td>', quotas)
    assert '<a href="/chat/">' in quotas  # each task names the page it is used on
    # A task whose page is not in this app (here: the chat's) is not listed.
    monkeypatch.setitem(admin.TASK_PAGES, "chat", ("chat.no_such_endpoint", "chat.conversations"))
    quotas = client.get("/admin/cost").get_data(as_text=True)
    quotas = quotas[quotas.index('id="quotas-heading"'):]
    assert "Tutor chat" not in quotas and "Hints" in quotas
