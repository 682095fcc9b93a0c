"""The tutor chat: conversations grounded in the lesson library.

A question is answered through the AI layer's `chat` task with the best lesson passages (BM25 over
the library, the conversation's lesson first), the history window (the last turns, older ones kept as
a running summary) and, for a conversation started from a lesson page, the challenge, the learner's
current code and last results. Offline the answer quotes the passages, with links. Citations are
checked to exist; an answer citing nothing says so. Off-topic questions get a short refusal without a
model call. Beside an uncompleted challenge every answer passes the answer gate, the conversation's
last answers joined with it. An online answer has a deadline (`deadline_s`); past it the learner gets
the offline answer and a note.
"""

from __future__ import annotations

import logging
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dal.base import Page, Store
from dal.chat import ChatMessage, Conversation
from services.ai.errors import AIUnavailable, QuotaExceeded
from services.ai.gate_log import record_rejection
from services.ai.lesson_index import LessonIndex, Passage
from services.ai.offline import OfflineProvider
from services.ai.prompts import CHAT_HISTORY_TURNS
from services.ai.service import NOTE_OFFLINE
from services.ai.tasks import TASKS
from services.chat import guardrails
from services.clock import Clock, utcnow
from services.errors import NotFoundError, RateLimited, Unavailable

log = logging.getLogger(__name__)

PASSAGES = 3
PAGE_SIZE = 20
SUMMARY_CHARS = 600
NOTE_NO_CITATION = "This answer cites no lesson passage: check it against the lessons."
NOTE_DEADLINE = "The AI took longer than {seconds:g} seconds, so this is the offline answer from the lessons."
LEARNER, TUTOR = "learner", "tutor"


@dataclass(frozen=True)
class LessonContext:
    """What a conversation started from a lesson knows, read again at every question."""

    lesson: Any  # services.lessons.model.Lesson
    code: str
    results: str
    hints_shown: tuple[str, ...]
    completed: bool


@dataclass(frozen=True)
class ConversationView:
    conversation: Conversation
    messages: list[ChatMessage]  # oldest first
    older_cursor: str | None


