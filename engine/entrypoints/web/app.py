"""The web application assembled: routers per area, templates, vendored static files,
security headers on every response, and errors turned into Chinese pages."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.bootstrap import App
from engine.entrypoints.web import errors, filters
from engine.entrypoints.web.api import PREFIX as API_PREFIX
from engine.entrypoints.web.api import create_api
from engine.entrypoints.web.config import WebConfig
from engine.entrypoints.web.routers import (
    actions,
    admin,
    auth,
    board,
    cases,
    deliveries,
    documents,
    inbox,
    intake,
    register,
    stats,
    tokens,
)
from engine.service.context import through

HERE = Path(__file__).resolve().parent

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'self'"
)
"""No inline script or style anywhere; the only embedded content is our own (notice
previews and PDFs in frames, served with their own stricter policy)."""


class SecurityHeaders:
    """Adds the security headers to every response that does not set its own policy."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                static = scope["path"].startswith("/static/")
                defaults = {
                    b"content-security-policy": CSP.encode(),
                    b"x-frame-options": b"DENY",
                    b"x-content-type-options": b"nosniff",
                    b"referrer-policy": b"same-origin",
                    b"cache-control": b"public, max-age=3600" if static else b"no-store",
                }
                headers += [(k, v) for k, v in defaults.items() if k not in names]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(services: App, config: WebConfig | None = None) -> FastAPI:
    app = FastAPI(title="caseflow", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.services = services
    app.state.config = config or WebConfig()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.state.people = filters.install(templates.env, services)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for router in (
        auth,
        inbox,
        register,
        intake,
        cases,
        actions,
        documents,
        board,
        admin,
        tokens,
        deliveries,
        stats,
    ):
        app.include_router(router.router)
    app.mount(API_PREFIX, create_api(services))
    errors.install(app)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(Channel)
    return app


class Channel:
    """Every command of a request is recorded as coming through the web pages or the API."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = str(scope.get("path", "")).startswith(API_PREFIX)
        with through("api" if api else "web"):
            await self.app(scope, receive, send)
