"""Outgoing mail behind one interface: an outbox folder locally, Amazon SES on AWS."""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from services.clock import Clock, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str


class Mailer(Protocol):
    def send(self, message: Message) -> None: ...


class OutboxMailer:
    """Writes each message as a JSON file and logs that it did (never the link: it is a secret)."""

    def __init__(self, folder: str | Path, clock: Clock = utcnow) -> None:
        self.folder = Path(folder)
        self._clock = clock

    def send(self, message: Message) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = self._clock().strftime("%Y%m%dT%H%M%S%f")  # sorts in sending order
        path = self.folder / f"{stamp}-{uuid.uuid4().hex[:8]}.json"
        record = {"to": message.to, "subject": message.subject, "text": message.text,
                  "sent_at": self._clock().isoformat()}
        # Written under another name, then renamed: a reader never sees a half-written message.
        partial = path.with_name(f".{path.name}.partial")
        partial.write_text(json.dumps(record, indent=2), encoding="utf-8")
        os.replace(partial, path)
        log.info("mail written to outbox", extra={"outbox_file": path.name, "subject": message.subject})

    def messages(self) -> list[dict[str, Any]]:
        """Newest last; used by tests and the local developer."""
        if not self.folder.exists():
            return []
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.folder.glob("*.json"))]


class SesMailer:
    def __init__(self, ses_client: Any, sender: str) -> None:
        self._ses = ses_client
        self._sender = sender

    def send(self, message: Message) -> None:
        self._ses.send_email(
            Source=self._sender,
            Destination={"ToAddresses": [message.to]},
            Message={
                "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": message.text, "Charset": "UTF-8"}},
            },
        )


_LINK = re.compile(r"https?://\S+")


def first_link(text: str) -> str | None:
    match = _LINK.search(text)
    return match.group(0) if match else None
