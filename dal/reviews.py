"""The reviews' storage area: spaced-review cards with their scheduler state and due time, and the
log of every review.

"What is due" is one ordered read: SQLite has an index on (user_id, due); DynamoDB keeps, beside each
card, a due entry whose sort key starts with the due time, so one Query in the learner's partition
returns the due cards, most overdue first. A review is written once: it carries its own id, the card
is saved only if its `version` is still the one read, and a retry of the same review (same id) is
accepted as done. Reminders find the learners with due cards through an index across learners.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KINDS = ("concept", "quiz", "variant")


@dataclass
class ReviewCard:
    user_id: str
    card_id: str  # concept:<concept> | quiz:<lesson>#<index> | variant:<lesson>/<variant>
    kind: str  # one of KINDS
    lesson_id: str  # the completed lesson that made it due
    due: datetime
    scheduler: dict[str, Any] = field(default_factory=dict)  # the FSRS card's state (services/reviews)
    reps: int = 0
    lapses: int = 0
    last_rating: int = 0  # 0: never reviewed
    last_review_id: str = ""  # the review that wrote this state (a retry of it is accepted)
    created_at: datetime | None = None
    version: int = 0  # as read; 0: not stored yet


@dataclass
class ReviewLog:
    user_id: str
    review_id: str
    card_id: str
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: datetime
    due_before: datetime
    due_after: datetime
    item: str = ""  # what was shown: a quiz question or a variant (a concept card's chosen item)
    detail: dict[str, Any] = field(default_factory=dict)


class ReviewRecords(abc.ABC):
    @abc.abstractmethod
    def add_review_cards(self, cards: list[ReviewCard]) -> int:
        """Store the cards (one learner) that do not exist yet; existing ones are left as they are.
        Returns how many were new. Safe to call again (completion hooks may run twice)."""

    @abc.abstractmethod
    def get_review_card(self, user_id: str, card_id: str) -> ReviewCard | None:
        """The learner's own card; another learner's id is None, as an unknown one is."""

    @abc.abstractmethod
    def list_due_cards(self, user_id: str, until: datetime, limit: int) -> list[ReviewCard]:
        """Cards due at or before `until`, most overdue first, at most `limit` (one query)."""

    @abc.abstractmethod
    def next_due_card(self, user_id: str) -> ReviewCard | None:
        """The card due first, whenever that is (the empty state's "next review")."""

    @abc.abstractmethod
    def count_due_cards(self, user_id: str, until: datetime, limit: int) -> int:
        """How many cards are due at or before `until`, counting at most `limit`."""

    @abc.abstractmethod
    def record_review(self, card: ReviewCard, log: ReviewLog) -> bool:
        """Save the card's new state and the log together, only if the stored card is still at
        `card.version`; `card.last_review_id` must be `log.review_id`. A retry of this same review
        returns True and writes nothing twice; another review got there first: False."""

    @abc.abstractmethod
    def list_review_logs(self, user_id: str, limit: int = 50) -> list[ReviewLog]:
        """The learner's latest reviews, newest first."""

    @abc.abstractmethod
    def list_due_learners(self, until: datetime, limit: int = 100,
                          cursor: str | None = None) -> tuple[list[tuple[str, datetime]], str | None]:
        """Learners with a card due at or before `until`, with their earliest due time, a page at a
        time (an index across learners, never a scan of the cards), and the next page's cursor (None:
        no more)."""
