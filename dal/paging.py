"""One page of a listing: its own module so each area's module (dal/chat.py, ...) can name it without
importing dal.base, which imports the areas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing; pass `next_cursor` back to get the next page (None: no more)."""

    items: list[T]
    next_cursor: str | None = None
