"""Bedrock prompt caching: where a Converse request's shared prefix is long enough, a `cachePoint`
block marks its end, so the next request with the same prefix reads it from the cache (a quarter of
the input price on Nova, a tenth on Claude) instead of paying for it again.

Two places can qualify: after the system blocks (the instructions, and for the chat the open
challenge, the same on every turn of a conversation), and after the earlier turns (the history window:
the next question of the same conversation starts with them). A cache point goes in only when the
prefix up to it holds the model's minimum (services/ai/models.py); below it Bedrock would ignore the
point, so it is not sent. The prefix is estimated at four characters per token over its text alone
(the tool definition is left out: Nova does not cache it), so a borderline prefix errs on "not sent".
"""

from __future__ import annotations

import math
from typing import Any

CACHE_POINT: dict[str, Any] = {"cachePoint": {"type": "default"}}
CHARS_PER_TOKEN = 4


def estimate_tokens(blocks: list[dict[str, Any]]) -> int:
    return math.ceil(sum(len(block.get("text", "")) for block in blocks) / CHARS_PER_TOKEN)


def add_cache_points(system: list[dict[str, Any]], messages: list[dict[str, Any]], min_tokens: int) -> int:
    """Add cache points in place (after the system blocks, at the end of the turn before the last
    message) where the prefix reaches `min_tokens`; returns how many were added. 0: no caching."""
    if min_tokens <= 0:
        return 0
    added = 0
    prefix = estimate_tokens(system)
    if prefix >= min_tokens:
        system.append(dict(CACHE_POINT))
        added += 1
    earlier = messages[:-1]
    prefix += sum(estimate_tokens(m["content"]) for m in earlier)
    if earlier and prefix >= min_tokens:
        earlier[-1]["content"].append(dict(CACHE_POINT))
        added += 1
    return added
