"""The app's pages, enumerated from its routes: every GET route but static files, the health check
and the bearer-token API, with sample values for the parts of a path. A new page route is covered
by the tests that use this without editing them (one with a new path part asks for a sample)."""

from __future__ import annotations

import re

# Downloads, not pages (a browser saves them): tests/web/test_progress_pages.py checks each.
NOT_PAGES = {"static", "main.health", "progress.report", "progress.export"}
SAMPLES = {"lesson_id": ["python-variables", "python-binary-search"], "token": ["not-a-real-token"],
           "concept_id": ["variables"], "attempt_id": ["not-an-attempt"], "conversation_id": ["not-a-conversation"],
           "provider_name": ["not-a-provider"]}


def page_paths(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_PAGES or "GET" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        missing = [arg for arg in rule.arguments if arg not in SAMPLES]
        assert not missing, f"{rule.rule}: add sample values for {missing} to SAMPLES in {__file__}"
        combos: list[dict[str, str]] = [{}]
        for arg in sorted(rule.arguments):
            combos = [{**combo, arg: value} for combo in combos for value in SAMPLES[arg]]
        paths += [re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m, c=combo: c[m.group(1)], rule.rule) for combo in combos]
    return [*paths, "/no-such-page"]
