"""The single-table key design: which PK / SK / GSI1 value each kind of item lives under.

    item              PK                  SK                           GSI1PK        GSI1SK
    user profile      USER#<id>           PROFILE                      USERS         <created>#<id>
    email claim       EMAIL#<email>       EMAIL
    session           SESSION#<id>        SESSION                      USER#<uid>    SESSION#<created>#<id>
    one-time token    TOKEN#<hash>        TOKEN                        USER#<uid>    TOKEN#<hash>
    counter           COUNTER#<key>       COUNTER
    activity event    USER#<uid>          EVENT#<time>#<random>
    progress          USER#<uid>          PROGRESS#<lesson>
    draft             USER#<uid>          DRAFT#<lesson>
    last report       USER#<uid>          REPORT#<lesson>
    setting           SETTING#<key>       SETTING
    lesson cache      LESSON#<key>        CACHE
    usage             USAGE#<yyyy-mm>     <yyyy-mm-dd>#<feature>#<model>

Everything of one user sits in partition USER#<uid> or, for items looked up by their own id
(sessions, tokens), under GSI1PK USER#<uid>: delete_user finds it all with two queries.
Times inside keys are the fixed-width ISO text of dal.encoding, so they sort as times.
"""

from __future__ import annotations

from datetime import date

Key = dict[str, str]

USERS_INDEX_PARTITION = "USERS"
EVENT_PREFIX = "EVENT#"
PROGRESS_PREFIX = "PROGRESS#"
SESSION_PREFIX = "SESSION#"


def past_prefix(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix`: the upper end of a
    BETWEEN key range ("EVENT#" -> "EVENT$")."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def user_partition(user_id: str) -> str:
    return f"USER#{user_id}"


def user_key(user_id: str) -> Key:
    return {"PK": user_partition(user_id), "SK": "PROFILE"}


def user_index_sort_key(created_iso: str, user_id: str) -> str:
    return f"{created_iso}#{user_id}"


def email_key(email: str) -> Key:
    return {"PK": f"EMAIL#{email}", "SK": "EMAIL"}


def session_key(session_id: str) -> Key:
    return {"PK": f"SESSION#{session_id}", "SK": "SESSION"}


def session_index_sort_key(created_iso: str, session_id: str) -> str:
    return f"{SESSION_PREFIX}{created_iso}#{session_id}"


def token_key(token_hash: str) -> Key:
    return {"PK": f"TOKEN#{token_hash}", "SK": "TOKEN"}


def counter_key(counter: str) -> Key:
    return {"PK": f"COUNTER#{counter}", "SK": "COUNTER"}


def event_key(user_id: str, event_id: str) -> Key:
    return {"PK": user_partition(user_id), "SK": f"{EVENT_PREFIX}{event_id}"}


def progress_key(user_id: str, lesson_id: str) -> Key:
    return {"PK": user_partition(user_id), "SK": f"{PROGRESS_PREFIX}{lesson_id}"}


def draft_key(user_id: str, lesson_id: str) -> Key:
    return {"PK": user_partition(user_id), "SK": f"DRAFT#{lesson_id}"}


def report_key(user_id: str, lesson_id: str) -> Key:
    return {"PK": user_partition(user_id), "SK": f"REPORT#{lesson_id}"}


def setting_key(setting: str) -> Key:
    return {"PK": f"SETTING#{setting}", "SK": "SETTING"}


def lesson_key(cache_key: str) -> Key:
    return {"PK": f"LESSON#{cache_key}", "SK": "CACHE"}


def usage_partition(day: date) -> str:
    return f"USAGE#{day:%Y-%m}"


def usage_key(day: date, feature: str, model: str) -> Key:
    return {"PK": usage_partition(day), "SK": f"{day.isoformat()}#{feature}#{model}"}


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from start's to end's, inclusive."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        if month.month == 12:
            month = month.replace(year=month.year + 1, month=1)
        else:
            month = month.replace(month=month.month + 1)
    return months
