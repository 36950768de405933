"""The OpenAPI document declares what the API really answers: problem+json errors and text where it is text."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"


@pytest.fixture
def spec(client, db):
    return client.get("/api/v1/openapi.json").json()


def operations(spec):
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_declares_its_problem_json_errors(spec):
    assert spec["components"]["schemas"]["Problem"]["required"] == ["type", "title", "status"]
    for path, method, operation in operations(spec):
        responses = operation["responses"]
        expected = {"400", "401", "403"}
        if "{" in path:
            expected.add("404")
        if "requestBody" in operation or operation.get("parameters"):
            expected.add("422")
        if method in {"post", "put", "patch", "delete"}:
            expected.add("409")
        if "requestBody" in operation:
            expected.add("413")
        assert expected <= set(responses), f"{method.upper()} {path}"
        for status in expected:
            content = responses[status]["content"]
            assert list(content) == [PROBLEM], f"{method.upper()} {path} {status}"
            assert content[PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}
            assert responses[status]["description"]  # Danish title, e.g. "Findes ikke"


def test_a_route_with_an_id_declares_not_found_in_danish(spec):
    not_found = spec["paths"]["/api/v1/citizens/{citizen_id}"]["get"]["responses"]["404"]
    assert not_found["description"] == "Findes ikke"


def test_the_prometheus_metrics_are_declared_as_text(spec, client, make_user, odense):
    from jobcenter.tenancy.actions import do_issue_api_token
    from jobcenter.tenancy.roles import Role

    content = spec["paths"]["/api/v1/operations/metrics"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["text/plain; version=0.0.4; charset=utf-8"]
    _, raw = do_issue_api_token(acting_user=None, user=make_user(Role.OPERATIONS, odense), name="Prometheus")
    answer = client.get("/api/v1/operations/metrics", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
