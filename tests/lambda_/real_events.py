"""Events shaped like the ones AWS really sends, after the public samples (API Gateway REST proxy,
HTTP API payload 2.0): every header and context field AWS fills in, and the edges hand-built events
miss (REST `path` without the stage while `requestContext.path` has it, HTTP API request ids with
`=`, Cookie lines split across `multiValueHeaders`, `headers: null` from the console's test button,
repeated query keys)."""

from __future__ import annotations

import base64
import copy

API_ID = "1234567890"
REST_DOMAIN = f"{API_ID}.execute-api.us-east-1.amazonaws.com"
HTTP_API_REQUEST_ID = "J7jk9g-7oAMEJGw="  # the shape HTTP APIs give their request ids

_REST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate, sdch",
    "Accept-Language": "en-US,en;q=0.8",
    "Cache-Control": "max-age=0",
    "CloudFront-Forwarded-Proto": "https",
    "CloudFront-Is-Desktop-Viewer": "true",
    "CloudFront-Viewer-Country": "US",
    "Host": REST_DOMAIN,
    "Upgrade-Insecure-Requests": "1",
    "User-Agent": "Custom User Agent String",
    "Via": "1.1 08f323deadbeefa7af34d5feb414ce27.cloudfront.net (CloudFront)",
    "X-Amz-Cf-Id": "cDehVQoZnx43VYQb9j2-nvCh-9z396Uhbp027Y2JvkCPNLmGJHqlaA==",
    "X-Amzn-Trace-Id": "Root=1-5e66d96f-7491f09xmpl79d18acf3d050",
    "X-Forwarded-For": "127.0.0.1, 127.0.0.2",
    "X-Forwarded-Port": "443",
    "X-Forwarded-Proto": "https",
}

_REST_SAMPLE = {
    "resource": "/{proxy+}",
    "path": "/",
    "httpMethod": "GET",
    "headers": _REST_HEADERS,
    "multiValueHeaders": {name: [value] for name, value in _REST_HEADERS.items()},
    "queryStringParameters": None,
    "multiValueQueryStringParameters": None,
    "pathParameters": None,
    "stageVariables": None,
    "requestContext": {
        "accountId": "123456789012", "resourceId": "123456", "stage": "Prod",
        "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef", "extendedRequestId": "J7jk9g-7oAMEJGw=",
        "requestTime": "09/Apr/2015:12:34:56 +0000", "requestTimeEpoch": 1428582896000,
        "identity": {"cognitoIdentityPoolId": None, "accountId": None, "cognitoIdentityId": None,
                     "caller": None, "accessKey": None, "sourceIp": "127.0.0.1",
                     "cognitoAuthenticationType": None, "cognitoAuthenticationProvider": None,
                     "userArn": None, "userAgent": "Custom User Agent String", "user": None},
        "path": "/Prod/", "resourcePath": "/{proxy+}", "httpMethod": "GET", "apiId": API_ID,
        "protocol": "HTTP/1.1", "domainName": REST_DOMAIN, "domainPrefix": API_ID,
    },
    "body": None,
    "isBase64Encoded": False,
}

_HTTP_API_SAMPLE = {
    "version": "2.0",
    "routeKey": "$default",
    "rawPath": "/",
    "rawQueryString": "",
    "headers": {
        "accept": "text/html", "accept-encoding": "gzip, deflate, br", "content-length": "0",
        "host": REST_DOMAIN, "user-agent": "agent", "x-amzn-trace-id": "Root=1-5e6722a7-cc56xmpl46db7ae02d4da47e",
        "x-forwarded-for": "192.0.2.1", "x-forwarded-port": "443", "x-forwarded-proto": "https",
    },
    "requestContext": {
        "accountId": "123456789012", "apiId": API_ID, "domainName": REST_DOMAIN, "domainPrefix": API_ID,
        "http": {"method": "GET", "path": "/", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1", "userAgent": "agent"},
        "requestId": HTTP_API_REQUEST_ID, "routeKey": "$default", "stage": "$default",
        "time": "10/Mar/2020:05:16:23 +0000", "timeEpoch": 1583817383220,
    },
    "isBase64Encoded": False,
}


def rest(method: str, path: str, *, stage: str = "Prod", cookie_lines: list[str] = (), form: str | None = None,
         query: dict[str, list[str]] | None = None, without: tuple[str, ...] = ()) -> dict:
    """A REST API proxy event on the default host: `path` as API Gateway gives it (stage removed),
    each Cookie line a separate `multiValueHeaders` entry, `without` header names left out."""
    event = copy.deepcopy(_REST_SAMPLE)
    multi = {name: values for name, values in event["multiValueHeaders"].items() if name not in without}
    if cookie_lines:
        multi["Cookie"] = list(cookie_lines)
    if form is not None:
        multi["Content-Type"] = ["application/x-www-form-urlencoded"]
        event["body"] = base64.b64encode(form.encode()).decode()
        event["isBase64Encoded"] = True
    event["multiValueHeaders"] = multi
    event["headers"] = {name: values[-1] for name, values in multi.items()}  # AWS keeps the last
    event.update(path=path, httpMethod=method, pathParameters={"proxy": path.lstrip("/")} if path != "/" else None)
    if query:
        event["multiValueQueryStringParameters"] = query
        event["queryStringParameters"] = {key: values[-1] for key, values in query.items()}
    event["requestContext"].update(stage=stage, path=f"/{stage}{path}", httpMethod=method)
    return event


def rest_from_console(method: str, path: str) -> dict:
    """The API Gateway console's test button: no headers at all (`null`), no query."""
    event = rest(method, path)
    event.update(headers=None, multiValueHeaders=None)
    return event


def http_api(method: str, path: str, *, cookies: list[str] = (), request_id: str = HTTP_API_REQUEST_ID) -> dict:
    event = copy.deepcopy(_HTTP_API_SAMPLE)
    event["rawPath"] = path
    event["requestContext"]["http"].update(method=method, path=path)
    event["requestContext"]["requestId"] = request_id
    if cookies:
        event["cookies"] = list(cookies)
    return event


def text(response: dict) -> str:
    body = response.get("body") or ""
    return base64.b64decode(body).decode() if response.get("isBase64Encoded") else body


def header(response: dict, name: str) -> str | None:
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return value
    for key, values in (response.get("multiValueHeaders") or {}).items():
        if key.lower() == name.lower():
            return values[-1]
    return None


def set_cookies(response: dict) -> dict[str, str]:
    lines = response.get("cookies") or (response.get("multiValueHeaders") or {}).get("Set-Cookie", [])
    return {line.split("=", 1)[0]: line.split("=", 1)[1].split(";", 1)[0] for line in lines}
