"""infra/template.yaml: cfn-lint clean, and in step with the code it deploys (the table definition,
the model table, the settings, the runtime the package is compiled for)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

import config
from dal.dynamodb.schema import TTL_ATTRIBUTE, table_definition
from scripts.build_package import DEFAULT_RUNTIME, PROJECT_ROOT
from services.ai.models import MODELS

TEMPLATE = PROJECT_ROOT / "infra" / "template.yaml"
PROFILE_PREFIXES = ("us.", "eu.", "apac.", "global.")


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads the short-form intrinsics (!Ref, !Sub ...) as their long form ({"Ref": ...})."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CloudFormationLoader)  # noqa: S506


def _resources(template: dict, kind: str) -> list[dict]:
    return [r for r in template["Resources"].values() if r["Type"] == kind]


def _one(template: dict, kind: str) -> dict:
    found = _resources(template, kind)
    assert len(found) == 1, kind
    return found[0]["Properties"]


def _policy_statements(template: dict) -> list[dict]:
    role = _one(template, "AWS::IAM::Role")
    return [s for policy in role["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def _text(value: Any) -> str:
    """A !Sub string as text (its variables left as ${...})."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else sub[0]
    return value if isinstance(value, str) else repr(value)


def test_cfn_lint_passes():
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run([str(cfn_lint), "--include-checks", "I", "--", str(TEMPLATE)],  # informational too
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_table_mirrors_the_dal_definition(template):
    table = template["Resources"]["Table"]
    assert table["DeletionPolicy"] == "Retain" and table["UpdateReplacePolicy"] == "Retain"
    properties = dict(table["Properties"])
    expected = table_definition("codelearn")
    assert properties["TableName"] == {"Ref": "TableName"}
    for key in ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "BillingMode"):
        assert properties[key] == expected[key], key
    assert properties["TimeToLiveSpecification"] == {"AttributeName": TTL_ATTRIBUTE, "Enabled": True}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


def test_function_runs_the_package_as_built(template):
    function = _one(template, "AWS::Lambda::Function")
    assert function["Handler"] == "lambda_handler.handler"
    assert function["Runtime"] == {"Ref": "Runtime"}
    assert template["Parameters"]["Runtime"]["Default"] == DEFAULT_RUNTIME
    assert function["MemorySize"] == 512 and function["Timeout"] == 30
    assert function["Architectures"] == ["x86_64"]  # the manylinux x86_64 wheels
    assert "ReservedConcurrentExecutions" in function
    assert function["Code"] == {"S3Bucket": {"Ref": "CodeS3Bucket"}, "S3Key": {"Ref": "CodeS3Key"}}


def test_runtime_default_is_the_same_everywhere():
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    deploy = (PROJECT_ROOT / "deploy.sh").read_text(encoding="utf-8")
    assert f"LAMBDA_RUNTIME ?= {DEFAULT_RUNTIME}" in makefile
    assert f'LAMBDA_RUNTIME="${{LAMBDA_RUNTIME:-{DEFAULT_RUNTIME}}}"' in deploy


def test_environment_names_only_settings_the_app_reads_and_no_plain_secret(template):
    variables = _one(template, "AWS::Lambda::Function")["Environment"]["Variables"]
    for name in variables:
        assert name.removeprefix(f"{config.ENV_PREFIX}_") in config.SETTING_NAMES, f"the app does not read {name}"
    secret = _text(variables["CODELEARN_SECRET_KEY"])
    assert secret.startswith("{{resolve:secretsmanager:"), "the key comes from Secrets Manager at deploy time"
    assert variables["CODELEARN_STORE"] == "dynamodb" and variables["CODELEARN_ENV"] == "aws"


def test_bedrock_is_allowed_exactly_the_models_of_the_price_table(template):
    callable_ids = {m.model_id for m in MODELS.values() if not m.retired}
    profiles = {i for i in callable_ids if i.startswith(PROFILE_PREFIXES)}
    bare_models = {i.split(".", 1)[1] if i in profiles else i for i in callable_ids}
    statements = [s for s in _policy_statements(template) if s["Action"] == "bedrock:InvokeModel"]
    resources = [_text(r) for s in statements for r in s["Resource"]]
    allowed_profiles = {r.rsplit("inference-profile/", 1)[1] for r in resources if "inference-profile/" in r}
    allowed_models = {r.rsplit("foundation-model/", 1)[1] for r in resources if "foundation-model/" in r}
    assert allowed_profiles == profiles
    assert allowed_models == bare_models
    for statement in statements:
        if any("foundation-model/" in _text(r) for r in statement["Resource"]) and profiles:
            condition = statement["Condition"]["StringEquals"]["bedrock:InferenceProfileArn"]
            assert {_text(c).rsplit("/", 1)[1] for c in condition} == profiles, "models only via the profiles"


