"""An endpoint answering something other than JSON (the progress report's PDF) goes through the same
framework: bearer token, the API's error shape, and its media type in openapi.json."""

from __future__ import annotations

from tests.api.conftest import API


def test_the_report_is_a_pdf_for_the_learner_and_a_json_401_without_a_token(client, ada):
    answer = client.get(f"{API}/progress/report", headers=ada.headers)
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.data.startswith(b"%PDF")
    refused = client.get(f"{API}/progress/report")
    assert refused.status_code == 401 and refused.json["error"]["code"] == "authentication_required"


def test_the_document_gives_the_report_its_media_type(client):
    operation = client.get(f"{API}/openapi.json").json["paths"][f"{API}/progress/report"]["get"]
    assert list(operation["responses"]["200"]["content"]) == ["application/pdf"]
    assert operation["responses"]["401"]["content"]["application/json"]
