"""The review service's clock moved by hand (the `reviews` fixture of tests/conftest.py stops it at
the test's start), for tests of what comes due when."""

from __future__ import annotations

from datetime import timedelta


def move_clock(reviews, **delta) -> None:
    moved = reviews.now() + timedelta(**delta)
    reviews.clock = lambda: moved
