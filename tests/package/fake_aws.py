"""A stand-in for the `aws` command that deploy.sh runs: just enough of S3, CloudFormation, Lambda,
DynamoDB and STS, kept in a JSON state file, to play a deploy through without any network.

Every call is appended to the state's `calls`; every call that would change something in AWS is
also appended to `changes`, which is how the tests see that a second deploy changes nothing.
Lambda's own rules are modelled where deploy.sh relies on them: a stack deploy with unchanged
parameters is an empty change set, and publish-version returns the last version when code and
configuration are unchanged.

`lambda invoke` (the grader self-test) answers with the state's `invoke_answer` when the test put
one there (and `invoke_function_error`, as Lambda reports an unhandled exception); otherwise it
runs the event through the built package unpacked at FAKE_AWS_PACKAGE, in the package harness.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ACCOUNT = "123456789012"
URL = "https://abc123.lambda-url.us-east-1.on.aws/"
REQUIRED_ON_CREATE = ("AlertEmail", "MailFromAddress")
CODE_PARAMETERS = ("CodeS3Bucket", "CodeS3Key", "LiveVersion")


def _option(args: list[str], name: str) -> str | None:
    return args[args.index(name) + 1] if name in args else None


def _values_after(args: list[str], name: str) -> list[str]:
    values = []
    for arg in args[args.index(name) + 1:]:
        if arg.startswith("--"):
            break
        values.append(arg)
    return values


class FakeAws:
    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state
        state.setdefault("buckets", [])
        state.setdefault("objects", {})
        state.setdefault("tables", [])
        state.setdefault("changes", [])
        state.setdefault("calls", [])

    def change(self, what: str) -> None:
        self.state["changes"].append(what)

    @property
    def stack(self) -> dict[str, Any] | None:
        return self.state.get("stack")

    def __call__(self, args: list[str]) -> tuple[int, str]:
        if args[:1] == ["--region"]:
            args = args[2:]
        self.state["calls"].append(" ".join(args))
        handler = getattr(self, "_" + "_".join(args[:2]).replace("-", "_"), None)
        if handler is None:
            return 252, f"fake aws: {' '.join(args[:2])} is not modelled"
        return handler(args[2:])

    # --- STS, S3, DynamoDB -----------------------------------------------------------------------
    def _sts_get_caller_identity(self, args):
        return 0, ACCOUNT

    def _s3api_head_bucket(self, args):
        return (0, "") if _option(args, "--bucket") in self.state["buckets"] else (254, "Not Found")

    def _s3api_create_bucket(self, args):
        self.state["buckets"].append(_option(args, "--bucket"))
        self.change("create bucket")
        return 0, ""

    def _s3api_put_public_access_block(self, args):
        self.change("block public access")
        return 0, ""

    def _s3api_head_object(self, args):
        key = f"{_option(args, '--bucket')}/{_option(args, '--key')}"
        return (0, "{}") if key in self.state["objects"] else (254, "Not Found")

    def _s3_cp(self, args):
        source, target = args[0], args[1].removeprefix("s3://")
        digest = hashlib.sha256(Path(source).read_bytes()).digest()
        self.state["objects"][target] = base64.b64encode(digest).decode()
        self.change(f"upload {target}")
        return 0, ""

    def _dynamodb_describe_table(self, args):
        return (0, "{}") if _option(args, "--table-name") in self.state["tables"] else (254, "ResourceNotFound")

    # --- CloudFormation --------------------------------------------------------------------------
    def _cloudformation_validate_template(self, args):
        return 0, "{}"

    def _cloudformation_describe_stacks(self, args):
        if not self.stack:
            return 255, "Stack with id codelearn does not exist"
        query = _option(args, "--query") or ""
        if "StackStatus" in query:
            return 0, self.stack.get("status", "UPDATE_COMPLETE")
        if "Outputs" in query:
            return 0, URL
        if "Parameters" in query:
            return 0, "\t".join(self.stack["parameters"])
        return 0, "{}"

    def _cloudformation_describe_stack_resources(self, args):
        if not self.stack:
            return 255, "Stack does not exist"
        if self.stack["parameters"].get("CreateTable") == "true":
            return 0, self.stack["parameters"]["TableName"]
        return 0, "None"

    def _cloudformation_deploy(self, args):
        overrides = dict(item.split("=", 1) for item in _values_after(args, "--parameter-overrides"))
        if not self.stack:
            missing = [name for name in REQUIRED_ON_CREATE if name not in overrides]
            if missing:
                return 255, f"Parameters: {missing} must have values"
            self.state["stack"] = {"parameters": {}, "latest": None, "versions": [], "alias": "$LATEST"}
            self.change("create stack")
        previous = self.stack["parameters"]
        parameters = {**previous, **overrides}  # the others keep their previous values
        if parameters == previous:
            return 0, "No changes to deploy. Stack codelearn is up to date"
        self.stack["parameters"] = parameters
        self.change("deploy stack: " + ",".join(sorted(k for k in parameters if parameters[k] != previous.get(k))))
        if parameters.get("CreateTable") == "true" and parameters["TableName"] not in self.state["tables"]:
            self.state["tables"].append(parameters["TableName"])
        # What CloudFormation does to the function: code from the S3 key, config, the alias.
        self.stack["latest"] = {
            "sha": self.state["objects"][f"{parameters['CodeS3Bucket']}/{parameters['CodeS3Key']}"],
            "config": {k: v for k, v in parameters.items() if k not in CODE_PARAMETERS},
        }
        self.stack["alias"] = parameters["LiveVersion"]
        return 0, "Successfully created/updated stack"

    def _cloudformation_update_stack(self, args):
        assert "--use-previous-template" in args
        parameters = dict(self.stack["parameters"])
        for item in _values_after(args, "--parameters"):
            fields = dict(part.split("=", 1) for part in item.split(","))
            if "ParameterValue" in fields:
                parameters[fields["ParameterKey"]] = fields["ParameterValue"]
        if parameters == self.stack["parameters"]:
            return 254, "No updates are to be performed."
        self.stack["parameters"] = parameters
        self.stack["alias"] = parameters["LiveVersion"]
        self.change(f"alias to version {parameters['LiveVersion']}")
        return 0, "{}"

    def _cloudformation_wait(self, args):
        return 0, ""

    # --- Lambda ----------------------------------------------------------------------------------
    def _lambda_wait(self, args):
        return 0, ""

    def _lambda_get_alias(self, args):
        if not self.stack:
            return 254, "ResourceNotFoundException"
        return 0, self.stack["alias"]

    def _lambda_get_function(self, args):
        if not self.stack:
            return 254, "ResourceNotFoundException"
        qualifier = _option(args, "--qualifier")
        if qualifier:
            versions = self.stack["versions"]
            if not qualifier.isdigit() or int(qualifier) > len(versions):
                return 254, "ResourceNotFoundException"
            return 0, qualifier
        return 0, self.stack["latest"]["sha"]

    def _lambda_update_function_code(self, args):
        key = f"{_option(args, '--s3-bucket')}/{_option(args, '--s3-key')}"
        self.stack["latest"]["sha"] = self.state["objects"][key]
        self.change("update function code")
        return 0, self.stack["latest"]["sha"]

    def _lambda_invoke(self, args):
        if not self.stack:
            return 254, "ResourceNotFoundException"
        outfile = args[-1]
        event = json.loads(_option(args, "--payload"))
        metadata = {"StatusCode": 200, "ExecutedVersion": self.stack["alias"]}
        if "invoke_answer" in self.state:
            answer = self.state["invoke_answer"]
            if self.state.get("invoke_function_error"):
                metadata["FunctionError"] = self.state["invoke_function_error"]
        else:
            answer = _run_in_package(event, Path(os.environ["FAKE_AWS_STATE"]).parent / "fake-lambda")
        Path(outfile).write_text(json.dumps(answer), encoding="utf-8")
        return 0, json.dumps(metadata)

    def _lambda_publish_version(self, args):
        latest = self.stack["latest"]
        if _option(args, "--code-sha256") != latest["sha"]:
            return 254, "PreconditionFailedException: CodeSha256 does not match"
        versions = self.stack["versions"]
        if versions and versions[-1] == latest:
            return 0, str(len(versions))  # nothing changed since the last version
        versions.append(json.loads(json.dumps(latest)))
        self.change(f"publish version {len(versions)}")
        return 0, str(len(versions))


def _run_in_package(event: dict, scratch: Path) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from scripts.package_harness import PackageProcess, lambda_environment

    environment = lambda_environment(scratch, **json.loads(os.environ.get("FAKE_AWS_LAMBDA_ENV", "{}")))
    with PackageProcess(Path(os.environ["FAKE_AWS_PACKAGE"]), environment) as process:
        return process.handler(event)


def main() -> int:
    path = Path(os.environ["FAKE_AWS_STATE"])
    state = json.loads(path.read_text()) if path.exists() else {}
    status, output = FakeAws(state)(sys.argv[1:])
    path.write_text(json.dumps(state, indent=1))
    print(output, file=sys.stdout if status == 0 else sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
