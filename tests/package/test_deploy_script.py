"""deploy.sh: shellcheck clean, a dry run that shows the whole plan and calls nothing, and a deploy
played through a stand-in `aws` (tests/package/fake_aws.py) to show it is idempotent and that its
grader self-test passes on the built package and fails the deploy when the grader is missing or
contains nothing."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.build_package import PROJECT_ROOT
from services.grader.selftest import run_selftest
from tests.lambda_.stand_in_graders import UnavailableGrader, UncontainedGrader

DEPLOY = PROJECT_ROOT / "deploy.sh"
FAKE_AWS = Path(__file__).with_name("fake_aws.py")
PLAN = (
    "check tools and AWS identity",
    "build the package",
    "validate the template",
    "ensure the artifact bucket",
    "upload the zip",
    "created by the stack when missing",
    "deploy the stack",
    "update function code",
    "publish version and point the live alias at it",
    "smoke test the live URL",
)
FIRST_DEPLOY = {"ALERT_EMAIL": "ops@example.com", "MAIL_FROM_ADDRESS": "no-reply@example.com"}
FAKE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYDEPLOYTESTKEY"
SELFTEST_INVOKE = ("lambda invoke --function-name codelearn --qualifier live --cli-binary-format raw-in-base64-out "
                   '--cli-read-timeout 60 --payload {"codelearn":"selftest"}')


def _script(path: Path, body: str) -> None:
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(0o755)


def _tools(tmp_path: Path, *, fake_aws: bool) -> Path:
    """A bin folder that shadows aws, curl and make: a stand-in AWS, or tripwires for a dry run."""
    folder = tmp_path / "bin"
    folder.mkdir()
    called = tmp_path / "called"
    if fake_aws:
        _script(folder / "aws", f'exec "{sys.executable}" "{FAKE_AWS}" "$@"')
        _script(folder / "curl", "printf 200")
    else:
        for tool in ("aws", "curl"):
            _script(folder / tool, f'echo "{tool} $*" >> "{called}"; exit 97')
    _script(folder / "make", f'echo "make $*" >> "{tmp_path / "make.log"}"')  # the fixture built the zip
    _script(folder / "python3", f'exec "{sys.executable}" "$@"')
    return folder


def _deploy(tmp_path: Path, *args: str, fake_aws: bool, package: Path | None = None,
            **settings: str) -> subprocess.CompletedProcess:
    """Run deploy.sh; with `package`, the fake `aws lambda invoke` runs that unpacked zip."""
    tools = tmp_path / "bin"
    if not tools.exists():
        _tools(tmp_path, fake_aws=fake_aws)
    environment = {"PATH": f"{tools}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8",
                   "TMPDIR": str(tmp_path), "FAKE_AWS_STATE": str(tmp_path / "aws-state.json"), **settings}
    if package is not None:
        environment["FAKE_AWS_PACKAGE"] = str(package)
        environment["FAKE_AWS_LAMBDA_ENV"] = json.dumps({"AWS_SECRET_ACCESS_KEY": FAKE_SECRET})
    return subprocess.run(["bash", str(DEPLOY), *args], env=environment, capture_output=True, text=True,
                          timeout=300)


def _changes(tmp_path: Path) -> list[str]:
    return json.loads((tmp_path / "aws-state.json").read_text())["changes"]


def test_shellcheck_clean():
    shellcheck = Path(sys.executable).with_name("shellcheck")
    result = subprocess.run([str(shellcheck), str(DEPLOY)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
    text = DEPLOY.read_text(encoding="utf-8")
    assert "set -euo pipefail" in text
    assert os.access(DEPLOY, os.X_OK)


def test_dry_run_prints_the_whole_plan_and_calls_nothing(package_zip, tmp_path):
    result = _deploy(tmp_path, "--dry-run", fake_aws=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not (tmp_path / "called").exists(), (tmp_path / "called").read_text()
    assert not (tmp_path / "make.log").exists(), "a dry run builds nothing"
    positions = [output.find(step) for step in PLAN]
    assert all(p >= 0 for p in positions), [s for s, p in zip(PLAN, positions, strict=True) if p < 0]
    assert positions == sorted(positions), "steps out of order"
    for command in ("aws --region us-east-1 sts get-caller-identity", "make package LAMBDA_RUNTIME=python3.11",
                    "cloudformation validate-template", "s3 cp dist/codelearn-lambda.zip",
                    "cloudformation deploy --stack-name codelearn", "--no-fail-on-empty-changeset",
                    "CAPABILITY_IAM", "CreateTable=true", "lambda update-function-code",
                    "lambda publish-version", "--code-sha256", "curl",
                    "lambda invoke --function-name codelearn --qualifier live", "selftest"):
        assert command in output, command
    assert output.find("lambda invoke") > output.find("curl"), "the self-test runs after the landing page"
    assert f"codelearn/{hashlib.sha256(package_zip.read_bytes()).hexdigest()}.zip" in output


def test_dry_run_of_a_rollback_moves_only_the_alias(tmp_path):
    result = _deploy(tmp_path, "--rollback", "7", "--dry-run", fake_aws=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not (tmp_path / "called").exists()
    assert "--use-previous-template" in output and "ParameterValue=7" in output
    assert "UsePreviousValue=true" in output


def test_bad_arguments_are_refused(tmp_path):
    for args in (("--rollback", "latest"), ("--frobnicate",)):
        result = _deploy(tmp_path, *args, fake_aws=False)
        assert result.returncode == 2 and "usage" in result.stderr
    assert not (tmp_path / "called").exists()


def test_first_deploy_needs_the_alert_and_sender_addresses(package_zip, tmp_path):
    result = _deploy(tmp_path, fake_aws=True)
    assert result.returncode != 0
    assert "ALERT_EMAIL and MAIL_FROM_ADDRESS" in result.stderr


@pytest.mark.slow
def test_deploy_creates_everything_once_and_a_second_run_changes_nothing(task_root, tmp_path):
    first = _deploy(tmp_path, fake_aws=True, package=task_root, **FIRST_DEPLOY)
    assert first.returncode == 0, first.stderr
    assert "CodeLearn is live at https://abc123.lambda-url.us-east-1.on.aws/" in first.stdout
    changes = _changes(tmp_path)
    assert changes[:4] == ["create bucket", "block public access", changes[2], "create stack"]
    assert changes[2].startswith("upload codelearn-artifacts-123456789012-us-east-1/codelearn/")
    assert changes[5:] == ["publish version 1", "deploy stack: LiveVersion"], changes
    state = json.loads((tmp_path / "aws-state.json").read_text())
    assert state["tables"] == ["codelearn"], "the stack created the missing table"

    second = _deploy(tmp_path, fake_aws=True, package=task_root, **FIRST_DEPLOY)
    assert second.returncode == 0, second.stderr
    assert _changes(tmp_path) == changes, "a second run with nothing changed must change nothing"
    assert "already serves this code and configuration" in second.stderr

    # A setting change (the emergency switch) reaches the alias through a new version.
    third = _deploy(tmp_path, fake_aws=True, package=task_root, AI_PROVIDER="offline")
    assert third.returncode == 0, third.stderr
    assert _changes(tmp_path)[len(changes):] == ["deploy stack: AiProvider", "publish version 2",
                                                 "deploy stack: LiveVersion"]

    back = _deploy(tmp_path, "--rollback", "1", fake_aws=True)
    assert back.returncode == 0, back.stderr
    assert _changes(tmp_path)[-1] == "alias to version 1"


def test_a_stack_that_failed_to_create_is_explained_not_retried(package_zip, tmp_path):
    state = {"stack": {"parameters": {}, "latest": None, "versions": [], "alias": "$LATEST",
                       "status": "ROLLBACK_COMPLETE"}}
    (tmp_path / "aws-state.json").write_text(json.dumps(state))
    result = _deploy(tmp_path, fake_aws=True, **FIRST_DEPLOY)
    assert result.returncode != 0
    assert "failed to create" in result.stderr and "delete-stack" in result.stderr
    assert _changes(tmp_path) == [], "nothing is changed before the stack is fixed"


def _calls(tmp_path: Path) -> list[str]:
    return json.loads((tmp_path / "aws-state.json").read_text())["calls"]


def _with_invoke_answer(tmp_path: Path, answer: dict, function_error: str = "") -> None:
    state = {"invoke_answer": answer}
    if function_error:
        state["invoke_function_error"] = function_error
    (tmp_path / "aws-state.json").write_text(json.dumps(state))


def _summary_from(grader, monkeypatch) -> dict:
    """What the function would answer with this grader (a real summary, not a hand-made one)."""
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET)
    return {"codelearn": "selftest", **run_selftest(grader, dict(os.environ)).to_dict()}


def test_the_deploy_runs_the_grader_selftest_on_the_live_alias_of_the_package(task_root, tmp_path):
    result = _deploy(tmp_path, fake_aws=True, package=task_root, **FIRST_DEPLOY)
    assert result.returncode == 0, result.stderr
    invokes = [call for call in _calls(tmp_path) if call.startswith("lambda invoke")]
    assert len(invokes) == 1 and invokes[0].startswith(SELFTEST_INVOKE), invokes
    assert "grader self-test: ok" in result.stderr
    for case in ("correct: pass", "read_secret: pass", "fork: pass"):
        assert case in result.stderr, case
    assert "16 s wall" in result.stderr, "the limits of the function's grader, at its memory"
    assert FAKE_SECRET not in result.stdout + result.stderr
    assert "CodeLearn is live at" in result.stdout


def test_the_deploy_fails_when_containment_is_missing(package_zip, tmp_path, monkeypatch):
    _with_invoke_answer(tmp_path, _summary_from(UncontainedGrader(), monkeypatch))
    result = _deploy(tmp_path, fake_aws=True, **FIRST_DEPLOY)
    assert result.returncode == 1, result.stderr
    assert "deploy.sh: self-test failed: containment is missing on Lambda: read_secret fail: reached " \
           "AWS_SECRET_ACCESS_KEY in os.environ" in result.stderr
    assert "fork fail: started a process with os.fork" in result.stderr
    assert "Version 1 is live; there is no earlier version" in result.stderr
    assert "CodeLearn is live" not in result.stdout
    assert FAKE_SECRET not in result.stdout + result.stderr


def test_the_deploy_fails_when_the_grader_is_unavailable(package_zip, tmp_path, monkeypatch):
    _with_invoke_answer(tmp_path, _summary_from(UnavailableGrader(), monkeypatch))
    result = _deploy(tmp_path, fake_aws=True, **FIRST_DEPLOY)
    assert result.returncode == 1, result.stderr
    assert "deploy.sh: self-test failed: the grader is unavailable on Lambda: a correct submission was " \
           "answered error (The grader is not available" in result.stderr
    assert "CodeLearn is live" not in result.stdout


def test_the_deploy_fails_when_the_function_cannot_answer_the_selftest(package_zip, tmp_path):
    # What a version without the job table does: apig-wsgi finds no HTTP request in the event.
    _with_invoke_answer(tmp_path, {"errorType": "KeyError", "errorMessage": "'requestContext'"}, "Unhandled")
    result = _deploy(tmp_path, fake_aws=True, **FIRST_DEPLOY)
    assert result.returncode == 1, result.stderr
    assert "self-test failed: the function failed on the self-test event (KeyError: 'requestContext')" \
        in result.stderr
    assert "CodeLearn is live" not in result.stdout


@pytest.mark.slow
def test_a_failed_selftest_names_the_version_to_roll_back_to(task_root, tmp_path, monkeypatch):
    assert _deploy(tmp_path, fake_aws=True, package=task_root, **FIRST_DEPLOY).returncode == 0
    state = json.loads((tmp_path / "aws-state.json").read_text())
    state["invoke_answer"] = _summary_from(UncontainedGrader(), monkeypatch)  # version 2 contains nothing
    (tmp_path / "aws-state.json").write_text(json.dumps(state))
    result = _deploy(tmp_path, fake_aws=True, AI_PROVIDER="offline")
    assert result.returncode == 1, result.stderr
    assert "containment is missing" in result.stderr
    assert "Version 2 is live; go back with ./deploy.sh --rollback 1" in result.stderr
