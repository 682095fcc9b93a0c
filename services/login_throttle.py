"""Failed-login throttling that an attacker elsewhere cannot turn into a lock-out of the owner.

Three budgets, each counted on the store's atomic counters *before* the password is checked, so a
burst of parallel attempts cannot slip more checks past a limit than it allows:

- per account and address pair: a few tries, then that pair waits out the window. This is the
  limit a learner who forgot their password meets; an attacker meets it on their own address only.
- per address: a wider budget over every account (one address spraying many accounts).
- per account, from anywhere: past the pair limit, the account accepts one try per growing delay
  (2, 4, 8 ... seconds, capped), and a higher ceiling stops it for the window. A password reset
  clears the account's counters: that is the owner's way out.

An attempt whose password turns out right gives its places back, so good logins never use up a budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from services.errors import RateLimited
from services.ratelimit import Decision, RateLimiter

PAIR = "pair"
ADDRESS = "address"
ACCOUNT = "account"

_WAY_OUT = "If you've forgotten it, reset your password: that works at once."
REFUSALS = {
    PAIR: "Too many wrong passwords for this account from your network. " + _WAY_OUT,
    ADDRESS: "Too many failed logins from your network, across accounts. Wait a little before trying again.",
    ACCOUNT: "This account has had many wrong passwords lately, perhaps not from you, so it accepts fewer "
             "tries for now. If you can't log in, reset your password: that works at once and clears this.",
}


class LoginThrottled(RateLimited):
    """A login refused before its password was checked; `reason` says which budget ran out."""

    def __init__(self, reason: str, retry_after: int) -> None:
        super().__init__(REFUSALS[reason], retry_after)
        self.reason = reason


@dataclass(frozen=True)
class ThrottleLimits:
    per_pair: int = 5
    per_address: int = 20
    per_account: int = 50
    window_minutes: int = 15
    max_delay_seconds: int = 60


@dataclass
class Admission:
    """The places one attempt holds; `succeeded` gives back what a good login should not spend."""

    limiter: RateLimiter
    taken: list[Decision]
    on_success: Callable[[], None]

    def succeeded(self) -> None:
        for decision in self.taken:
            self.limiter.refund(decision)
        self.on_success()


class LoginThrottle:
    def __init__(self, limiter: RateLimiter, limits: Callable[[], ThrottleLimits]) -> None:
        self._limiter = limiter
        self._limits = limits  # read on each attempt: settings can change while the app runs

    def delay(self, failures: int) -> int:
        """Seconds between tries on an account that has had `failures` recent wrong passwords."""
        limits = self._limits()
        past = failures - limits.per_pair
        return 0 if past <= 0 else min(2 ** min(past, 30), limits.max_delay_seconds)

    def admit(self, email: str, address: str) -> Admission:
        """Count this attempt on every budget, or raise LoginThrottled having counted nothing."""
        limits = self._limits()
        window = limits.window_minutes * 60
        taken: list[Decision] = []
        try:
            self._take(taken, ADDRESS, f"login:address:{address}", limits.per_address, window)
            self._take(taken, PAIR, f"login:pair:{email}|{address}", limits.per_pair, window)
            account = self._take(taken, ACCOUNT, f"login:account:{email}", limits.per_account, window)
            wait = self.delay(account.count - 1)  # the failures before this attempt
            if wait:
                taken.append(self._limiter.space(f"login:pace:{email}", wait))
                if not taken[-1].allowed:
                    raise LoginThrottled(ACCOUNT, wait)
        except LoginThrottled:
            for decision in taken:
                self._limiter.refund(decision)
            raise
        pair_key = f"login:pair:{email}|{address}"
        return Admission(self._limiter, [d for d in taken if not d.window_key.startswith("login:pair:")],
                         lambda: self._limiter.reset(pair_key, window))

    def _take(self, taken: list[Decision], reason: str, key: str, limit: int, window: int) -> Decision:
        decision = self._limiter.hit(key, limit, window)
        taken.append(decision)
        if not decision.allowed:
            raise LoginThrottled(reason, decision.retry_after)
        return decision

    def clear_account(self, email: str, address: str | None = None) -> None:
        """After a password reset: the account (and the address that reset it) start afresh."""
        window = self._limits().window_minutes * 60
        self._limiter.reset(f"login:account:{email}", window)
        if address:
            self._limiter.reset(f"login:pair:{email}|{address}", window)
