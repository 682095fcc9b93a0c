"""The learner's profile: display name and time zone (streaks and the heat map count days in it).
Changing the zone rewrites nothing: activity is kept by UTC hour and folded into days when read."""

from __future__ import annotations

from dal.base import Store, User
from services.accounts import MAX_NAME_LENGTH
from services.errors import InvalidInput, NotFoundError
from services.progress.calendar import check_time_zone


class ProfileService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def update(self, user_id: str, display_name: str, time_zone: str) -> User:
        user = self._store.get_user(user_id)
        if user is None:
            raise NotFoundError("Account not found.")
        name = " ".join(display_name.split())
        if len(name) > MAX_NAME_LENGTH:
            raise InvalidInput(f"Use at most {MAX_NAME_LENGTH} characters for your name.",
                               {"display_name": "too long"})
        zone = check_time_zone(time_zone)
        return self._store.update_user(user_id, display_name=name,
                                       preferences={**user.preferences, "time_zone": zone})
