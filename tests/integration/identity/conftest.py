"""Identity fixtures for integration tests."""

from tests.identity_fixtures import card, ctx, limiter, registry, store, web_session

__all__ = ["card", "ctx", "limiter", "registry", "store", "web_session"]
