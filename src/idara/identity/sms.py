"""The SMS port: an HTTP SMS gateway in production, an outbox file in development."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import httpx

from idara.settings import Settings

log = logging.getLogger(__name__)


class SmsError(RuntimeError):
    """The message could not be handed to the SMS gateway."""


class SmsSender(Protocol):
    """Sends a short text message to a phone number."""

    def send(self, *, to: str, text: str) -> None:
        """Hand the message over for delivery; raises SmsError when that fails."""
        ...


class OutboxSmsSender:
    """Development stand-in: appends each message to a JSON-lines file the demo shows."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        log.warning("SMS messages go to the development outbox %s, not to phones", path)

    def send(self, *, to: str, text: str) -> None:
        """Append the message to the outbox."""
        line = json.dumps({"at": datetime.now(UTC).isoformat(), "to": to, "text": text})
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")

    def messages(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest messages first."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()[-limit:]
        return [json.loads(line) for line in reversed(lines)]


class HttpSmsSender:
    """Posts {"to", "text"} as JSON to an SMS gateway, with a bearer token."""

    def __init__(self, url: str, token: str | None, *, timeout_s: float = 5.0) -> None:
        self._url = url
        self._headers = {"authorization": f"Bearer {token}"} if token else {}
        self._timeout = timeout_s

    def send(self, *, to: str, text: str) -> None:
        """Post the message; any transport error or non-2xx answer is an SmsError."""
        try:
            response = httpx.post(
                self._url,
                json={"to": to, "text": text},
                headers=self._headers,
                timeout=self._timeout,
            )
        except httpx.HTTPError as exc:
            raise SmsError("SMS gateway unreachable") from exc
        if response.status_code >= 300:
            raise SmsError(f"SMS gateway answered {response.status_code}")


def outbox_path(settings: Settings) -> Path:
    """Where the development outbox lives."""
    return settings.data_dir / "sms-outbox.jsonl"


def make_sender(settings: Settings) -> SmsSender:
    """The sender the settings choose (the outbox is refused outside development)."""
    sms = settings.identity.sms
    if sms.backend == "http":
        assert sms.url is not None  # Settings refuse the http backend without a URL
        return HttpSmsSender(sms.url, sms.token.get_secret_value() if sms.token else None)
    return OutboxSmsSender(outbox_path(settings))
