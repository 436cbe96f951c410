"""Identity fixtures for HTTP tests: the app shares the test's key store and a fake SMS port."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from idara.identity.keystore import FileKeyStore
from tests.identity_fixtures import card, registry, store

__all__ = ["card", "registry", "store"]


class FakeSms:
    """Records messages instead of sending them (the port the HTTP gateway implements)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        self.sent.append((to, text))


@pytest.fixture
def sms() -> FakeSms:
    return FakeSms()


@pytest.fixture(autouse=True)
def ports(app: FastAPI, store: FileKeyStore, sms: FakeSms) -> None:
    app.state.identity_key_store = store
    app.state.identity_sms = sms
