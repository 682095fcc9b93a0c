"""The JSON API from the built zip, as Lambda runs it: a page request loads neither apispec nor
fastjsonschema, then the mobile client's whole journey (tests/mobile_client.py) through payload 2.0
events — which needs both, bundled — and the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

from scripts.package_harness import PackageProcess, lambda_environment
from services.lessons.library import LessonLibrary
from tests.lambda_.events import URL_HOST, http_event
from tests.mobile_client import MobileClient, journey

ROOT = Path(__file__).resolve().parents[2]


def test_the_api_from_the_package(task_root: Path, tmp_path: Path):
    environment = lambda_environment(tmp_path)
    library, _ = LessonLibrary.from_directory(str(ROOT / "content" / "lessons"))
    with PackageProcess(task_root, environment) as process:
        landing = process.handler(http_event("GET", "/", stage="$default", host=URL_HOST, cookies="", body=None,
                                             content_type=None))
        assert landing["statusCode"] == 200
        loaded = "sorted(m for m in ('apispec', 'fastjsonschema') if m in sys.modules)"
        assert process.evaluate(loaded) == []  # a cold start serving a page pays nothing for them

        client = MobileClient(process.handler)
        outbox = Path(environment["TMPDIR"]) / "codelearn-instance" / "outbox"  # the app's default on Lambda
        seen = journey(client, outbox, library)
        assert seen["solve"].status == 200 and seen["solve"].body["completed_now"] is True
        assert seen["quiz_marked"].status == 200 and seen["after_log_out"].status == 401
        document = client.call("GET", "/openapi.json", auth=False)
        assert document.status == 200 and document.body["openapi"].startswith("3.1")
        assert process.evaluate(loaded) == ["apispec", "fastjsonschema"]
        report = process.close()
    assert process.returncode == 0, process.stderr[-4000:]
    assert report.get("done") and report["outside"] == [], "modules loaded from outside the package"
