"""Notifications leave the building: through a local SMTP server (aiosmtpd) and a local
HTTP webhook receiver started by the test, on SQLite and PostgreSQL — delivered once,
retried with back-off after a failure, dead-lettered after the limit and shown to the
admin, sent again when a worker died mid-delivery (at least once, same idempotency key)."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from engine.adapters import channels
from engine.adapters.clock import FixedClock
from engine.bootstrap import App
from engine.service.delivery import LEASE, MAX_ATTEMPTS, NotificationDelivery, backoff
from engine.service.delivery_ports import DeliveryStatus


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class Receiver:
    """A webhook receiver: answers each POST with the next status (200 once they run out)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.requests.append((self.path, dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                answer = {"errcode": 0 if status == 200 else 500, "errmsg": "ok"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=test"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), _port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def delivery(
    staffed: App, mailbox: tuple[Mailbox, int], receiver: Receiver, tmp_path: Path
) -> NotificationDelivery:
    config = tmp_path / "channels.toml"
    config.write_text(
        f"""
[dingan.email]
host = "127.0.0.1"
port = {mailbox[1]}
sender = "caseflow@dingan.example"

[dingan.webhooks.dadui]
kind = "wecom"
url = "{receiver.url}"

[dingan.webhooks.ding]
kind = "dingtalk"
url = "{receiver.url}"
secret_env = "CASEFLOW_TEST_DING_SECRET"

[dingan.users.wang]
email = "wang@dingan.example"
channels = ["email", "dadui"]

[dingan.users.chen]
channels = ["ding"]
kinds = ["digest"]
""",
        "utf-8",
    )
    directory, senders = channels.build(channels.load_channels("dingan", str(config)))
    return NotificationDelivery(staffed.context, directory, senders)


def _notify(app: App, recipient: str, kind: str = "reminder") -> None:
    with app.context.uow() as uow:
        uow.notifications.add(
            recipients=[recipient],
            kind=kind,
            subject="WA2026-0001 限期支付期限将届满",
            body="限期支付期限（2026-03-23 24:00）还剩 2 日，请督促当事人履行。",
            at=app.clock.now(),
        )
        uow.commit()


def test_delivered_once_by_mail_and_webhook(
    staffed: App, delivery: NotificationDelivery, mailbox: tuple[Mailbox, int], receiver: Receiver
) -> None:
    _notify(staffed, "wang")
    _notify(staffed, "chen", "reminder")  # chen takes only digests: nothing to send
    run = delivery.deliver()
    assert (run.planned, run.sent, run.failed) == (2, 2, 0)
    [mail] = mailbox[0].messages
    assert mail["To"] == "wang@dingan.example" and "限期支付" in mail["Subject"]
    assert mail["Message-ID"].startswith("<caseflow-") and mail[channels.KEY_HEADER]
    [(_, headers, body)] = receiver.requests
    assert body["msgtype"] == "markdown" and "致：wang" in body["markdown"]["content"]
    assert headers[channels.KEY_HEADER].endswith("-dadui")
    assert delivery.deliver().sent == 0  # nothing twice
    assert len(mailbox[0].messages) == 1 and len(receiver.requests) == 1
    [n, _] = staffed.notifications.list()
    assert n.delivered_at is not None


def test_retried_with_back_off_after_a_failure(
    staffed: App, delivery: NotificationDelivery, receiver: Receiver, clock: FixedClock
) -> None:
    receiver.statuses = [500]
    _notify(staffed, "wang")
    first = delivery.deliver()
    assert (first.sent, first.failed) == (1, 1)  # the mail went, the webhook failed
    assert delivery.deliver().sent == 0  # not before its back-off
    clock.set(clock.now() + backoff(1))
    assert delivery.deliver().sent == 1
    keys = [h[channels.KEY_HEADER] for _, h, _ in receiver.requests]
    assert len(keys) == 2 and keys[0] == keys[1]  # the same idempotency key each attempt


def test_dead_lettered_after_the_limit(
    staffed: App, delivery: NotificationDelivery, receiver: Receiver, clock: FixedClock
) -> None:
    receiver.statuses = [500] * (MAX_ATTEMPTS + 2)
    _notify(staffed, "wang")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        delivery.deliver()
        clock.set(clock.now() + backoff(attempt))
    assert len(receiver.requests) == MAX_ATTEMPTS
    delivery.deliver()
    assert len(receiver.requests) == MAX_ATTEMPTS  # dead: no further attempt
    [dead] = delivery.deliveries(actor="admin", status=DeliveryStatus.DEAD)
    assert dead.channel == "dadui" and dead.attempts == MAX_ATTEMPTS and "500" in dead.last_error
    assert delivery.retry(dead.id, actor="admin")
    receiver.statuses = []
    assert delivery.deliver().sent == 1


def test_a_worker_that_died_mid_delivery_is_relieved(
    staffed: App, delivery: NotificationDelivery, mailbox: tuple[Mailbox, int], clock: FixedClock
) -> None:
    _notify(staffed, "wang")
    delivery.plan()
    with staffed.context.uow() as uow:  # a worker claims both deliveries, then dies
        uow.deliveries.claim(clock.now(), clock.now() + LEASE, 10)
        uow.commit()
    assert delivery.deliver().sent == 0  # leased to the dead worker
    clock.set(clock.now() + LEASE + timedelta(seconds=1))
    assert delivery.deliver().sent == 2


def test_dingtalk_format_and_signature(
    staffed: App,
    delivery: NotificationDelivery,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CASEFLOW_TEST_DING_SECRET", "SECtest")
    _notify(staffed, "chen", "digest")
    assert delivery.deliver().sent == 1
    [(path, _, body)] = receiver.requests
    assert body["markdown"]["title"].startswith("WA2026-0001") and "timestamp=" in path
    assert "sign=" in path
    signed = channels.dingtalk_signed("https://x/send?key=k", "SECtest", 1700000000000)
    assert signed.startswith("https://x/send?key=k&timestamp=1700000000000&sign=")


def test_a_wrong_channels_file_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "channels.toml"
    config.write_text('[dingan.users.wang]\nchannels = ["nowhere"]\n', "utf-8")
    with pytest.raises(channels.ChannelsInvalid, match="nowhere"):
        channels.load_channels("dingan", str(config))
    config.write_text('[dingan.webhooks.x]\nkind = "telegram"\nurl = "http://x"\n', "utf-8")
    with pytest.raises(channels.ChannelsInvalid):
        channels.load_channels("dingan", str(config))


def test_the_admin_sees_the_dead_letters(
    staffed: App, delivery: NotificationDelivery, receiver: Receiver, clock: FixedClock
) -> None:
    import re

    from fastapi.testclient import TestClient

    from engine.entrypoints.web.app import create_app

    receiver.statuses = [500] * MAX_ATTEMPTS
    _notify(staffed, "wang")
    for attempt in range(1, MAX_ATTEMPTS + 1):
        delivery.deliver()
        clock.set(clock.now() + backoff(attempt))
    staffed.delivery = delivery
    staffed.users.reset_password(
        "admin", actor="admin", password="adminpass2026", must_change=False
    )
    with TestClient(create_app(staffed)) as client:
        login = client.get("/login")
        token = re.search(r'name="login_token" value="([^"]+)"', login.text)
        assert token is not None
        client.post(
            "/login",
            data={"username": "admin", "password": "adminpass2026", "login_token": token.group(1)},
        )
        page = client.get("/admin/deliveries?status=dead")
        assert page.status_code == 200 and "发送失败（已停止重试）" in page.text
        assert "dadui" in page.text and "webhook HTTP 500" in page.text
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert csrf is not None
        [dead] = delivery.deliveries(actor="admin", status=DeliveryStatus.DEAD)
        again = client.post(
            f"/admin/deliveries/{dead.id}/retry", data={"csrf_token": csrf.group(1)}
        )
        assert "已重新安排发送" in again.text
    assert delivery.deliveries(actor="admin", status=DeliveryStatus.DEAD) == []


def test_caseflow_delivery_send_and_list(
    staffed: App,
    delivery: NotificationDelivery,
    mailbox: tuple[Mailbox, int],
    receiver: Receiver,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from engine.entrypoints.cli import app as cli_app

    monkeypatch.setenv("CASEFLOW_CHANNELS", str(tmp_path / "channels.toml"))
    _notify(staffed, "wang")
    base = ["--db", db_url, "--county", "dingan", "--as", "admin", "delivery"]
    sent = CliRunner().invoke(cli_app, [*base, "send", "--json"])
    assert sent.exit_code == 0, sent.output
    assert json.loads(sent.stdout)["sent"] == 2 and len(mailbox[0].messages) == 1
    listed = CliRunner().invoke(cli_app, [*base, "list", "--status", "sent", "--json"])
    assert {d["channel"] for d in json.loads(listed.stdout)} == {"email", "dadui"}
    wrong = CliRunner().invoke(cli_app, [*base, "retry", "1"])
    assert wrong.exit_code == 2 and "不是已停止重试的通知" in wrong.output
