"""Each backend stores exactly the User fields the interface lets `update_user` change."""

from __future__ import annotations

from dal.base import UPDATABLE_USER_FIELDS
from dal.dynamodb.store import _USER_ATTRIBUTES
from dal.sqlite.store import _USER_COLUMNS


def test_every_updatable_field_has_a_storage_mapping_in_each_backend():
    assert set(_USER_ATTRIBUTES) == UPDATABLE_USER_FIELDS
    assert set(_USER_COLUMNS) == UPDATABLE_USER_FIELDS
