"""A mobile-style client of /api/v1, through the Lambda handler with payload 2.0 events (as an HTTP API
or a Function URL delivers them): sign up, confirm, log in, solve a lesson, take its quiz, ask the
tutor, refresh the token, log out. JSON in, JSON out, `Authorization: Bearer`, no cookies.

    python -m tests.mobile_client        # the journey on a throwaway app, each step printed

tests/api/test_mobile_client.py runs the same journey and checks every step.
"""

from __future__ import annotations

import base64
import json
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.lambda_.events import URL_HOST, http_event

API = "/api/v1"
PASSWORD = "a phone's long passphrase"


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


@dataclass
class MobileClient:
    """What an app keeps: its two tokens. Each call is one Lambda invocation."""

    handler: Any
    access_token: str = ""
    refresh_token: str = ""
    user_agent: str = "CodeLearn/1.0 (iPhone; iOS 18.1)"
    log: list[str] = field(default_factory=list)

    def call(self, method: str, path: str, body: Any = None, *, auth: bool = True) -> Answer:
        data = json.dumps(body).encode() if body is not None else None
        event = http_event(method, API + path, stage="$default", host=URL_HOST, cookies="", body=data,
                           content_type="application/json" if data is not None else None)
        event["headers"].update({"accept": "application/json", "user-agent": self.user_agent})
        event["requestContext"]["http"]["userAgent"] = self.user_agent
        if auth and self.access_token:
            event["headers"]["authorization"] = f"Bearer {self.access_token}"
        response = self.handler(event, None)
        text = response.get("body") or ""
        if response.get("isBase64Encoded"):
            text = base64.b64decode(text).decode()
        answer = Answer(response["statusCode"], json.loads(text) if text else None,
                        {k.lower(): v for k, v in (response.get("headers") or {}).items()})
        if response.get("cookies"):
            raise AssertionError(f"{method} {path} set cookies on an API client: {response['cookies']}")
        self.log.append(f"{method} {path} -> {answer.status}")
        return answer

    def submit(self, lesson_id: str, code: str, tries: int = 5) -> Answer:
        """As the app does: a busy grader (nothing recorded) is asked again after a pause."""
        for _ in range(tries):
            answer = self.call("POST", f"/lessons/{lesson_id}/submit", {"code": code})
            if answer.status != 200 or not answer.body["busy"]:
                return answer
            time.sleep(1)
        return answer

    def keep(self, answer: Answer) -> Answer:
        if answer.status == 200:
            self.access_token, self.refresh_token = answer.body["access_token"], answer.body["refresh_token"]
        return answer

    # --- the app's screens ----------------------------------------------------------------------
    def sign_up(self, email: str) -> Answer:
        return self.call("POST", "/auth/register", {"email": email, "password": PASSWORD, "display_name": "Mo"},
                         auth=False)

    def confirm(self, token: str) -> Answer:
        return self.call("POST", "/auth/verify", {"token": token}, auth=False)

    def log_in(self, email: str) -> Answer:
        return self.keep(self.call("POST", "/auth/login", {"email": email, "password": PASSWORD}, auth=False))

    def refresh(self) -> Answer:
        return self.keep(self.call("POST", "/auth/refresh", {"refresh_token": self.refresh_token}, auth=False))

    def log_out(self) -> Answer:
        return self.call("POST", "/auth/logout")


def mailed_token(outbox: Path) -> str:
    """The token of the last mailed link (the app would get it through a deep link)."""
    newest = sorted(outbox.glob("*.json"))[-1]
    link = re.search(r"https?://\S+", json.loads(newest.read_text())["text"]).group(0)
    return link.rstrip("/").rsplit("/", 1)[1]


def right_answers(quiz: dict, lesson) -> list[int]:
    """The answers a learner who read the lesson gives: the library's answer to each served question."""
    by_text = {q.question: q.choices[q.answer] for q in lesson.quiz}
    answers = []
    for question in quiz["questions"]:
        right = by_text.get(question["question"])
        answers.append(question["choices"].index(right) if right in question["choices"] else 0)
    return answers


def journey(client: MobileClient, outbox: Path, library, email: str = "mo@example.com") -> dict[str, Any]:
    """Every step of a first session on the phone; returns what each step answered."""
    seen: dict[str, Any] = {}
    seen["sign_up"] = client.sign_up(email)
    seen["confirm"] = client.confirm(mailed_token(outbox))
    seen["log_in"] = client.log_in(email)
    seen["catalogue"] = client.call("GET", "/lessons")
    lesson_id = seen["catalogue"].body["next_lesson"]["id"]
    lesson = library.get(lesson_id)
    seen["lesson"] = client.call("GET", f"/lessons/{lesson_id}")
    seen["run"] = client.call("POST", f"/lessons/{lesson_id}/run", {"code": "print('hello')\n"})
    seen["wrong"] = client.submit(lesson_id, lesson.starter or "x = 0\n")
    seen["hint"] = client.call("POST", f"/lessons/{lesson_id}/hints")
    seen["solve"] = client.submit(lesson_id, lesson.solution)
    seen["quiz"] = client.call("POST", f"/tutor/quizzes/lesson/{lesson_id}")
    if seen["quiz"].status == 201:
        seen["quiz_marked"] = client.call("POST", f"/tutor/quizzes/{seen['quiz'].body['id']}/submit",
                                          {"answers": right_answers(seen["quiz"].body, lesson)})
    seen["chat"] = client.call("POST", "/chat/conversations",
                               {"lesson_id": lesson_id, "message": "What is a variable for?"})
    if seen["chat"].status == 201:
        conversation = seen["chat"].body["conversation"]["id"]
        seen["chat_follow_up"] = client.call("POST", f"/chat/conversations/{conversation}/messages",
                                             {"message": "Can a variable change its value later?"})
    old_access = client.access_token
    seen["refresh"] = client.refresh()
    seen["old_access_after_refresh"] = old_access
    seen["after_refresh"] = client.call("GET", "/account")
    seen["log_out"] = client.log_out()
    seen["after_log_out"] = client.call("GET", "/account")
    return seen


def main() -> None:
    import lambda_handler
    from app import create_app

    folder = Path(tempfile.mkdtemp(prefix="codelearn-mobile-"))
    app = create_app({"INSTANCE_PATH": str(folder), "SECRET_KEY": "mobile-client-demo", "LOG_LEVEL": "WARNING"})
    client = MobileClient(lambda_handler.build_handler(app))
    journey(client, folder / "outbox", app.extensions["codelearn.lesson_library"])
    print("\n".join(client.log))


if __name__ == "__main__":
    main()
