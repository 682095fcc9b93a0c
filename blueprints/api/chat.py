"""The tutor chat for API clients: conversations (listed newest first, a page at a time), started
from nothing or from a lesson, opened, renamed, deleted; their messages a page at a time; asking a
question gets the tutor's answer with its citations, where it came from (offline / bedrock /
refusal / gate) and its notes. The same ChatService calls as blueprints/chat.py.

Listings take the page's cursor as a query argument (`?after=` for conversations, `?before=` for
older messages) and answer `next_cursor` (null: no more).
"""

from __future__ import annotations

from typing import Any

from flask import request

from blueprints.api.framework import endpoint, learner
from blueprints.api.schemas import INTEGER, OPTIONAL_STRING, STRING, TIME, array, obj, text
from blueprints.deps import service_or_404
from dal.chat import ChatMessage, Conversation
from services.chat.guardrails import MAX_MESSAGE_CHARS, MAX_TITLE_CHARS
from services.chat.service import ChatService

CURSOR_CHARS = 200
AI_ERRORS = (429, 503)  # the AI layer's quota; the model down with no fallback

CONVERSATION = obj({"id": STRING, "title": STRING, "lesson_id": OPTIONAL_STRING, "created_at": TIME,
                    "updated_at": TIME, "message_count": INTEGER}, closed=False)
CITATION = obj({"lesson_id": STRING, "title": STRING, "section": STRING}, closed=False)
MESSAGE = obj({"id": STRING, "role": {"enum": ["learner", "tutor"]}, "text": STRING, "created_at": TIME,
               "citations": array(CITATION), "source": STRING, "notes": array(STRING)}, closed=False)
MESSAGES = obj({"messages": array(MESSAGE, description="Oldest first."), "next_cursor": OPTIONAL_STRING},
               closed=False)
OPENED = obj({"conversation": CONVERSATION, "messages": array(MESSAGE, description="The newest page, oldest first."),
              "next_cursor": OPTIONAL_STRING}, closed=False)
MESSAGE_TEXT = text(MAX_MESSAGE_CHARS, description="The question (plain text or Markdown).")
START = obj({"lesson_id": text(200, description="Start from this lesson: the tutor sees its challenge, the "
                                                "learner's code and last results."),
             "message": MESSAGE_TEXT}, required=())


def chat() -> ChatService:
    return service_or_404("chat")  # the chat needs the AI layer; without it there is none


def _cursor(name: str) -> str | None:
    return request.args.get(name, "")[:CURSOR_CHARS] or None


def conversation_json(c: Conversation) -> dict[str, Any]:
    return {"id": c.id, "title": c.title, "lesson_id": c.lesson_id or None, "created_at": c.created_at.isoformat(),
            "updated_at": c.updated_at.isoformat(), "message_count": c.message_count}


def message_json(m: ChatMessage) -> dict[str, Any]:
    return {"id": m.id, "role": m.role, "text": m.text, "created_at": m.created_at.isoformat(),
            "citations": [dict(c) for c in m.citations], "source": m.source, "notes": list(m.notes)}


def _opened(user_id: str, conversation_id: str, cursor: str | None) -> dict[str, Any]:
    view = chat().open(user_id, conversation_id, cursor)
    return {"conversation": conversation_json(view.conversation), "messages": [message_json(m) for m in view.messages],
            "next_cursor": view.older_cursor}


@endpoint("chat", "/chat/conversations", "GET", summary="The learner's conversations, newest first",
          response=obj({"conversations": array(CONVERSATION), "next_cursor": OPTIONAL_STRING}, closed=False),
          errors=(404,))
def conversations():
    """A page at a time: pass `next_cursor` back as `?after=`; a cursor that is not ours is a 404."""
    page = chat().list(learner().id, _cursor("after"))
    return {"conversations": [conversation_json(c) for c in page.items], "next_cursor": page.next_cursor}


@endpoint("chat", "/chat/conversations", "POST", summary="Start a conversation, optionally from a lesson",
          request=START, response=OPENED, status=201, errors=(404, *AI_ERRORS),
          example={"lesson_id": "python-loops", "message": "How does a for loop know when to stop?"})
def start(body: dict[str, Any]):
    """With `message`, the first question is asked at once and its answer is in `messages`."""
    user_id = learner().id
    conversation = chat().start(user_id, lesson_id=body.get("lesson_id", "").strip(),
                                question=body.get("message", ""))
    return _opened(user_id, conversation.id, None)


@endpoint("chat", "/chat/conversations/<conversation_id>", "GET", summary="A conversation and its newest messages",
          response=OPENED)
def conversation(conversation_id: str):
    return _opened(learner().id, conversation_id, None)


@endpoint("chat", "/chat/conversations/<conversation_id>", "PATCH", summary="Rename a conversation",
          request=obj({"title": text(MAX_TITLE_CHARS, min_length=1)}), response=CONVERSATION,
          example={"title": "Loops, again"})
def rename(conversation_id: str, body: dict[str, Any]):
    return conversation_json(chat().rename(learner().id, conversation_id, body["title"]))


@endpoint("chat", "/chat/conversations/<conversation_id>", "DELETE", summary="Delete a conversation and its messages",
          response=None)
def delete(conversation_id: str):
    chat().delete(learner().id, conversation_id)


@endpoint("chat", "/chat/conversations/<conversation_id>/messages", "GET", summary="A page of messages, oldest first",
          response=MESSAGES)
def messages(conversation_id: str):
    """The newest page first; pass `next_cursor` back as `?before=` for older ones."""
    view = chat().open(learner().id, conversation_id, _cursor("before"))
    return {"messages": [message_json(m) for m in view.messages], "next_cursor": view.older_cursor}


@endpoint("chat", "/chat/conversations/<conversation_id>/messages", "POST", summary="Ask the tutor a question",
          request=obj({"message": MESSAGE_TEXT}), response=MESSAGE, status=201, errors=AI_ERRORS,
          example={"message": "Why does range(3) stop at 2?"})
def ask(conversation_id: str, body: dict[str, Any]):
    """The tutor's answer: grounded in the lessons (`citations`, each checked to exist), `source` says
    where it came from (offline, bedrock, refusal for off-topic questions, gate when it came too close
    to an open challenge's answer), `notes` what the learner should know about it. An empty or
    too long message is a 422 and nothing is stored."""
    return message_json(chat().ask(learner().id, conversation_id, body["message"]))
