"""`caseflow serve`: the web application on uvicorn."""

from __future__ import annotations

import os

import typer

from engine.entrypoints.cli._common import Settings, console, fail_message, reporting, settings


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址（局域网访问用 0.0.0.0）"),
    port: int = typer.Option(8000, "--port", help="端口"),
    workers: int = typer.Option(1, "--workers", help="工作进程数（多进程请用 PostgreSQL）"),
) -> None:
    """启动网页服务（浏览器访问 http://地址:端口 登录办理案件）。按 Ctrl+C 停止。"""
    s = settings(ctx)
    if not 1 <= port <= 65535:
        fail_message("INVALID_INPUT", f"--port 应在 1 到 65535 之间，实际为 {port}", False)
    if not 1 <= workers <= 64:
        fail_message("INVALID_INPUT", f"--workers 应在 1 到 64 之间，实际为 {workers}", False)
    run_server(s, host, port, workers)


def run_server(s: Settings, host: str, port: int, workers: int) -> None:
    import uvicorn

    from engine.entrypoints.web.app import create_app
    from engine.entrypoints.web.config import WebConfig

    with reporting():
        config = WebConfig.from_env()
        app = s.app()
        console.print(
            f"caseflow 网页服务：http://{host}:{port}/ （{workers} 个进程；数据库：{app.url}）"
        )
        if workers == 1:
            web = create_app(app, config)
            uvicorn.run(web, host=host, port=port, log_level="info", proxy_headers=True)
            return
        # Several processes import the app themselves, configured like this one.
        os.environ["CASEFLOW_DATABASE_URL"] = app.url
        if s.county:
            os.environ["CASEFLOW_COUNTY"] = s.county
        app.close()
        uvicorn.run(
            "engine.entrypoints.web.asgi:app",
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            proxy_headers=True,
        )
