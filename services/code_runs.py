"""The one limiter in front of every path that runs a learner's code (submit, AI hint, Run).

Each path has its own per-minute budget per learner, counted on the store's atomic counters so every
server process shares it. A learner may also have only a few runs going at once; that count lives in
this process, as do the grader slots it protects, so one learner cannot hold every slot of a process.
Both are checked before anything runs: a refusal is a RateLimited with Retry-After and changes nothing.
Adding a path means one line in REFUSALS and one budget where the limiter is built.
A learner who has not confirmed their email address yet may try the editor too, on tighter budgets
(`unverified_per_minute`): a throwaway account cannot run code at the full rate.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from services.errors import RateLimited
from services.ratelimit import RateLimiter

SUBMIT = "submit"
AI_HINT = "ai-hint"
RUN = "run"  # the Run button: the code runs without its tests

# path -> what a learner over that path's budget is told ({limit} and {retry_after} are filled in)
REFUSALS: dict[str, str] = {
    SUBMIT: "You've sent {limit} submissions in the last minute. Take a breath, read the last results again, "
            "and try in {retry_after} seconds.",
    AI_HINT: "You've asked for {limit} AI hints in the last minute. Read the last one again, and try in "
             "{retry_after} seconds.",
    RUN: "You've run your code {limit} times in the last minute. Look over what it printed, and run it again "
         "in {retry_after} seconds.",
}
IN_FLIGHT_REFUSAL = ("Your code is already running (perhaps in another tab). Wait for that result, then try "
                     "again in {retry_after} seconds.")
UNVERIFIED_NOTE = " Confirm your email address to get the full limit of {full} a minute."
WINDOW_SECONDS = 60


class CodeRunLimiter:
    """Admits one run of a learner's code on a named path, or raises RateLimited before it starts.

    `per_minute` maps each path to its budget, `unverified_per_minute` to the budget of learners who
    have not confirmed their address (default: the same); `run_seconds` is the longest a run can take (its wait
    for a grader plus its wall limit), which a learner refused for a run in progress is told to wait.
    """

    def __init__(
        self, limiter: RateLimiter, per_minute: Mapping[str, int], *, in_flight_per_learner: int,
        run_seconds: int, unverified_per_minute: Mapping[str, int] | None = None,
    ) -> None:
        for path, limit in per_minute.items():
            if path not in REFUSALS:
                raise ValueError(f"no refusal text for the path {path!r}: add it to REFUSALS")
            _check_positive(f"the budget of {path!r}", limit)
        unverified = {**per_minute, **(unverified_per_minute or {})}
        for path, limit in unverified.items():
            if path not in per_minute:
                raise ValueError(f"an unconfirmed learner's budget for {path!r}, which has no budget")
            _check_positive(f"the unconfirmed learner's budget of {path!r}", limit)
        _check_positive("in_flight_per_learner", in_flight_per_learner)
        self._limiter = limiter
        self._per_minute = dict(per_minute)
        self._unverified_per_minute = unverified
        self._in_flight_cap = in_flight_per_learner
        self._run_seconds = max(1, int(run_seconds))
        self._in_flight: dict[str, int] = {}
        self._lock = threading.Lock()

    def budget(self, path: str, *, verified: bool = True) -> int:
        try:
            return (self._per_minute if verified else self._unverified_per_minute)[path]
        except KeyError:
            raise ValueError(f"no budget for the path {path!r}") from None

    @contextmanager
    def admit(self, user_id: str, path: str, *, verified: bool = True) -> Iterator[None]:
        """Hold one of the learner's places while the body runs the code; refusals raise on entry."""
        limit = self.budget(path, verified=verified)
        self._take_place(user_id)  # first: a learner refused here has not spent any budget
        try:
            decision = self._limiter.hit(f"code-runs:{path}:{user_id}", limit, WINDOW_SECONDS)
            if not decision.allowed:
                message = REFUSALS[path].format(limit=limit, retry_after=decision.retry_after)
                if limit < self.budget(path):
                    message += UNVERIFIED_NOTE.format(full=self.budget(path))
                raise RateLimited(message, decision.retry_after)
            yield
        finally:
            self._give_back(user_id)

    def _take_place(self, user_id: str) -> None:
        with self._lock:
            running = self._in_flight.get(user_id, 0)
            if running >= self._in_flight_cap:
                raise RateLimited(IN_FLIGHT_REFUSAL.format(retry_after=self._run_seconds), self._run_seconds)
            self._in_flight[user_id] = running + 1

    def _give_back(self, user_id: str) -> None:
        with self._lock:
            left = self._in_flight.pop(user_id) - 1
            if left:
                self._in_flight[user_id] = left


def _check_positive(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}")
