"""The learner's account for API clients: profile, password, login sessions (the site's and the
clients' alike), "log out everywhere", deleting the account. Services: services/accounts.py,
services/progress/profile.py, services/progress/data_rights.py."""

from __future__ import annotations

from typing import Any

from blueprints.api.auth import USER, user_json
from blueprints.api.framework import current_session, endpoint, learner
from blueprints.api.schemas import BOOLEAN, DONE, INTEGER, STRING, TIME, array, obj, text
from blueprints.deps import accounts, service
from services import passwords
from services.accounts import MAX_NAME_LENGTH
from services.devices import describe_device
from services.progress.data_rights import CONFIRMATION

PASSWORD = text(passwords.MAX_LENGTH)
SESSION = obj({"id": STRING, "device": STRING, "created_at": TIME, "last_seen_at": TIME, "expires_at": TIME,
               "remember": BOOLEAN, "current": BOOLEAN}, closed=False)
SIGNED_OUT = obj({"signed_out": INTEGER, "message": STRING})


@endpoint("account", "/account", "GET", summary="The learner's profile", response=USER)
def profile():
    return user_json(learner())


@endpoint("account", "/account", "PATCH", summary="Change the display name or the time zone",
          request=obj({"display_name": text(MAX_NAME_LENGTH), "time_zone": text(64)}, required=()),
          response=USER, example={"display_name": "Ada L.", "time_zone": "Europe/Rome"})
def update_profile(body: dict[str, Any]):
    """Fields left out keep their value. The time zone is an IANA name (streaks count days in it)."""
    user = learner()
    zone = body.get("time_zone", user.preferences.get("time_zone") or "UTC")
    return user_json(service("profile").update(user.id, body.get("display_name", user.display_name), zone))


@endpoint("account", "/account/password", "POST", summary="Change the password",
          request=obj({"current_password": PASSWORD, "new_password": PASSWORD}), response=SIGNED_OUT,
          example={"current_password": "correct horse battery", "new_password": "a new long passphrase"})
def change_password(body: dict[str, Any]):
    """Every other session (site and clients) is logged out; this client's stays."""
    others = accounts().change_password(learner().id, body["current_password"], body["new_password"],
                                        current_session().id)
    return {"signed_out": others, "message": "Your password is changed."}


@endpoint("account", "/account/sessions", "GET", summary="Where the learner is logged in",
          response=obj({"sessions": array(SESSION)}))
def sessions():
    this = current_session().id
    return {"sessions": [
        {"id": s.id, "device": describe_device(s.user_agent), "created_at": s.created_at.isoformat(),
         "last_seen_at": s.last_seen_at.isoformat(), "expires_at": s.expires_at.isoformat(),
         "remember": s.remember, "current": s.id == this}
        for s in accounts().list_sessions(learner().id)]}


@endpoint("account", "/account/sessions/<session_id>", "DELETE", summary="Log out one session", response=None)
def revoke_session(session_id: str):
    """Its tokens (or its browser cookie) stop working at once; another learner's id is a 404."""
    accounts().revoke_session(learner().id, session_id)


@endpoint("account", "/account/logout-everywhere", "POST", summary="Log out every session, this one too",
          response=SIGNED_OUT)
def logout_everywhere():
    count = accounts().logout_everywhere(learner().id)
    return {"signed_out": count, "message": "You are logged out everywhere."}


@endpoint("account", "/account/delete", "POST", summary="Delete the account and everything stored about it",
          request=obj({"password": PASSWORD, "confirmation": text(16, description=f"Type {CONFIRMATION}.")}),
          response=DONE, example={"password": "correct horse battery", "confirmation": CONFIRMATION})
def delete_account(body: dict[str, Any]):
    """Needs the password and the word DELETE. Every item of the learner goes, every session with it."""
    service("data_rights").delete_account(learner().id, body["password"], body["confirmation"])
    return {"status": "done", "message": "Your account and everything stored about it are deleted."}
