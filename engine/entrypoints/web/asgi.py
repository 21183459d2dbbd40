"""The ASGI application uvicorn's workers import (`caseflow serve`): the same bootstrap as
the CLI, configured from the environment (CASEFLOW_DATABASE_URL, CASEFLOW_COUNTY, …)."""

from __future__ import annotations

import os

from fastapi import FastAPI

from engine.bootstrap import bootstrap
from engine.entrypoints.web.app import create_app
from engine.entrypoints.web.config import WebConfig


def build() -> FastAPI:
    config = WebConfig.from_env()
    services = bootstrap(county=os.environ.get("CASEFLOW_COUNTY"), sessions=config.sessions)
    return create_app(services, config)


app = build() if os.environ.get("CASEFLOW_ASGI_LAZY") != "1" else FastAPI()
