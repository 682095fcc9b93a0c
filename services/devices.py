"""A login session's device as people name it ("Chrome on Linux"), from its user-agent string.

The parsing is ua-parser's (the maintained uap-core rules, pinned in requirements.txt). It is
imported on first use, so only the sessions page pays for loading its rules (~60 ms, once per
process), not every cold start.
"""

from __future__ import annotations

import functools

UNKNOWN = "Unknown device"
_OTHER = "Other"


@functools.lru_cache(maxsize=1024)
def describe_device(user_agent: str) -> str:
    """"<browser> on <system>", the phone or tablet model when the string names one."""
    text = (user_agent or "").strip()
    if not text or not text.isprintable():
        return UNKNOWN
    from ua_parser import parse  # noqa: PLC0415 - on first use: see the module docstring

    found = parse(text[:512])
    browser = found.user_agent.family if found.user_agent and found.user_agent.family != _OTHER else None
    system = found.os.family if found.os and found.os.family != _OTHER else None
    device = found.device.family if found.device and found.device.family not in (_OTHER, "Spider") else None
    if browser is None:
        return UNKNOWN if system is None else f"A browser on {system}"
    if system is None:
        return browser
    label = f"{browser} on {system}"
    if device and device not in system and not device.startswith("Generic"):
        label += f" ({device})"
    return label
