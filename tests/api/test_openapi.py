"""The OpenAPI document: valid OpenAPI 3.1 (openapi-spec-validator), every schema valid JSON Schema
2020-12 and readable by the request validator, every route of /api/v1 described with its request and
response schemas, and the document built only when asked for."""

from __future__ import annotations

import subprocess
import sys

import fastjsonschema
import jsonschema_rs
from openapi_spec_validator import validate as validate_openapi

from blueprints.api import OPERATIONS, PREFIX, api_app
from blueprints.api.openapi import openapi_path


def _document(client) -> dict:
    answer = client.get(f"{PREFIX}/openapi.json")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    return answer.json


def test_the_document_is_valid_openapi_3_1(client):
    document = _document(client)
    assert document["openapi"].startswith("3.1")
    validate_openapi(document)


def test_every_api_route_is_in_the_document_with_its_schemas(app, client):
    document = _document(client)
    routes = [(rule.rule, method) for rule in api_app(app).url_map.iter_rules() if rule.rule.startswith(PREFIX + "/")
              for method in rule.methods - {"HEAD", "OPTIONS"}]
    assert len(routes) >= 20
    for rule, method in routes:
        operation = document["paths"][openapi_path(rule[len(PREFIX):])][method.lower()]
        assert operation["responses"], (method, rule)
        success = [code for code in operation["responses"] if code.startswith("2")]
        assert len(success) == 1, (method, rule)
        if success[0] != "204":
            (content,) = operation["responses"][success[0]]["content"].values()  # one media type
            assert content["schema"], (method, rule)
        if method in ("POST", "PUT", "PATCH"):
            body = operation.get("requestBody")
            assert body is None or body["content"]["application/json"]["schema"]["type"] == "object", rule
        for code, answer in operation["responses"].items():
            if not code.startswith("2"):
                assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def _schemas(value):
    if isinstance(value, dict):
        if "type" in value or "enum" in value or "const" in value or "oneOf" in value:
            yield value
        for item in value.values():
            yield from _schemas(item)
    elif isinstance(value, list):
        for item in value:
            yield from _schemas(item)


def test_every_schema_is_json_schema_2020_12_and_compiles_for_the_validator():
    for op in OPERATIONS:
        for schema in (op.request, op.response):
            if schema is None:
                continue
            assert jsonschema_rs.meta.is_valid({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema})
            fastjsonschema.compile(schema)
        if op.request is not None and op.example is not None:
            fastjsonschema.compile(op.request)(op.example)  # the documented example is a valid body


def test_a_page_request_imports_neither_the_spec_builder_nor_the_validator(tmp_path):
    """Cold starts stay cheap: apispec and fastjsonschema load only when the API needs them."""
    script = (
        "import sys\n"
        "from app import create_app\n"
        f"app = create_app({{'INSTANCE_PATH': {str(tmp_path)!r}, 'SECRET_KEY': 'x', 'LOG_LEVEL': 'WARNING'}})\n"
        "assert app.test_client().get('/').status_code == 200\n"
        "print(sorted(m for m in ('apispec', 'fastjsonschema') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
