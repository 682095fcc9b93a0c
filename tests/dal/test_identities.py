"""Contract: identity-provider links (dal/identities.py) — one account per provider identity (also
when two accounts claim it at once), listed oldest first, unlinked only by their own account, gone
with the account — on every backend."""

from __future__ import annotations

import pytest

from dal.identities import IdentityLink, IdentityTaken
from tests.dal.helpers import assert_plain_values, later, new_user, run_together


def link(user_id, now, provider="google", subject="sub-1", seconds=0):
    return IdentityLink(user_id, provider, subject, "learner@example.com", later(now, seconds=seconds))


def test_a_linked_identity_is_found_by_provider_and_subject(store, now):
    user = new_user(store)
    store.add_identity(link(user.id, now))
    found = store.get_identity("google", "sub-1")
    assert found == link(user.id, now)
    assert_plain_values(found)
    assert store.get_identity("google", "sub-2") is None and store.get_identity("cognito", "sub-1") is None


def test_an_identity_belongs_to_one_account_and_linking_it_again_changes_nothing(store, now):
    user, other = new_user(store), new_user(store)
    store.add_identity(link(user.id, now))
    store.add_identity(link(user.id, now))  # the same account again: no error, still one link
    with pytest.raises(IdentityTaken):
        store.add_identity(link(other.id, now))
    assert store.get_identity("google", "sub-1").user_id == user.id
    assert [i.subject for i in store.list_identities(user.id)] == ["sub-1"]
    assert store.list_identities(other.id) == []


def test_two_accounts_claiming_one_identity_at_once_get_one_link(store, now):
    users = [new_user(store), new_user(store)]
    outcomes = run_together(lambda index: store.add_identity(link(users[index].id, now)))
    assert sum(isinstance(outcome, IdentityTaken) for outcome in outcomes) == 1, outcomes
    owner = store.get_identity("google", "sub-1").user_id
    assert owner in {u.id for u in users}
    assert sum(len(store.list_identities(u.id)) for u in users) == 1


def test_identities_are_listed_oldest_first(store, now):
    user = new_user(store)
    store.add_identity(link(user.id, now, "google", "g", seconds=5))
    store.add_identity(link(user.id, now, "cognito", "c", seconds=1))
    assert [(i.provider, i.subject) for i in store.list_identities(user.id)] == [("cognito", "c"), ("google", "g")]


def test_only_the_owner_unlinks_and_the_identity_is_free_again(store, now):
    user, other = new_user(store), new_user(store)
    store.add_identity(link(user.id, now))
    assert store.delete_identity(other.id, "google", "sub-1") is False
    assert store.get_identity("google", "sub-1").user_id == user.id
    assert store.delete_identity(user.id, "google", "sub-1") is True
    assert store.delete_identity(user.id, "google", "sub-1") is False
    assert store.get_identity("google", "sub-1") is None and store.list_identities(user.id) == []
    store.add_identity(link(other.id, now))
    assert store.get_identity("google", "sub-1").user_id == other.id


def test_identities_go_with_the_account_and_the_identity_can_sign_up_again(store, now):
    user = new_user(store)
    store.add_identity(link(user.id, now))
    assert any("sub-1" in str(rows) for rows in store.user_items(user.id).values())  # exported
    store.erase_user(user.id)
    assert store.get_identity("google", "sub-1") is None and store.list_identities(user.id) == []
    newcomer = new_user(store)
    store.add_identity(link(newcomer.id, now))
    assert store.get_identity("google", "sub-1").user_id == newcomer.id
