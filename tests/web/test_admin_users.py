"""The admin users page: admins only, a page at a time, search by email, make / revoke admin,
disable (cannot log in, sessions end) and enable, every action audited with who did it; CSRF on
every change (issue 17)."""

from __future__ import annotations

import re

from tests.conftest import csrf_token, login, verified_learner


def _admin(app, client, learner):
    app.extensions["codelearn.store"].update_user(learner.id, role="admin")
    return learner


def test_learners_get_403_and_admins_see_users_newest_first_a_page_at_a_time(app, client, learner):
    other_client, _ = verified_learner(app, "bob@example.com")
    assert other_client.get("/admin/users").status_code == 403
    _admin(app, client, learner)
    for n in range(30):
        verified_learner(app, f"user{n:02d}@example.com")
    page = client.get("/admin/users").get_data(as_text=True)
    assert page.index("user29@example.com") < page.index("user28@example.com")
    assert "user00@example.com" not in page
    cursor = re.search(r'href="/admin/users\?cursor=([^"]+)"', page).group(1)
    second = client.get(f"/admin/users?cursor={cursor}").get_data(as_text=True)
    assert "user00@example.com" in second and "user29@example.com" not in second
    bad = client.get("/admin/users?cursor=not-a-cursor")
    assert bad.status_code == 200 and "first page" in bad.get_data(as_text=True)


def test_search_by_email_finds_the_account_or_says_there_is_none(app, client, learner):
    _admin(app, client, learner)
    verified_learner(app, "bob@example.com")
    found = client.get("/admin/users?q=BOB@example.com").get_data(as_text=True)
    assert "bob@example.com" in found and "ada@example.com" not in found
    missing = client.get("/admin/users?q=nobody@example.com").get_data(as_text=True)
    assert "No account has that email address." in missing
    assert client.get("/admin/users?q=not an email").status_code == 200


def test_make_and_revoke_admin_audited_and_not_on_oneself(app, client, learner):
    _admin(app, client, learner)
    store = app.extensions["codelearn.store"]
    _, bob = verified_learner(app, "bob@example.com")
    token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{bob.id}/role", data={"csrf_token": token, "role": "admin"})
    assert store.get_user(bob.id).role == "admin"
    client.post(f"/admin/users/{bob.id}/role", data={"csrf_token": token, "role": "learner"})
    assert store.get_user(bob.id).role == "learner"
    refused = client.post(f"/admin/users/{learner.id}/role", data={"csrf_token": token, "role": "learner"},
                          follow_redirects=True)
    assert "cannot revoke your own admin role" in refused.get_data(as_text=True)
    assert store.get_user(learner.id).role == "admin"
    entries = store.list_audit_entries().items  # the audit trail (services/admin/audit.py)
    assert [e.action for e in entries] == ["revoke_admin", "make_admin"]
    assert all(bob.id not in str(vars(e)) and learner.id not in str(vars(e)) for e in entries)  # pseudonyms


def test_a_disabled_account_is_logged_out_cannot_log_in_and_can_be_enabled(app, client, learner):
    _admin(app, client, learner)
    store = app.extensions["codelearn.store"]
    bob_client, bob = verified_learner(app, "bob@example.com")
    assert bob_client.get("/dashboard").status_code == 200
    token = csrf_token(client, "/admin/users")
    client.post(f"/admin/users/{bob.id}/disabled", data={"csrf_token": token, "disabled": "on"})
    assert bob_client.get("/dashboard").status_code == 302  # the session ended
    assert store.list_user_sessions(bob.id, store.get_user(bob.id).created_at) == []
    assert login(app.test_client(), email="bob@example.com").status_code != 302
    assert "disabled" in client.get("/admin/users?q=bob@example.com").get_data(as_text=True)
    client.post(f"/admin/users/{bob.id}/disabled", data={"csrf_token": token, "disabled": "off"})
    assert login(app.test_client(), email="bob@example.com").status_code == 302


def test_changes_need_the_csrf_token(app, client, learner):
    app.config["WTF_CSRF_ENABLED"] = True
    _admin(app, client, learner)
    _, bob = verified_learner(app, "bob@example.com")
    response = client.post(f"/admin/users/{bob.id}/disabled", data={"disabled": "on"})
    assert response.status_code == 400
    assert not app.extensions["codelearn.store"].get_user(bob.id).preferences.get("disabled_at")
