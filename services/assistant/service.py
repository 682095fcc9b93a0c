"""The code assistant: review, debug, explain, optimize and generate, through the AI layer.

Review is static first (services/assistant/analysis.py: pyflakes, AST checks, radon complexity); with
a model its review is merged in (lines checked to exist, duplicates of static findings dropped).
Beside an uncompleted challenge every text shown passes the answer gate (policy "assistant": the
learner's own lines may be quoted back); generated code is also checked against the uncompleted
curated challenges retrieval finds closest to the description, so it never solves one of them.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta
from typing import Any

from dal.assistant import AssistantRequest
from dal.base import Store, StoreError
from services.ai.errors import AIUnavailable, QuotaExceeded
from services.ai.gate_log import record_rejection
from services.ai.hint_check import check_generated, check_hint
from services.ai.lesson_index import LessonIndex
from services.ai.offline import OfflineProvider
from services.ai.service import NOTE_OFFLINE
from services.ai.tasks import TASKS
from services.assistant import analysis, complexity
from services.assistant.analysis import ACTIONABLE, CELEBRATORY, ESSENTIAL, INFORMATIVE, Finding
from services.clock import Clock, utcnow
from services.errors import InvalidInput, NotFoundError, RateLimited, Unavailable

log = logging.getLogger(__name__)

MODES = {"review": "review", "debug": "debug", "explain": "explain_code", "optimize": "optimize",
         "generate": "generate"}
MAX_DESCRIPTION_CHARS = 1_000
CLOSEST_LESSONS = 3
HISTORY_DAYS = 30
HISTORY_SHOWN = 10
_MODEL_SEVERITY = {"error": ESSENTIAL, "warning": ACTIONABLE, "info": INFORMATIVE}
NOTE_GATED = "Part of the answer came too close to your open challenge's solution, so it is not shown."
NOTE_REFUSED_GENERATE = ("That would solve the challenge of \u201c{title}\u201d, which you have not completed yet: "
                         "solve it there (the hints and the tutor can help), and ask for something else here.")


@dataclass(frozen=True)
class AssistantAnswer:
    mode: str
    source: str  # offline | bedrock | static | refused
    findings: tuple[Finding, ...] = ()
    complexity: tuple[analysis.Complexity, ...] = ()
    summary: str = ""
    line: int = 0  # debug: the likely line
    steps: tuple[str, ...] = ()
    lines: tuple[dict[str, Any], ...] = ()  # explain: per line
    code: str = ""  # generate
    before: str = ""  # optimize: the complexity now, after the suggestions, and what that costs, in words
    after: str = ""
    trade_off: str = ""
    citations: tuple[dict[str, str], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)
    request_id: str = ""  # where the history keeps it ("" when it could not be kept)


class AssistantService:
    def __init__(self, store: Store, ai: Any, index: LessonIndex, library: Any, grader: Any, *,
                 max_code_chars: int = 20_000, clock: Clock = utcnow) -> None:
        self._store = store
        self._ai = ai
        self._index = index
        self._library = library
        self._grader = grader
        self._offline = OfflineProvider(index)
        self.max_code_chars = max_code_chars
        self._clock = clock

    def ask(self, user_id: str, mode: str, code: Any = "", *, error: Any = "", description: Any = "",
            lesson_id: str = "") -> AssistantAnswer:
        answer = self._answer(user_id, mode, code, error=error, description=description, lesson_id=lesson_id)
        kept = self._keep(user_id, answer, code if isinstance(code, str) and mode != "generate" else str(description))
        return replace(answer, request_id=kept)

    # --- history: the last requests with their results, kept HISTORY_DAYS -------------------------
    def history(self, user_id: str) -> list[AssistantRequest]:
        return self._store.list_assistant_requests(user_id, self._clock(), limit=HISTORY_SHOWN)

    def forget(self, user_id: str, request_id: str = "") -> None:
        if not request_id:
            self._store.delete_assistant_history(user_id)
        elif not self._store.delete_assistant_request(user_id, request_id):
            raise NotFoundError("There is no such request in your history.")

    def _keep(self, user_id: str, answer: AssistantAnswer, asked: str) -> str:
        now = self._clock()
        result = {"summary": answer.summary[:600], "source": answer.source,
                  "findings": [f.to_dict() for f in answer.findings][:20], "line": answer.line,
                  "steps": list(answer.steps)[:6], "code": answer.code[:4000], "before": answer.before,
                  "after": answer.after, "trade_off": answer.trade_off,
                  "complexity": [asdict(c) for c in answer.complexity][:20]}
        request_id = f"{int(now.timestamp() * 1000):011x}{secrets.token_hex(4)}"
        try:
            self._store.add_assistant_request(AssistantRequest(user_id, request_id, answer.mode, now,
                                                               now + timedelta(days=HISTORY_DAYS),
                                                               code=asked[:4000], result=result))
        except StoreError as exc:  # the answer is shown even when the history cannot keep it
            log.warning("assistant request not kept: %s", exc)
            return ""
        return request_id

    def _answer(self, user_id: str, mode: str, code: Any = "", *, error: Any = "", description: Any = "",
                lesson_id: str = "") -> AssistantAnswer:
        if mode not in MODES:
            raise InvalidInput(f"Unknown assistant mode {str(mode)[:20]!r}: choose review, debug, explain, "
                               "optimize or generate.", {"mode": "Choose one of the modes."})
        lesson = self._open_lesson(user_id, lesson_id)
        if mode == "generate":
            return self._generate(user_id, _text(description, "description", MAX_DESCRIPTION_CHARS), lesson)
        code = _text(code, "code", self.max_code_chars)
        error = _text(error, "error", 3_000, required=False)
        if mode == "review":
            return self._review(user_id, code, lesson)
        payload: dict[str, Any] = {"code": code, "error": error}
        if mode == "optimize":
            estimate = complexity.estimate(code)
            payload["estimate"] = {"before": estimate.before, "after": estimate.after, "trade_off": estimate.trade_off}
        data, source, notes = self._run(user_id, MODES[mode], payload)
        if mode == "debug":
            answer = AssistantAnswer("debug", source, summary=str(data.get("diagnosis", "")),
                                     line=int(data.get("line") or 0), steps=tuple(data.get("steps") or ()),
                                     notes=notes)
            shown = "\n".join([answer.summary, *answer.steps])
        elif mode == "explain":
            answer = AssistantAnswer("explain", source, summary=str(data.get("summary", "")),
                                     lines=tuple(x for x in data.get("lines") or () if 0 < x["line"] <= _lines(code)),
                                     notes=notes)
            shown = "\n".join([answer.summary, *(x["text"] for x in answer.lines)])
        else:
            findings = tuple(Finding(int(s.get("line") or 0), _MODEL_SEVERITY.get(s.get("severity"), INFORMATIVE),
                                     str(s.get("message", "")), rule="optimize") for s in data.get("suggestions") or ())
            answer = AssistantAnswer("optimize", source, findings=findings, summary=str(data.get("summary", "")),
                                     complexity=analysis.review(code).complexity, notes=notes, **_growth(data))
            shown = "\n".join([answer.summary, *(f.message for f in findings), answer.before, answer.after,
                               answer.trade_off])
        if lesson is not None and source != "offline" and not self._allowed(shown, lesson, code):
            offline = self._offline.complete(TASKS[MODES[mode]], payload).data
            return AssistantAnswer(mode, "offline", summary=str(offline.get("diagnosis") or offline.get("summary", "")),
                                   steps=tuple(offline.get("steps") or ()), notes=(NOTE_GATED,),
                                   **(_growth(offline) if mode == "optimize" else {}))
        return answer

    # --- review ------------------------------------------------------------------------------------
    def _review(self, user_id: str, code: str, lesson: Any) -> AssistantAnswer:
        static = analysis.review(code)
        findings = list(static.findings)
        source, notes = "static", ()
        if getattr(self._ai, "uses_model", False) and not static.of(ESSENTIAL):
            # The model only where the static checks leave it something to say: with an essential
            # finding (syntax error, undefined name, bare except) the learner fixes that first.
            data, source, notes = self._run(user_id, "review", {"code": code})
            if source != "offline":
                findings = _merge(findings, data, static.lines)
        elif hasattr(self._ai, "quotas"):  # offline the review costs nothing, but the quota still holds
            try:
                self._ai.quotas.hit(user_id, "review")
            except QuotaExceeded as exc:
                raise RateLimited(str(exc), exc.retry_after) from None
        if lesson is not None:
            kept = [f for f in findings if f.severity == CELEBRATORY or self._allowed(
                f"{f.message}\n{f.suggestion}", lesson, code)]
            if len(kept) < len(findings):
                notes = (*notes, NOTE_GATED)
            findings = kept
        summary = (f"{len(static.of(ESSENTIAL))} essential, {len(static.of(ACTIONABLE))} actionable and "
                   f"{len(static.of(INFORMATIVE))} informative finding(s) from the static checks.")
        return AssistantAnswer("review", source, tuple(findings), static.complexity, summary, notes=notes)

    # --- generate ----------------------------------------------------------------------------------
    def _generate(self, user_id: str, description: str, lesson: Any) -> AssistantAnswer:
        data, source, notes = self._run(user_id, "generate", {"description": description})
        code = str(data.get("code", ""))
        for candidate in self._challenges_near(user_id, description, lesson):
            allowed, why = check_generated(code, candidate.solution, tests=candidate.tests, grader=self._grader,
                                           reference=candidate.reference)
            if not allowed:
                log.info("generated code refused for %s: %s", candidate.id, why)
                record_rejection(self._store, task="generate", lesson_id=candidate.id, reason=why, text=code)
                return AssistantAnswer("generate", "refused", summary=NOTE_REFUSED_GENERATE.format(
                    title=candidate.title), notes=notes)
        return AssistantAnswer("generate", source, code=code, summary=str(data.get("explanation", "")),
                               citations=tuple(data.get("citations") or ()), notes=notes)

    def _challenges_near(self, user_id: str, description: str, lesson: Any) -> list[Any]:
        found = [lesson] if lesson is not None else []
        for passage in self._index.search(description, k=8):
            candidate = self._library.get(passage.lesson_id)
            if candidate is None or candidate in found:
                continue
            progress = self._store.get_progress(user_id, candidate.id)
            if not (progress and progress.completed):
                found.append(candidate)
            if len(found) >= CLOSEST_LESSONS + (1 if lesson is not None else 0):
                break
        return found

    # --- shared ------------------------------------------------------------------------------------
    def _run(self, user_id: str, task: str, payload: dict[str, Any]) -> tuple[dict[str, Any], str, tuple[str, ...]]:
        try:
            result = self._ai.run(task, payload, user_id=user_id)
        except QuotaExceeded as exc:
            raise RateLimited(str(exc), exc.retry_after) from None
        except AIUnavailable as exc:
            raise Unavailable(str(exc)) from None
        note = "" if result.note == NOTE_OFFLINE else result.note
        return result.data, result.source, (note,) if note else ()

    def _allowed(self, text: str, lesson: Any, code: str) -> bool:
        allowed, why = check_hint(text, lesson.solution, tests=lesson.tests, learner_code=code, grader=self._grader,
                                  policy="assistant", reference=lesson.reference)
        if not allowed:
            log.info("assistant text refused by the answer gate: %s", why)
            record_rejection(self._store, task="assistant", lesson_id=lesson.id, reason=why, text=text,
                             learner_code=code)
        return allowed

    def _open_lesson(self, user_id: str, lesson_id: str) -> Any:
        if not lesson_id:
            return None
        lesson = self._library.get(lesson_id)
        if lesson is None:
            raise NotFoundError("There is no such lesson.")
        progress = self._store.get_progress(user_id, lesson.id)
        return None if progress and progress.completed else lesson


def _merge(static: list[Finding], data: dict[str, Any], lines: int) -> list[Finding]:
    """The model's issues beside the static findings: lines that exist, no second finding of a kind on
    a line the static checks already flagged, the model's strengths as celebratory."""
    taken = {(f.line, f.severity) for f in static}
    merged = list(static)
    for issue in data.get("issues") or ():
        line = int(issue.get("line") or 0)
        kind = _MODEL_SEVERITY.get(issue.get("severity"), INFORMATIVE)
        if not 0 <= line <= lines or (line, kind) in taken:
            continue
        taken.add((line, kind))
        merged.append(Finding(line, kind, str(issue.get("message", "")), rule="model"))
    merged += [Finding(0, CELEBRATORY, str(s), rule="model") for s in (data.get("strengths") or ())[:2]]
    return merged[: analysis.MAX_FINDINGS]


