"""The channels notifications leave the building by, configured per county in a TOML file
named by CASEFLOW_CHANNELS (secrets come from environment variables it names, never from
the file): SMTP e-mail (smtplib) and group-robot webhooks in the message formats of 企业微信
(WeCom) and 钉钉 (DingTalk, with its optional 加签 signature), sent with httpx. Each message
carries its delivery's idempotency key (e-mail Message-ID and header, webhook header).

    [dingan.email]
    host = "smtp.dingan.example"
    port = 587
    starttls = true
    username = "caseflow"
    password_env = "CASEFLOW_SMTP_PASSWORD"
    sender = "caseflow@dingan.example"

    [dingan.webhooks.dadui]          # a channel named "dadui"
    kind = "wecom"                   # or "dingtalk"
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"

    [dingan.users.wang]
    email = "wang@dingan.example"
    channels = ["email", "dadui"]
    kinds = ["reminder", "overdue", "digest"]   # optional; default every kind
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import smtplib
import time
import tomllib
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote_plus

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.domain.errors import CaseflowError
from engine.service.delivery import Directory, Route
from engine.service.delivery_ports import Outgoing, Sender, SendFailed

KEY_HEADER = "X-Caseflow-Idempotency-Key"


class ChannelsInvalid(CaseflowError):
    code = "CHANNELS_INVALID"

    def __init__(self, path: str, why: str) -> None:
        super().__init__(f"通知渠道配置文件 {path} 有误：{why}", file=path, reason=why)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EmailChannel(_Model):
    host: str
    port: int = Field(default=25, ge=1, le=65535)
    starttls: bool = False
    ssl: bool = False
    username: str = ""
    password_env: str = ""
    sender: str
    timeout: float = Field(default=15, gt=0, le=120)


class WebhookChannel(_Model):
    kind: Literal["wecom", "dingtalk"]
    url: str = Field(pattern=r"^https?://")
    secret_env: str = ""
    timeout: float = Field(default=10, gt=0, le=120)


class UserChannels(_Model):
    email: str = ""
    channels: list[str] = Field(default_factory=list)
    kinds: list[str] = Field(default_factory=list)


class CountyChannels(_Model):
    email: EmailChannel | None = None
    webhooks: dict[str, WebhookChannel] = Field(default_factory=dict)
    users: dict[str, UserChannels] = Field(default_factory=dict)


class SmtpSender:
    def __init__(self, config: EmailChannel) -> None:
        self.config = config

    def send(self, message: Outgoing) -> None:
        c = self.config
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = c.sender, message.address, message.subject
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = f"<{message.key}@caseflow>"
        mail[KEY_HEADER] = message.key
        mail.set_content(message.body)
        try:
            smtp_class = smtplib.SMTP_SSL if c.ssl else smtplib.SMTP
            with smtp_class(c.host, c.port, timeout=c.timeout) as smtp:
                if c.starttls:
                    smtp.starttls()
                if c.username:
                    smtp.login(c.username, os.environ.get(c.password_env, ""))
                smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(f"SMTP {c.host}:{c.port}：{exc}") from exc


def wecom_body(message: Outgoing) -> dict[str, Any]:
    text = f"**{message.subject}**\n{message.body}\n> 致：{message.recipient}"
    return {"msgtype": "markdown", "markdown": {"content": text}}


def dingtalk_body(message: Outgoing) -> dict[str, Any]:
    text = f"### {message.subject}\n\n{message.body}\n\n> 致：{message.recipient}"
    return {"msgtype": "markdown", "markdown": {"title": message.subject, "text": text}}


def dingtalk_signed(url: str, secret: str, now_ms: int | None = None) -> str:
    """The webhook URL with DingTalk's 加签: timestamp and HMAC-SHA256 of it with the secret."""
    stamp = now_ms if now_ms is not None else int(time.time() * 1000)
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


class WebhookSender:
    def __init__(self, config: WebhookChannel) -> None:
        self.config = config

    def send(self, message: Outgoing) -> None:
        c = self.config
        body = wecom_body(message) if c.kind == "wecom" else dingtalk_body(message)
        secret = os.environ.get(c.secret_env, "") if c.secret_env else ""
        url = dingtalk_signed(c.url, secret) if c.kind == "dingtalk" and secret else c.url
        try:
            response = httpx.post(
                url, json=body, headers={KEY_HEADER: message.key}, timeout=c.timeout
            )
        except httpx.HTTPError as exc:
            raise SendFailed(f"webhook：{exc}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        if response.status_code != 200 or answer.get("errcode", 0) != 0:
            raise SendFailed(f"webhook HTTP {response.status_code}：{response.text[:300]}")


def load_channels(county_id: str, path: str | None = None) -> CountyChannels:
    """The county's channels from the file (CASEFLOW_CHANNELS); none without a file."""
    where = path if path is not None else os.environ.get("CASEFLOW_CHANNELS", "")
    if not where:
        return CountyChannels()
    try:
        raw = tomllib.loads(Path(where).read_text("utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ChannelsInvalid(where, str(exc)) from exc
    try:
        found = CountyChannels.model_validate(raw.get(county_id, {}))
    except ValidationError as exc:
        raise ChannelsInvalid(where, str(exc.errors()[0]["msg"])) from exc
    for name, user in found.users.items():
        unknown = [c for c in user.channels if c != "email" and c not in found.webhooks]
        if unknown:
            raise ChannelsInvalid(where, f"用户 {name} 的渠道 {'、'.join(unknown)} 未配置")
    return found


def build(channels: CountyChannels) -> tuple[Directory, dict[str, Sender]]:
    """The directory of each user's routes and the senders, from the county's channels."""
    senders: dict[str, Sender] = {n: WebhookSender(w) for n, w in channels.webhooks.items()}
    if channels.email is not None:
        senders["email"] = SmtpSender(channels.email)
    routes: dict[str, dict[str, list[Route]]] = {}
    for name, user in channels.users.items():
        mine = [
            Route(c, user.email if c == "email" else c)
            for c in user.channels
            if c != "email" or user.email
        ]
        routes[name] = {k: mine for k in (user.kinds or ["*"])}
    return Directory(routes), senders
