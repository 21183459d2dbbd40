"""Browser tests: the web application on uvicorn over a fresh SQLite database, driven by
Playwright in Debian's Chromium (`executable_path`: nothing is downloaded). The server runs
in a thread of the test process on the test's FixedClock, so a test can move time on and
run the sweep itself. Under CI=true a missing Chromium fails instead of skipping."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from engine.adapters.clock import FixedClock
from engine.bootstrap import App, bootstrap
from engine.entrypoints.web.app import create_app
from tests.conftest import IN_CI
from tests.fakes import PlainHasher
from tests.shared import add_staff

CHROMIUM = os.environ.get("CASEFLOW_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
]
START = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # Monday 09:30 in Beijing
DOCS = Path(__file__).resolve().parents[2] / "docs"


def password_of(name: str) -> str:
    return f"{name}pass2026"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"CI=true but Chromium is not installed at {CHROMIUM}")
        pytest.skip(f"browser tests skipped: no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@dataclass
class Site:
    url: str
    services: App
    clock: FixedClock
    browser: Browser

    def person(self, name: str, *, width: int = 1366, height: int = 768) -> Page:
        """A browser of its own for one person, signed in."""
        page = self.context(width, height).new_page()
        self.sign_in(page, name)
        return page

    def context(self, width: int = 1366, height: int = 768) -> BrowserContext:
        return self.browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", base_url=self.url
        )

    def sign_in(self, page: Page, name: str, password: str | None = None) -> None:
        page.goto("/login")
        page.fill("input[name=username]", name)
        page.fill("input[name=password]", password or password_of(name))
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

    def shot(self, page: Page, name: str) -> Path:
        """A screenshot: into docs/ with CASEFLOW_SCREENSHOTS=docs, else a temporary folder."""
        folder = DOCS if os.environ.get("CASEFLOW_SCREENSHOTS") == "docs" else self.tmp
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    tmp: Path = Path("/tmp")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def site(chromium: Browser, tmp_path: Path, sqlite_template: Path) -> Iterator[Site]:
    target = tmp_path / "caseflow.db"
    shutil.copy(sqlite_template, target)
    clock = FixedClock(START)
    services = bootstrap(f"sqlite:///{target}", clock=clock, county="dingan", hasher=PlainHasher())
    add_staff(services)
    for user in services.users.users():
        services.users.reset_password(
            user.name, actor="admin", password=password_of(user.name), must_change=False
        )
    port = _free_port()
    config = uvicorn.Config(
        create_app(services), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    site = Site(f"http://127.0.0.1:{port}", services, clock, chromium)
    site.tmp = tmp_path
    yield site
    server.should_exit = True
    thread.join(timeout=10)
    services.close()


def case_ref(page: Page) -> str:
    found = re.search(r"/cases/([A-Z]{2}\d{4}-\d{4})", page.url)
    assert found, page.url
    return found.group(1)
