"""The JSON API on the in-memory services, driven by Starlette's test client with one
API token per person."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.entrypoints.web.app import create_app
from tests.shared import START
from tests.unit.workflows._harness import fake_app

PEOPLE = ("admin", "wang", "li", "zhao", "chen", "sun", "zhou")
API = "/api/v1"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def services(clock: FixedClock) -> App:
    app = fake_app("dingan", clock)
    app.users.add_user("qian", "inspector", "县社会保险基金监督股", "钱监察", actor="admin")
    return app


@pytest.fixture
def tokens(services: App) -> dict[str, str]:
    return {
        name: services.tokens.create(name, "测试接入", actor="admin").token
        for name in (*PEOPLE, "qian")
    }


class Api:
    """Requests as one user's token."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(API + path, headers=self.headers, **kw)

    def post(
        self, path: str, body: Any = None, headers: dict[str, str] | None = None, **kw: Any
    ) -> Any:
        return self.client.post(
            API + path, json=body, headers={**self.headers, **(headers or {})}, **kw
        )


@pytest.fixture
def client(services: App) -> Iterator[TestClient]:
    with TestClient(create_app(services), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def as_user(client: TestClient, tokens: dict[str, str]) -> Any:
    def make(name: str) -> Api:
        return Api(client, tokens[name])

    return make
