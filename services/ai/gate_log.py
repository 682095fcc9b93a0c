"""What the answer gate refused: a count by kind in the usage ledger (the cost page) and, for the admin
gate page, the refusal itself, kept 30 days.

Kept: the task, the lesson, the kind and reason, when, and the refused AI text (clipped). Not kept: who
the learner was, or their code; a line of the text that is one of the learner's own lines is masked
before it is stored. Admins see the text because it is the model's output, not the learner's, and
judging whether the gate was right (or too strict) needs it; learners never see this page.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from dal.admin import GateRejection
from dal.base import Store, StoreError
from services.ai.cost_report import record_gate_rejection
from services.ai.hint_check import rejection_kind
from services.clock import Clock, utcnow

log = logging.getLogger(__name__)

KEEP_DAYS = 30
MAX_TEXT_CHARS = 1_500
MAX_REASON_CHARS = 300
LEARNER_LINE = "[a line of the learner's own code]"


def masked(text: str, learner_code: str) -> str:
    """`text` with every line that repeats a line of the learner's code (spacing ignored) masked."""
    own = {" ".join(line.split()) for line in (learner_code or "").splitlines() if len(line.strip()) > 3}
    if not own:
        return text
    return "\n".join(LEARNER_LINE if " ".join(line.split()) in own else line for line in text.splitlines())


def record_rejection(store: Store, *, task: str, lesson_id: str, reason: str, text: object,
                     learner_code: str = "", clock: Clock = utcnow) -> None:
    """One refused answer; never raises for a store that cannot take it (the learner's page goes on)."""
    kind = rejection_kind(reason)
    now = clock()
    shown = text if isinstance(text, str) else ""
    try:
        record_gate_rejection(store, kind, clock=clock)
        store.add_gate_rejection(GateRejection(now, now + timedelta(days=KEEP_DAYS), task, lesson_id, kind,
                                               reason[:MAX_REASON_CHARS],
                                               masked(shown, learner_code)[:MAX_TEXT_CHARS]))
    except StoreError as exc:
        log.warning("answer gate refusal not recorded: %s", exc)


def recent_rejections(store: Store, *, limit: int = 50, clock: Clock = utcnow) -> list[GateRejection]:
    return store.list_gate_rejections(clock(), limit=limit)
