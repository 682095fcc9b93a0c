"""The outbox mailer: a message file is only ever seen whole."""

from __future__ import annotations

import json
import sys

from services.mail import Message, OutboxMailer


def test_a_reader_never_sees_a_message_file_before_it_is_whole(tmp_path):
    """Looks at the outbox at the instant of every write call made while sending (a reader running
    concurrently can land there): each message file visible then must already parse."""
    mailer = OutboxMailer(tmp_path / "outbox")
    looks: list[list[str]] = []

    def at_each_write(_frame, event, arg) -> None:
        if event == "c_call" and getattr(arg, "__name__", "") == "write" and mailer.folder.exists():
            unreadable = []
            for path in mailer.folder.glob("*.json"):
                try:
                    json.loads(path.read_text(encoding="utf-8"))
                except ValueError:
                    unreadable.append(path.name)
            looks.append(unreadable)

    sys.setprofile(at_each_write)
    try:
        for number in range(3):
            mailer.send(Message("ada@example.com", f"Message {number}", "x" * 10_000))
    finally:
        sys.setprofile(None)

    assert looks, "no write call was seen"
    assert all(not unreadable for unreadable in looks), looks
    assert [m["subject"] for m in mailer.messages()] == ["Message 0", "Message 1", "Message 2"]
    assert not [p.name for p in mailer.folder.iterdir() if not p.name.endswith(".json")]  # no leftovers
