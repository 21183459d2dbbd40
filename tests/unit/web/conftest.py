"""The web application on the in-memory services, driven by Starlette's test client."""

from __future__ import annotations

import re
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


def password_of(name: str) -> str:
    return f"{name}pass2026"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def services(clock: FixedClock) -> App:
    app = fake_app("dingan", clock)
    for name in PEOPLE:
        app.users.reset_password(name, actor="admin", password=password_of(name), must_change=False)
    return app


class Browser:
    """A test client that signs in and sends forms with the page's token, as a browser."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.csrf = ""

    def sign_in(self, name: str, password: str | None = None) -> Any:
        page = self.client.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', page.text)
        assert token is not None
        response = self.client.post(
            "/login",
            data={
                "username": name,
                "password": password or password_of(name),
                "login_token": token.group(1),
                "next": "/",
            },
        )
        self.refresh_token()
        return response

    def refresh_token(self) -> None:
        found = re.search(r'name="csrf-token" content="([^"]+)"', self.client.get("/cases").text)
        self.csrf = found.group(1) if found else ""

    def post(self, url: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        return self.client.post(url, data={"csrf_token": self.csrf, **(data or {})}, **kw)

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, **kw)


@pytest.fixture
def web(services: App) -> Iterator[TestClient]:
    with TestClient(create_app(services), raise_server_exceptions=True) as client:
        yield client


@pytest.fixture
def browser(web: TestClient) -> Browser:
    return Browser(web)


@pytest.fixture
def other_browser(services: App) -> Iterator[Browser]:
    with TestClient(create_app(services), raise_server_exceptions=True) as client:
        yield Browser(client)