class ChatService:
    def __init__(self, store: Store, ai: Any, index: LessonIndex, library: Any, grader: Any, *,
                 deadline_s: float = 20.0, clock: Clock = utcnow, workers: int = 4) -> None:
        self._store = store
        self._ai = ai
        self._index = index
        self._library = library
        self._grader = grader
        self._clock = clock
        self.deadline_s = deadline_s
        self._offline = OfflineProvider(index)
        self._last_stamp = 0
        self._stamp_lock = threading.Lock()
        # Model calls run here so the page can stop waiting at the deadline (the call finishes on its own).
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="chat-ai")

    # --- conversations ---------------------------------------------------------------------------
    def start(self, user_id: str, *, lesson_id: str = "", question: str = "") -> Conversation:
        lesson = self._library.get(lesson_id) if lesson_id else None
        if lesson_id and lesson is None:
            raise NotFoundError("There is no such lesson.")
        if question:
            question = guardrails.clean_message(question)
        now = self._clock()
        title = f"About {lesson.title}" if lesson else (question[:60] or "New conversation")
        conversation = Conversation(user_id, self._new_id(now), title, now, now, lesson_id=lesson.id if lesson else "")
        self._store.create_conversation(conversation)
        if question:
            self.ask(user_id, conversation.id, question)
        return conversation

    def list(self, user_id: str, cursor: str | None = None) -> Page[Conversation]:
        try:
            return self._store.list_conversations(user_id, limit=PAGE_SIZE, cursor=cursor)
        except ValueError:
            raise NotFoundError("That page of conversations does not exist.") from None

    def open(self, user_id: str, conversation_id: str, cursor: str | None = None) -> ConversationView:
        conversation = self._own(user_id, conversation_id)
        try:
            page = self._store.list_messages(user_id, conversation_id, limit=PAGE_SIZE, cursor=cursor)
        except ValueError:
            raise NotFoundError("That page of messages does not exist.") from None
        return ConversationView(conversation, list(reversed(page.items)), page.next_cursor)

    def rename(self, user_id: str, conversation_id: str, title: str) -> Conversation:
        title = guardrails.clean_title(title)
        if not self._store.update_conversation(user_id, conversation_id, title=title):
            raise NotFoundError("There is no such conversation.")
        return self._own(user_id, conversation_id)

    def delete(self, user_id: str, conversation_id: str) -> None:
        if not self._store.delete_conversation(user_id, conversation_id):
            raise NotFoundError("There is no such conversation.")

    def lesson_context(self, user_id: str, conversation: Conversation) -> LessonContext | None:
        lesson = self._library.get(conversation.lesson_id) if conversation.lesson_id else None
        if lesson is None:
            return None
        record = self._store.get_lesson_record(user_id, lesson.id)
        progress = record.progress
        code = record.draft.code if record.draft else lesson.starter
        shown = min(len(lesson.hints), progress.hints_used if progress else 0)
        results = _results_text(record.last_report.report) if record.last_report else ""
        return LessonContext(lesson, code, results, tuple(lesson.hints[:shown]), bool(progress and progress.completed))

    # --- questions -------------------------------------------------------------------------------
    def ask(self, user_id: str, conversation_id: str, text: Any) -> ChatMessage:
        """Store the learner's message and the tutor's answer; returns the answer."""
        question = guardrails.clean_message(text)
        conversation = self._own(user_id, conversation_id)
        asked = ChatMessage(user_id, conversation.id, self._new_id(self._clock()), LEARNER, question, self._clock())
        if not self._store.add_message(asked):
            raise NotFoundError("There is no such conversation.")
        recent = self._store.list_messages(user_id, conversation.id, limit=CHAT_HISTORY_TURNS + 2).items
        earlier = list(reversed(recent[1:]))  # oldest first, without the question itself
        window = earlier[-CHAT_HISTORY_TURNS:]
        context = self.lesson_context(user_id, conversation)
        open_lesson = context.lesson if context and not context.completed else None

        previous = next((m.text for m in reversed(window) if m.role == LEARNER), "")
        ranked = self._index.ranked(f"{question} {previous}" if len(question) < 80 else question, PASSAGES,
                                    conversation.lesson_id or None)
        passages = [self._index.passages[i] for _, i in ranked]
        coverage = self._index.coverage(question, ranked[0][1]) if ranked else 0.0
        if guardrails.off_topic(question, coverage, in_lesson=context is not None):
            return self._reply(asked, guardrails.REFUSAL, (), "refusal", ())

        payload = _payload(question, window, conversation.summary, passages, context)
        data, source, notes = self._answer(user_id, payload)
        answer = str(data.get("answer", ""))
        citations = self._citations(data, passages)
        if open_lesson is not None:
            answer, citations, source, notes = self._gated(answer, citations, source, notes, payload, open_lesson,
                                                           context.code if context else "", window)
        if not citations and source != "refusal":
            notes = (*notes, NOTE_NO_CITATION)
        self._keep_summary(conversation, data, source, recent)
        return self._reply(asked, answer, citations, source, notes)

    def _answer(self, user_id: str, payload: dict[str, Any]) -> tuple[dict[str, Any], str, tuple[str, ...]]:
        try:
            if not getattr(self._ai, "uses_model", False):
                result = self._ai.run("chat", payload, user_id=user_id)
            else:
                future = self._pool.submit(self._ai.run, "chat", payload, user_id=user_id)
                try:
                    result = future.result(timeout=self.deadline_s)
                except FutureTimeout:
                    log.warning("chat answer past its %.0f s deadline: offline answer", self.deadline_s)
                    offline = self._offline.complete(TASKS["chat"], payload)
                    return offline.data, "offline", (NOTE_DEADLINE.format(seconds=self.deadline_s),)
        except QuotaExceeded as exc:
            raise RateLimited(str(exc), exc.retry_after) from None
        except AIUnavailable as exc:
            raise Unavailable(str(exc)) from None
        note = "" if result.note == NOTE_OFFLINE else result.note  # the page labels offline answers itself
        return result.data, result.source, (note,) if note else ()

    def _gated(self, answer: str, citations: tuple[dict[str, str], ...], source: str, notes: tuple[str, ...],
               payload: dict[str, Any], lesson: Any, code: str, window: list[ChatMessage],
               ) -> tuple[str, tuple[dict[str, str], ...], str, tuple[str, ...]]:
        earlier = [m.text for m in window if m.role == TUTOR]
        allowed, why = guardrails.gate(answer, lesson, learner_code=code, grader=self._grader, earlier_answers=earlier)
        if allowed:
            return answer, citations, source, notes
        log.info("chat answer refused by the answer gate: %s", why)
        record_rejection(self._store, task="chat", lesson_id=lesson.id, reason=why, text=answer, learner_code=code)
        fallback = self._offline.complete(TASKS["chat"], {**payload, "challenge_open": True}).data
        text = f"{guardrails.GATED}\n\n{fallback['answer']}"
        allowed, why = guardrails.gate(text, lesson, learner_code=code, grader=self._grader, earlier_answers=earlier)
        if not allowed:  # even the lesson's own words would give it away: links only
            text = guardrails.GATED
        return text[:2400], tuple(self._citations(fallback, [])), "gate", ()

    def _citations(self, data: dict[str, Any], passages: list[Passage]) -> tuple[dict[str, str], ...]:
        by_id = {f"P{i + 1}": p for i, p in enumerate(passages)}
        found = [by_id[c].citation() for c in data.get("cited") or () if c in by_id]
        found += [c for c in (_citation(x) for x in data.get("citations") or ()) if c and self._exists(c)]
        unique = {(c["lesson_id"], c.get("section", "")): c for c in found}
        return tuple(unique.values())[:5]

    def _exists(self, citation: dict[str, str]) -> bool:
        lesson = self._index.get(citation["lesson_id"])
        if lesson is None:
            return False
        citation["title"] = lesson.get("title", citation["title"])
        return not citation["section"] or any(
            p.lesson_id == citation["lesson_id"] and p.section == citation["section"] for p in self._index.passages)

    def _keep_summary(self, conversation: Conversation, data: dict[str, Any], source: str,
                      recent: list[ChatMessage]) -> None:
        """The model's own running summary when it gave one; offline, the learner's questions that left
        the history window, newest kept."""
        summary = str(data.get("summary") or "").strip() if source == "bedrock" else ""
        if not summary and len(recent) > CHAT_HISTORY_TURNS + 1:
            leaving = recent[-1]
            if leaving.role != LEARNER:
                return
            summary = f"{conversation.summary} Earlier the learner asked: {leaving.text}".strip()
        if summary:
            self._store.update_conversation(conversation.user_id, conversation.id,
                                            summary=summary[-SUMMARY_CHARS:])

    def _reply(self, asked: ChatMessage, text: str, citations: Any, source: str, notes: Any) -> ChatMessage:
        at = max(self._clock(), asked.created_at + timedelta(milliseconds=1))
        reply = ChatMessage(asked.user_id, asked.conversation_id, self._new_id(at), TUTOR, text, at,
                            citations=[dict(c) for c in citations], source=source,
                            notes=[n for n in notes if n])
        if not self._store.add_message(reply):  # deleted while it was being answered
            raise NotFoundError("There is no such conversation.")
        return reply

    def _own(self, user_id: str, conversation_id: str) -> Conversation:
        conversation = self._store.get_conversation(user_id, conversation_id) if conversation_id else None
        if conversation is None:
            raise NotFoundError("There is no such conversation.")
        return conversation

    def _new_id(self, at: datetime) -> str:
        """Ids sort by time (hex milliseconds, fixed width), then a random tail; within a process each
        id is later than the one before, so a question and its answer never swap places."""
        with self._stamp_lock:
            self._last_stamp = max(int(at.timestamp() * 1000), self._last_stamp + 1)
            stamp = self._last_stamp
        return f"{stamp:011x}{secrets.token_hex(4)}"

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _payload(question: str, window: list[ChatMessage], summary: str, passages: list[Passage],
             context: LessonContext | None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "question": question, "summary": summary,
        "history": [{"role": m.role, "text": m.text} for m in window],
        "passages": [{**p.citation(), "id": f"P{i + 1}", "text": p.text[:1200]} for i, p in enumerate(passages)],
    }
    if context is not None:
        payload.update(lesson_id=context.lesson.id, code=context.code, challenge_open=not context.completed,
                       challenge=context.lesson.challenge if not context.completed else "")
        shown = "\n".join(f"- {hint}" for hint in context.hints_shown)
        payload["results"] = context.results + (f"\nHints already shown:\n{shown}" if shown else "")
    return payload


def _results_text(report: dict[str, Any]) -> str:
    tests = report.get("tests") or []
    failing = [t for t in tests if t.get("status") != "pass"]
    lines = [f"Status: {report.get('status', '?')}, {len(tests) - len(failing)} of {len(tests)} tests passed."]
    lines += [f"- {t.get('name', '?')}: {str(t.get('message', ''))[:200]}" for t in failing[:3] if not t.get("hidden")]
    if report.get("message"):
        lines.append(str(report["message"])[:300])
    return "\n".join(lines)


def _citation(data: Any) -> dict[str, str] | None:
    if not isinstance(data, dict) or not isinstance(data.get("lesson_id"), str):
        return None
    return {"lesson_id": data["lesson_id"], "title": str(data.get("title") or ""),
            "section": str(data.get("section") or "")}


__all__ = ["ChatService", "ConversationView", "LessonContext"]
