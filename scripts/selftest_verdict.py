"""Judge the grader self-test's answer for deploy.sh (services/grader/selftest.py writes it).

    python3 scripts/selftest_verdict.py ANSWER_FILE [INVOKE_METADATA_JSON]

ANSWER_FILE is the payload `aws lambda invoke` wrote; the metadata is what it printed (StatusCode,
FunctionError, ExecutedVersion). Each case goes to stderr as one line; on failure the reason goes
to stdout as one line and the exit status is 1. Standard library only: deploy.sh runs it with the
machine's python3, not the project's virtualenv.
"""

from __future__ import annotations

import json
import sys


def verdict(answer_text: str, metadata_text: str = "") -> tuple[list[str], str]:
    """(lines describing the run, reason it failed or "" when it passed)."""
    try:
        metadata = json.loads(metadata_text) if metadata_text.strip() else {}
    except ValueError:
        metadata = {}
    try:
        answer = json.loads(answer_text)
    except ValueError:
        return [], "the self-test answered something that is not JSON"
    if isinstance(metadata, dict) and metadata.get("FunctionError"):
        error = answer if isinstance(answer, dict) else {}
        what = f"{error.get('errorType', 'error')}: {error.get('errorMessage', '')}".strip(": ")
        return [], (f"the function failed on the self-test event ({what}); a version without the "
                    "self-test answers it as a web request and fails like this")
    needed = ("ok", "grader_available", "containment", "cases")
    if not isinstance(answer, dict) or any(key not in answer for key in needed):
        return [], "the self-test answer is not its summary (no ok / grader_available / containment / cases)"
    lines = []
    for case in answer["cases"]:
        line = (f"{case.get('name')}: {case.get('status')} ({case.get('duration_ms', 0):g} ms) - "
                f"{case.get('purpose', '')}")
        if case.get("detail"):
            line += f" [{case['detail']}]"
        lines.append(("ok      " if case.get("ok") else "FAILED  ") + line)
    limits = answer.get("limits") or {}
    if limits:
        lines.append(f"grader limits: {limits.get('cpu_seconds')} CPU s, {limits.get('wall_seconds')} s wall, "
                     f"{limits.get('memory_mb')} MB")
    if not answer["grader_available"]:
        correct = next((c for c in answer["cases"] if c.get("name") == "correct"), {})
        return lines, (f"the grader is unavailable on Lambda: a correct submission was answered "
                       f"{correct.get('status', '?')} ({correct.get('detail') or 'no detail'}), and every "
                       "learner's submission would be answered the same")
    if not answer["containment"]:
        failed = [f"{c.get('name')} {c.get('status')}: {c.get('detail') or 'no detail'}"
                  for c in answer["cases"] if not c.get("ok")]
        return lines, "containment is missing on Lambda: " + "; ".join(failed)
    if not answer["ok"]:
        return lines, "the self-test did not pass"
    return lines, ""


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        answer_text = handle.read()
    lines, reason = verdict(answer_text, argv[2] if len(argv) == 3 else "")
    for line in lines:
        print("    " + line, file=sys.stderr)
    if reason:
        print(reason)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
