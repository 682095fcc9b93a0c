"""The main navigation marks the area of the page being shown (aria-current="page"), on every area
page a learner or an admin reaches from it, and only that entry (blueprints/nav.py, base.html)."""

from __future__ import annotations

import re

import pytest

AREA_PAGES = {
    "/dashboard": "Dashboard",
    "/learn/": "Learn",
    "/learn/python-variables": "Learn",
    "/skills": "Skills",
    "/review": "Review",
    "/chat/": "Tutor",
    "/assistant/": "Assistant",
    "/account/sessions": "Account",
    "/account/password": "Account",
    "/account/profile": "Account",
    "/account/delete": "Account",
    "/admin/users": "Admin",
    "/admin/cost": "Admin",
}
_MARKED = re.compile(r'<a href="[^"]*"\s*aria-current="page"\s*>\s*([A-Za-z]+)')


@pytest.mark.parametrize(("path", "entry"), AREA_PAGES.items())
def test_the_nav_marks_the_current_area(app, client, learner, path, entry):
    app.extensions["codelearn.store"].update_user(learner.id, role="admin")
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    nav = response.get_data(as_text=True).split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    nav = nav.split('class="nav-menu"', 1)[0]  # the wide row; the menu panel repeats the same entries
    assert _MARKED.findall(nav) == [entry], (path, _MARKED.findall(nav))
