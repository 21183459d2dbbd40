"""The JSON API on the SQL store (SQLite and PostgreSQL): tokens created with
`caseflow token`, stored hashed, used, revoked; idempotency keys in their table."""

from __future__ import annotations

import json

import sqlalchemy as sa
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from engine.bootstrap import App
from engine.entrypoints.cli import app as cli_app
from engine.entrypoints.web.app import create_app
from tests.shared import CONTRACTOR

runner = CliRunner()

NEW_CASE = {
    "procedure": "wage_arrears",
    "subject": {"name": CONTRACTOR.name, "address": CONTRACTOR.address, "uscc": CONTRACTOR.uscc},
    "source": "投诉",
}


def _cli(db_url: str, *args: str) -> dict[str, object] | list[object]:
    result = runner.invoke(cli_app, ["--db", db_url, "--as", "admin", *args, "--json"])
    assert result.exit_code == 0, result.output
    parsed: dict[str, object] | list[object] = json.loads(result.output)
    return parsed


def test_tokens_and_idempotent_opening_on_the_database(staffed: App, db_url: str) -> None:
    created = _cli(db_url, "token", "create", "wang", "--label", "线索平台对接")
    assert isinstance(created, dict)
    token = str(created["token"])
    with staffed.db.connect() as conn:
        stored = conn.execute(sa.text("SELECT token_hash, prefix FROM api_tokens")).all()
    assert [len(h) for h, _ in stored] == [64] and token not in stored[0][0]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "clue-20260302-001"}
    with TestClient(create_app(staffed)) as client:
        first = client.post("/api/v1/cases", json=NEW_CASE, headers=headers)
        again = client.post("/api/v1/cases", json=NEW_CASE, headers=headers)
        assert first.status_code == again.status_code == 201
        assert first.json()["ref"] == again.json()["ref"]
        assert staffed.queries.search().total == 1
        listed = _cli(db_url, "token", "list", "--user", "wang")
        assert isinstance(listed, list) and listed[0]["last_used_at"]  # type: ignore[index]
        _cli(db_url, "token", "revoke", str(created["id"]))
        assert client.get("/api/v1/me", headers=headers).status_code == 401
