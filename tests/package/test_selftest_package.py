"""The grader self-test as deploy.sh runs it on Lambda, here against the built zip in the package
harness: a clean interpreter with only the unpacked package and the standard library, Lambda's
environment (memory size and credentials included) and no network."""

from __future__ import annotations

import json
from pathlib import Path

from scripts.package_harness import FUNCTION_MEMORY_MB, PackageProcess, lambda_environment
from services.grader.limits import Limits, wall_seconds_for
from tests.lambda_.events import URL_HOST, http_event, rest_event

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYPACKAGESELFTEST"
SESSION_TOKEN = "IQoJb3JpZ2luX2VjEPACKAGESELFTESTSESSIONTOKEN"
SELFTEST = {"codelearn": "selftest"}


def test_the_package_answers_the_selftest_and_serves_http_lookalikes_as_pages(task_root: Path, tmp_path: Path):
    environment = lambda_environment(tmp_path, AWS_SECRET_ACCESS_KEY=SECRET, AWS_SESSION_TOKEN=SESSION_TOKEN,
                                     CODELEARN_SECRET_KEY="package-selftest-signing-key")
    with PackageProcess(task_root, environment) as process:
        answer = process.handler(dict(SELFTEST))
        lookalikes = [
            http_event("POST", "/", stage="$default", host=URL_HOST, cookies="", body=json.dumps(SELFTEST).encode(),
                       content_type="application/json"),
            rest_event("GET", "/", stage="$default", host=URL_HOST, cookies="", body=None, content_type=None,
                       query={"codelearn": "selftest"}),
        ]
        pages = [process.handler(event) for event in lookalikes]
        report = process.close()
    assert process.returncode == 0, process.stderr[-4000:]
    assert report["outside"] == [], "the self-test loaded modules from outside the package"

    assert answer["codelearn"] == "selftest"
    assert answer["ok"] and answer["grader_available"] and answer["containment"], answer
    assert [(c["name"], c["status"]) for c in answer["cases"]] == [
        ("correct", "pass"), ("read_secret", "pass"), ("fork", "pass")]
    assert {"AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "CODELEARN_SECRET_KEY"} <= set(
        answer["secrets_in_server_environment"])
    # The grader the function runs: its wall limit follows the function's memory.
    assert answer["limits"]["wall_seconds"] == wall_seconds_for(
        Limits().cpu_seconds, memory_mb=FUNCTION_MEMORY_MB, queue_seconds=10)
    text = json.dumps(answer)
    for secret in (SECRET, SESSION_TOKEN, "package-selftest-signing-key"):
        assert secret not in text

    assert [page["statusCode"] for page in pages] == [405, 200]
    assert all("containment" not in json.dumps(page) for page in pages)
