"""Contract: the reviews' area of the store (dal/reviews.py) — cards with their scheduler state and
due time, "what is due" as one ordered read, reviews written once (retries accepted, a second
review of the same version refused), learners due found across learners, all gone with the learner."""

from __future__ import annotations

import dataclasses

from dal.reviews import ReviewCard, ReviewLog
from tests.dal.helpers import assert_plain_values, later, new_user


def card(user_id: str, card_id: str, due, kind: str = "quiz") -> ReviewCard:
    return ReviewCard(user_id, card_id, kind, "python-loops", due, scheduler={"state": 2, "stability": 2.3},
                      created_at=due)


def review(c: ReviewCard, review_id: str, at, due_after, rating: int = 3) -> tuple[ReviewCard, ReviewLog]:
    new = dataclasses.replace(c, due=due_after, reps=c.reps + 1, last_rating=rating, last_review_id=review_id,
                              scheduler={"state": 2, "stability": 9.1})
    return new, ReviewLog(c.user_id, review_id, c.card_id, rating, at, c.due, due_after, item="python-loops#0",
                          detail={"first_try": True})


def test_cards_are_added_once_and_come_back_as_stored(store, now):
    user = new_user(store)
    cards = [card(user.id, "quiz:python-loops#0", now), card(user.id, "concept:for-loops", now, "concept")]
    assert store.add_review_cards(cards) == 2
    assert store.add_review_cards(cards) == 0  # the completion hook running twice adds nothing
    found = store.get_review_card(user.id, "concept:for-loops")
    assert found.kind == "concept" and found.lesson_id == "python-loops" and found.version == 1
    assert found.scheduler == {"state": 2, "stability": 2.3} and found.reps == 0 and found.last_rating == 0
    assert abs((found.due - now).total_seconds()) < 0.001
    assert_plain_values(found)
    assert store.get_review_card(user.id, "quiz:nope") is None


def test_what_is_due_is_ordered_most_overdue_first_and_limited(store, now):
    user, other = new_user(store), new_user(store, email="b@example.com")
    store.add_review_cards([card(user.id, f"quiz:python-loops#{i}", later(now, days=-i)) for i in range(5)]
                           + [card(user.id, "variant:python-loops/later", later(now, days=3), "variant")])
    store.add_review_cards([card(other.id, "quiz:python-loops#0", later(now, days=-9))])
    due = store.list_due_cards(user.id, now, limit=3)
    assert [c.card_id for c in due] == ["quiz:python-loops#4", "quiz:python-loops#3", "quiz:python-loops#2"]
    assert len(store.list_due_cards(user.id, now, limit=50)) == 5
    assert store.count_due_cards(user.id, now, limit=50) == 5 and store.count_due_cards(user.id, now, limit=2) == 2
    assert store.next_due_card(user.id).card_id == "quiz:python-loops#4"
    assert store.list_due_cards(user.id, later(now, days=-10), limit=5) == []
    fresh = new_user(store, email="c@example.com")
    assert store.next_due_card(fresh.id) is None and store.count_due_cards(fresh.id, now, 10) == 0


def test_a_review_moves_the_card_and_is_logged_once(store, now):
    user = new_user(store)
    store.add_review_cards([card(user.id, "quiz:python-loops#0", now)])
    stored = store.get_review_card(user.id, "quiz:python-loops#0")
    new, log = review(stored, "r1", now, later(now, days=9))
    assert store.record_review(new, log)
    assert store.record_review(new, log)  # a retry of the same review: accepted, nothing doubled
    moved = store.get_review_card(user.id, "quiz:python-loops#0")
    assert moved.version == 2 and moved.reps == 1 and moved.last_review_id == "r1"
    assert moved.scheduler["stability"] == 9.1
    assert store.list_due_cards(user.id, later(now, days=1), 10) == []
    assert [c.card_id for c in store.list_due_cards(user.id, later(now, days=9), 10)] == ["quiz:python-loops#0"]
    logs = store.list_review_logs(user.id)
    assert [(x.review_id, x.rating, x.item, x.detail) for x in logs] == [("r1", 3, "python-loops#0",
                                                                            {"first_try": True})]
    # another review of the version already reviewed (a double submit): refused, nothing changes
    again, second = review(stored, "r2", now, later(now, days=1), rating=1)
    assert not store.record_review(again, second)
    assert store.get_review_card(user.id, "quiz:python-loops#0").last_review_id == "r1"
    assert len(store.list_review_logs(user.id)) == 1


def test_learners_due_are_found_across_learners_a_page_at_a_time(store, now):
    users = [new_user(store, email=f"l{i}@example.com") for i in range(3)]
    for i, user in enumerate(users):
        store.add_review_cards([card(user.id, "quiz:python-loops#0", later(now, hours=-i - 1))])
    not_yet = new_user(store, email="later@example.com")
    store.add_review_cards([card(not_yet.id, "quiz:python-loops#0", later(now, days=2))])
    first, cursor = store.list_due_learners(now, limit=2)
    assert len(first) == 2 and cursor
    rest, end = store.list_due_learners(now, limit=2, cursor=cursor)
    found = {user_id for user_id, _ in first + rest}
    assert found == {u.id for u in users} and end is None


def test_deleting_the_learner_deletes_cards_and_logs(store, now):
    user = new_user(store)
    store.add_review_cards([card(user.id, "quiz:python-loops#0", now)])
    stored = store.get_review_card(user.id, "quiz:python-loops#0")
    assert store.record_review(*review(stored, "r1", now, later(now, days=2)))
    store.delete_user(user.id)
    assert store.get_review_card(user.id, "quiz:python-loops#0") is None
    assert store.list_review_logs(user.id) == [] and store.next_due_card(user.id) is None
    assert user.id not in {u for u, _ in store.list_due_learners(later(now, days=5))[0]}
