"""The web_session table: one row per browser session, authenticated or not yet."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from idara.db import Base, UTCDateTime

_ID = BigInteger().with_variant(Integer(), "sqlite")


class WebSession(Base):
    """A browser session; the cookie holds a random token whose SHA-256 is stored here."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(_ID, primary_key=True, autoincrement=True)
    # Only the hash: a copy of this table does not give anyone a live cookie.
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    # A stable public identifier (OpenID Connect `sid`, logs); never the cookie value.
    sid: Mapped[str] = mapped_column(String(32), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    idle_expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    absolute_expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    subject_type: Mapped[str | None] = mapped_column(String(20))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    acr: Mapped[str | None] = mapped_column(String(20))
    amr: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    auth_time: Mapped[datetime | None] = mapped_column(UTCDateTime())
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)

    __table_args__ = (
        Index("ix_web_session_subject", "subject_type", "subject_id"),
        Index("ix_web_session_absolute_expires_at", "absolute_expires_at"),
    )
