"""The JSON API for integrations, `/api/v1`, mounted on the web application: the same
services, the same roles and view of cases as the web pages (a token acts as its user),
the engine's typed errors as problem details. Its OpenAPI document is
`/api/v1/openapi.json`, readable at `/api/v1/docs` (Swagger UI, vendored: no CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from engine.bootstrap import App
from engine.entrypoints.web.api import admin, cases, problems, records
from engine.entrypoints.web.api.problems import Contained

PREFIX = "/api/v1"
DOCS_PAGE = Path(__file__).resolve().parents[1] / "templates" / "api_docs.html"
"""The reference page: Swagger UI over the OpenAPI document (static/vendor/swagger-ui)."""

DESCRIPTION = """县人社局案件办理系统的数据接口。

* 认证：每个请求携带 `Authorization: Bearer <接口令牌>`；令牌由系统管理员为用户创建
  （系统管理 → 接口令牌，或 `caseflow token create`），只显示一次。令牌以其用户的身份和角色
  操作，能看到的案件与该用户在网页上看到的相同。
* 错误：`application/problem+json`，`code` 为稳定的错误代码，`detail` 为中文说明；
  401 未认证，403 无权操作，404 不存在或无权查看，409 版本冲突或当前状态不允许，
  422 请求内容有误或不满足操作条件。
* 幂等：登记案件和上传附件可带 `Idempotency-Key` 请求头；同一用户以同一键重发的请求
  得到第一次的响应，不会重复创建。
"""


def create_api(services: App) -> Contained:
    """The API application, its unexpected errors contained (problems.Contained)."""
    return Contained(_api(services))


def _api(services: App) -> FastAPI:
    api = FastAPI(
        title="caseflow API",
        version="1",
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        responses=problems.PROBLEMS,
    )
    api.state.services = services
    page = DOCS_PAGE.read_text("utf-8")

    @api.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page)

    for router in (cases.router, records.router, admin.router):
        api.include_router(router)
    problems.install(api)
    return api