def test_table_permissions_cover_what_the_dal_calls_and_nothing_wider(template):
    calls = set()
    for path in (PROJECT_ROOT / "dal" / "dynamodb").glob("*.py"):
        calls.update(re.findall(r'\.call\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert calls, "no DynamoDB call found: the pattern is out of date"
    needed = {"dynamodb:" + "".join(w.title() for w in c.split("_")) for c in calls}
    if "dynamodb:TransactWriteItems" in needed:  # authorised per contained write
        needed = (needed - {"dynamodb:TransactWriteItems"}) | {"dynamodb:PutItem", "dynamodb:ConditionCheckItem"}
    statement = next(s for s in _policy_statements(template) if str(s["Action"]).count("dynamodb:") > 1)
    assert needed <= set(statement["Action"]), needed - set(statement["Action"])
    assert "dynamodb:Scan" not in statement["Action"]
    resources = [_text(r) for r in statement["Resource"]]
    assert resources == [
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}",
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/GSI1",
    ]


def test_no_permission_on_every_resource(template):
    for statement in _policy_statements(template):
        resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
        for resource in resources:
            assert _text(resource) != "*", statement
    mail = next(s for s in _policy_statements(template) if s["Action"] == "ses:SendEmail")
    assert mail["Condition"]["StringEquals"]["ses:FromAddress"] == {"Ref": "MailFromAddress"}
    logs = next(s for s in _policy_statements(template) if "logs:PutLogEvents" in s["Action"])
    assert logs["Resource"] == {"Fn::GetAtt": ["LogGroup", "Arn"]}


def test_logs_kept_seven_days_budget_alerts_at_80_and_100_percent_and_alarms(template):
    assert _one(template, "AWS::Logs::LogGroup")["RetentionInDays"] == 7
    budget = _one(template, "AWS::Budgets::Budget")
    assert budget["Budget"]["TimeUnit"] == "MONTHLY" and budget["Budget"]["BudgetType"] == "COST"
    notifications = budget["NotificationsWithSubscribers"]
    assert sorted(n["Notification"]["Threshold"] for n in notifications) == [80, 100]
    for notification in notifications:
        assert notification["Notification"]["ThresholdType"] == "PERCENTAGE"
        assert notification["Subscribers"] == [{"SubscriptionType": "EMAIL", "Address": {"Ref": "AlertEmail"}}]
    alarms = {a["Properties"]["MetricName"] for a in _resources(template, "AWS::CloudWatch::Alarm")}
    assert alarms == {"Errors", "Throttles"}


def test_public_url_serves_the_live_alias(template):
    url = _one(template, "AWS::Lambda::Url")
    assert url["AuthType"] == "NONE" and url["Qualifier"] == "live"
    assert template["Resources"]["LiveAlias"]["Properties"]["FunctionVersion"] == {"Ref": "LiveVersion"}
    actions = {p["Properties"]["Action"] for p in _resources(template, "AWS::Lambda::Permission")}
    assert actions == {"lambda:InvokeFunctionUrl", "lambda:InvokeFunction"}


def test_the_grader_wall_limit_at_the_functions_memory_fits_the_timeouts(template):
    from scripts.package_harness import FUNCTION_MEMORY_MB
    from services.grader.limits import API_GATEWAY_SECONDS, REQUEST_OVERHEAD_SECONDS, cpu_share

    function = _one(template, "AWS::Lambda::Function")
    memory = function["MemorySize"]
    assert memory == FUNCTION_MEMORY_MB, "the package harness runs the package at the function's memory"
    settings = config.defaults()
    limits = config.grader_limits(settings, environ={"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory)})
    assert limits.wall_seconds > limits.cpu_seconds / cpu_share(memory), "the CPU seconds fit in the wall limit"
    longest_submit = settings["GRADER_QUEUE_SECONDS"] + limits.wall_seconds + REQUEST_OVERHEAD_SECONDS
    assert longest_submit <= API_GATEWAY_SECONDS < function["Timeout"]


def test_only_the_url_is_open_to_everyone_so_jobs_need_iam(template):
    """Anyone may call the URL, which always sends HTTP events; a direct invocation, e.g. the grader
    self-test `{"codelearn": "selftest"}`, needs lambda:InvokeFunction granted by IAM."""
    for permission in _resources(template, "AWS::Lambda::Permission"):
        properties = permission["Properties"]
        if properties["Principal"] == "*" and properties["Action"] == "lambda:InvokeFunction":
            assert properties.get("InvokedViaFunctionUrl") is True, properties
