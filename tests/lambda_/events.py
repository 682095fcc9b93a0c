"""Hand-built API Gateway / Function URL events and a tiny cookie-keeping 'browser' over them."""

from __future__ import annotations

import base64
import re
import uuid
from http.cookies import SimpleCookie
from urllib.parse import urlencode

REST_HOST = "abc123.execute-api.us-east-1.amazonaws.com"
URL_HOST = "xyz789.lambda-url.us-east-1.on.aws"


def rest_event(method: str, path: str, *, stage: str, host: str, cookies: str, body: bytes | None,
               content_type: str | None, query: dict | None = None) -> dict:
    headers = {"Host": [host], "X-Forwarded-Proto": ["https"], "X-Forwarded-Port": ["443"],
               "User-Agent": ["lambda-test"], "Accept": ["text/html"]}
    if cookies:
        headers["Cookie"] = [cookies]
    if content_type:
        headers["Content-Type"] = [content_type]
    return {
        "resource": "/{proxy+}", "path": path, "httpMethod": method,
        "headers": {k: v[-1] for k, v in headers.items()}, "multiValueHeaders": headers,
        "queryStringParameters": {k: v for k, v in (query or {}).items()} or None,
        "multiValueQueryStringParameters": {k: [v] for k, v in (query or {}).items()} or None,
        "pathParameters": {"proxy": path.lstrip("/")}, "stageVariables": None,
        "requestContext": {"stage": stage, "requestId": uuid.uuid4().hex, "path": f"/{stage}{path}",
                           "httpMethod": method, "identity": {"sourceIp": "198.51.100.7"}},
        "body": base64.b64encode(body).decode() if body is not None else None,
        "isBase64Encoded": body is not None,
    }


def http_event(method: str, path: str, *, stage: str, host: str, cookies: str, body: bytes | None,
               content_type: str | None, query: dict | None = None) -> dict:
    headers = {"host": host, "x-forwarded-proto": "https", "x-forwarded-port": "443",
               "user-agent": "lambda-test", "accept": "text/html"}
    if content_type:
        headers["content-type"] = content_type
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    event = {
        "version": "2.0", "routeKey": "$default", "rawPath": raw_path,
        "rawQueryString": urlencode(query or {}), "headers": headers,
        "requestContext": {"stage": stage, "requestId": uuid.uuid4().hex, "domainName": host,
                           "http": {"method": method, "path": raw_path, "protocol": "HTTP/1.1",
                                    "sourceIp": "198.51.100.7", "userAgent": "lambda-test"}},
        "isBase64Encoded": body is not None,
        "body": base64.b64encode(body).decode() if body is not None else None,
    }
    if cookies:
        event["cookies"] = [c.strip() for c in cookies.split(";")]
    return event


class LambdaBrowser:
    """Sends one event per request to `handler`, carrying cookies back like a browser."""

    def __init__(self, handler, version: str, stage: str = "prod", host: str | None = None) -> None:
        self.handler = handler
        self.version = version
        self.stage = stage
        self.host = host or (REST_HOST if version == "1.0" else URL_HOST)
        self.jar: dict[str, str] = {}
        self.last_set_cookies: list[str] = []

    def request(self, method: str, path: str, form: dict | None = None, query: dict | None = None) -> dict:
        body = urlencode(form).encode() if form is not None else None
        build = rest_event if self.version == "1.0" else http_event
        event = build(method, path, stage=self.stage, host=self.host,
                      cookies="; ".join(f"{k}={v}" for k, v in self.jar.items()), body=body,
                      content_type="application/x-www-form-urlencoded" if form is not None else None,
                      query=query)
        response = self.handler(event, None)
        self.last_set_cookies = self._set_cookies(response)
        for header in self.last_set_cookies:
            parsed = SimpleCookie()
            parsed.load(header)
            for name, morsel in parsed.items():
                if morsel["expires"] and "1970" in morsel["expires"] or morsel.value == "":
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = morsel.value
        return response

    def _set_cookies(self, response: dict) -> list[str]:
        if self.version == "2.0":
            return list(response.get("cookies") or [])
        return list((response.get("multiValueHeaders") or {}).get("Set-Cookie", []))

    @staticmethod
    def text(response: dict) -> str:
        body = response.get("body") or ""
        return base64.b64decode(body).decode() if response.get("isBase64Encoded") else body

    @staticmethod
    def header(response: dict, name: str) -> str | None:
        for key, value in (response.get("headers") or {}).items():
            if key.lower() == name.lower():
                return value
        for key, values in (response.get("multiValueHeaders") or {}).items():
            if key.lower() == name.lower():
                return values[-1]
        return None

    def csrf(self, path: str) -> str:
        page = self.text(self.request("GET", path))
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
