"""The words on the pages say what is true: first visits, counts, and lessons that build on others."""

from __future__ import annotations

import re

from tests.conftest import csrf_token, login, register
from tests.web.lessons_helpers import LESSON


def _flash(page: str) -> str:
    found = re.search(r'class="flash[^"]*"[^>]*>(.*?)</', page, re.S)
    return found.group(1).strip() if found else ""


def test_the_first_login_says_welcome_and_later_ones_welcome_back(app, client):
    register(client)
    login(client)
    first = client.get("/dashboard").get_data(as_text=True)
    assert "Welcome, Ada!" in first and "Welcome back" not in first
    client.post("/logout", data={"csrf_token": csrf_token(client, "/dashboard")})
    login(client)
    assert "Welcome back, Ada!" in client.get("/dashboard").get_data(as_text=True)


def test_logging_out_everywhere_counts_the_devices_plainly(app, client):
    register(client)
    login(client)
    login(app.test_client())
    client.post("/logout-everywhere", data={"csrf_token": csrf_token(client, "/account/sessions")})
    page = client.get("/login").get_data(as_text=True)
    assert "on every device" not in page
    assert "You are logged out on 2 devices" in page


def test_logging_out_everywhere_on_one_device_says_this_device(app, client):
    register(client)
    login(client)
    client.post("/logout-everywhere", data={"csrf_token": csrf_token(client, "/account/sessions")})
    assert "You are logged out on this device" in client.get("/login").get_data(as_text=True)


def test_a_lesson_with_earlier_lessons_to_do_says_what_it_builds_on(client, learner):
    page = client.get("/learn/").get_data(as_text=True)
    assert "Needs earlier lessons" not in page
    assert "Builds on" in page


def test_the_lesson_title_is_not_repeated_by_the_lessons_first_heading(client, learner):
    lists = client.get("/learn/python-lists").get_data(as_text=True)
    assert re.search(r'<h1 id="lesson-title">\s*Lists\s*</h1>', lists)
    assert not re.search(r"<h2[^>]*>\s*Lists\s*</h2>", lists), "the title is shown twice"
    variables = client.get(f"/learn/{LESSON}").get_data(as_text=True)  # "# Variables in Python" under its title
    assert "Variables in Python</h2>" not in variables