_GROWTH_LABELS = {"before": "Now: ", "after": "After: ", "trade_off": "Trade-off: "}


def _growth(data: dict[str, Any]) -> dict[str, str]:
    """The optimize answer's complexity in words (required by the task's schema, online and offline),
    each starting with its label so the page reads the same whoever wrote it."""
    found = {}
    for name, label in _GROWTH_LABELS.items():
        text = str(data.get(name) or "").strip()[:400]
        found[name] = text if not text or text.lower().startswith(label.lower().strip()) else label + text
    return found


def _text(value: Any, name: str, limit: int, *, required: bool = True) -> str:
    if not isinstance(value, str):
        raise InvalidInput(f"The {name} could not be read as text.", {name: "Not text."})
    value = value.replace("\r\n", "\n")
    if required and not value.strip():
        raise InvalidInput(f"Paste some {name} first.", {name: "Required."})
    if len(value) > limit:
        raise InvalidInput(f"The {name} can be at most {limit:,} characters.", {name: f"At most {limit:,}."})
    if "\ufffd" in value or _unencodable(value):
        raise InvalidInput(f"The {name} is not UTF-8 text; paste it again as plain text.", {name: "Not UTF-8."})
    return value


def _unencodable(value: str) -> bool:
    """Lone surrogates (a JSON body's "\\udce9") are text no parser, store or model can take."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _lines(code: str) -> int:
    return len(code.splitlines())
