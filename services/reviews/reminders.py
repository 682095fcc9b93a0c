"""The daily review reminder: one email a day to each learner who opted in and has reviews due, with
a one-click unsubscribe link. Sent by `flask reviews remind` (a scheduled job; on AWS the same code
runs from an hourly EventBridge schedule through lambda_handler's job table: a learner is mailed by
the first run of the day that finds them due). Learners due are found through the store's index across learners
(a page at a time, never a scan); a per-learner-per-day counter makes a rerun send nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from dal.base import Store
from services.mail import Mailer, Message

log = logging.getLogger(__name__)
PREFERENCE = "review_reminders"  # in User.preferences: True once the learner opts in
PAGE = 100


@dataclass(frozen=True)
class RemindResult:
    due_learners: int
    sent: int
    pages: int
    complete: bool = True  # False: stopped before the last page (out of time); a rerun carries on


def wants_reminders(preferences: dict) -> bool:
    return bool(preferences.get(PREFERENCE))


def send_reminders(store: Store, mailer: Mailer, now: datetime, *, due_count: Callable[[str], int],
                   review_url: str, unsubscribe_url: Callable[[str], str],
                   out_of_time: Callable[[], bool] | None = None) -> RemindResult:
    """Mail every opted-in learner with reviews due at `now`, once per UTC day. `out_of_time` is
    asked between pages (Lambda's timeout): a run stopped early leaves the rest to the next run,
    which skips everyone already mailed today."""
    cursor, learners, sent, pages = None, 0, 0, 0
    day = now.date().isoformat()
    while True:
        found, cursor = store.list_due_learners(now, limit=PAGE, cursor=cursor)
        pages += 1
        for user_id, _earliest in found:
            learners += 1
            user = store.get_user(user_id)
            if user is None or not wants_reminders(user.preferences):
                continue
            marker = f"review-reminder:{user_id}:{day}"
            if store.increment_counter(marker, now + timedelta(days=2), now) != 1:
                continue  # already sent today (a rerun of the job)
            count = due_count(user_id)
            mailer.send(Message(
                to=user.email, subject=f"{count} review{'s' if count != 1 else ''} waiting on CodeLearn",
                text=(f"Hello {user.display_name or 'there'},\n\nYou have {count} item{'s' if count != 1 else ''} "
                      f"to review today - a few minutes keeps what you learned.\n\n{review_url}\n\n"
                      f"Stop these reminders (one click): {unsubscribe_url(user_id)}\n")))
            sent += 1
        if cursor is None:
            break
        if out_of_time is not None and out_of_time():
            log.warning("review reminders stopped after %d pages (out of time); the next run carries on", pages)
            return RemindResult(learners, sent, pages, complete=False)
    log.info("review reminders: %d learners due, %d mailed, %d pages", learners, sent, pages)
    return RemindResult(learners, sent, pages)
