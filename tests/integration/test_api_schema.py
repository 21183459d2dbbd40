"""The API against its own OpenAPI document (schemathesis, a few generated requests per
operation, as the head whose token sees every case; the whole app on the in-memory
services, so it runs with the integration tests): no request gets a server error, and no
response breaks the document — its status, content type, headers and body schema."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.specs.openapi.checks import positive_data_acceptance
from schemathesis.specs.openapi.schemas import OpenApiSchema

from engine.adapters.clock import FixedClock
from engine.entrypoints.web.app import create_app
from tests.shared import START
from tests.unit.service._flows import to_payment_ordered
from tests.unit.workflows._harness import fake_app


def _schema() -> tuple[OpenApiSchema, str]:
    clock = FixedClock(START)
    services = fake_app("dingan", clock)
    to_payment_ordered(services, clock)  # WA2026-0001, with documents and deadlines
    token = services.tokens.create("zhou", "schemathesis", actor="admin").token
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_app(services))
    return schema, token


SCHEMA, TOKEN = _schema()


@SCHEMA.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_every_operation_keeps_to_the_document(case: Case[Any]) -> None:
    # A request the schema allows may still break a rule only the engine knows (a check
    # character, a guard, a procedure's payload): its 422 is right, so schemathesis's
    # "schema-valid data must be accepted" check does not apply; every other check does.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        excluded_checks=[positive_data_acceptance],
    )
