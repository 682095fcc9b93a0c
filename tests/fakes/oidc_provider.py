"""A fake OpenID Connect provider: a real HTTP server on a loopback port with a discovery document,
a JWKS, an authorize endpoint and a token endpoint, so Authlib's client runs for real against it
(discovery, PKCE, the code exchange with client authentication, the ID token's signature and claims).

Who signs in is `provider.person` (claims merged into the ID token). With `auto_approve` the authorize
endpoint redirects back at once (web tests); without it, it shows a page with a "Sign in" button
(the browser test). Faults for the next ID token (`fault`): "tampered" (a claim changed after signing),
"wrong_nonce", "foreign_key" (signed by a key not in the JWKS), "expired", "other_audience". A code works once (a
replay gets invalid_grant), only with its PKCE verifier, redirect URI and the client's secret.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "codelearn-test"
CLIENT_SECRET = "fake-client-secret-9f2c"  # noqa: S105 - the fake provider's test secret


class FakeOIDCProvider:
    def __init__(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.key = RSAKey.generate_key(2048, parameters={"kid": "fake-1", "use": "sig", "alg": "RS256"})
        self.person: dict[str, Any] = {"sub": "fake-sub-1", "email": "ada@example.com", "email_verified": True,
                                       "name": "Ada"}
        self.auto_approve = True
        self.fault: str | None = None
        self.codes: dict[str, dict[str, Any]] = {}
        self.token_requests: list[dict[str, str]] = []
        self.authorize_requests: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle -----------------------------------------------------------------------------
    def start(self) -> FakeOIDCProvider:
        fake = self

        class Handler(_Handler):
            owner = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         name="fake-oidc", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def issuer(self) -> str:
        assert self._server is not None, "start() the provider first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def settings(self, label: str = "Fake ID") -> dict[str, Any]:
        """The app's OIDC_PROVIDERS entry for this provider."""
        return {"issuer": self.issuer, "client_id": self.client_id, "client_secret": self.client_secret,
                "label": label}

    # --- the protocol --------------------------------------------------------------------------
    def discovery(self) -> dict[str, Any]:
        return {"issuer": self.issuer, "authorization_endpoint": self.issuer + "/authorize",
                "token_endpoint": self.issuer + "/token", "jwks_uri": self.issuer + "/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "scopes_supported": ["openid", "email", "profile"]}

    def issue_code(self, query: dict[str, str]) -> str:
        """The redirect back to the client, with a new code for this authorization request."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self.codes[code] = {"query": query, "person": dict(self.person), "used": False}
        back = {"code": code, "state": query.get("state", "")}
        return query["redirect_uri"] + "?" + urlencode(back)

    def exchange(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, Any]]:
        self.token_requests.append(form)
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if client_id != self.client_id or client_secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        with self._lock:
            grant = self.codes.get(form.get("code", ""))
            if grant is None or grant["used"]:
                return 400, {"error": "invalid_grant", "error_description": "code unknown or already used"}
            grant["used"] = True
        query = grant["query"]
        if form.get("redirect_uri") != query["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if query.get("code_challenge_method") != "S256" or challenge != query.get("code_challenge"):
            return 400, {"error": "invalid_grant", "error_description": "PKCE verifier does not match"}
        return 200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                     "id_token": self.id_token(query, grant["person"])}

    def id_token(self, query: dict[str, str], person: dict[str, Any]) -> str:
        now = int(time.time())
        fault, self.fault = self.fault, None
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                  "nonce": query.get("nonce", ""), **person}
        if fault == "wrong_nonce":
            claims["nonce"] = "not-the-nonce-sent"
        if fault == "other_audience":  # made for another client of the provider
            claims["aud"], claims["azp"] = "another-client", self.client_id
        if fault == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        key = RSAKey.generate_key(2048, parameters={"kid": "fake-1"}) if fault == "foreign_key" else self.key
        token = jwt.encode({"alg": "RS256", "kid": "fake-1"}, claims, key)
        if fault == "tampered":  # the payload changed after signing: another person's sub
            header, payload, signature = token.split(".")
            body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            body["sub"] = "someone-else"
            payload = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
            token = ".".join((header, payload, signature))
        return token


class _Handler(BaseHTTPRequestHandler):
    owner: FakeOIDCProvider

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def _send(self, status: int, body: str | dict, content_type: str = "application/json",
              headers: dict[str, str] | None = None) -> None:
        data = (json.dumps(body) if isinstance(body, dict) else body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        parts = urlsplit(self.path)
        if parts.path == "/.well-known/openid-configuration":
            return self._send(200, self.owner.discovery())
        if parts.path == "/jwks":
            return self._send(200, {"keys": [self.owner.key.as_dict(private=False)]})
        if parts.path == "/authorize":
            query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
            self.owner.authorize_requests.append(query)
            if query.get("client_id") != self.owner.client_id or "redirect_uri" not in query:
                return self._send(400, "<p>unknown client</p>", "text/html")
            if self.owner.auto_approve:
                return self._send(302, "", "text/plain", {"Location": self.owner.issue_code(query)})
            return self._send(200, _consent_page(query, self.owner.person), "text/html; charset=utf-8")
        return self._send(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if self.path == "/token":
            status, body = self.owner.exchange(form, self.headers.get("Authorization", ""))
            return self._send(status, body)
        if self.path == "/authorize":
            query = json.loads(form["request"])
            return self._send(302, "", "text/plain", {"Location": self.owner.issue_code(query)})
        return self._send(404, {"error": "not_found"})


def _consent_page(query: dict[str, str], person: dict[str, Any]) -> str:
    request = html.escape(json.dumps(query), quote=True)
    return (f"<!doctype html><html lang='en'><title>Fake ID</title><main><h1>Fake ID</h1>"
            f"<form method='post' action='/authorize'><input type='hidden' name='request' value=\"{request}\">"
            f"<button type='submit'>Sign in as {html.escape(str(person.get('email')))}</button></form></main></html>")
