"""The API's reference page in a real browser: Swagger UI, served from the application
itself, renders the OpenAPI document under the site's Content-Security-Policy (no inline
script, nothing from outside) and lists the API's operations."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Site


def test_the_api_reference_page_renders_the_openapi_document(site: Site) -> None:
    context = site.context()
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(site.url) else outside.append(r.url))
    response = page.goto("/api/v1/docs")
    assert response is not None and response.ok
    assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("caseflow API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert page.locator(".swagger-ui .opblock").count() >= 10
    expect(page.locator(".swagger-ui .info")).to_contain_text("接口令牌")
    site.shot(page, "web-api-docs")
    assert outside == []
    assert [p for p in problems if "Content Security Policy" in p] == []
    context.close()
