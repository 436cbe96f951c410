"""Who acts and from where, as passed to the audit service."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ActorType(StrEnum):
    """The kinds of actor an audit event can name."""

    ANONYMOUS = "anonymous"
    CITIZEN = "citizen"
    AGENT = "agent"
    ADMIN = "admin"
    CLIENT = "client"
    SYSTEM = "system"


class Outcome(StrEnum):
    """How the action ended."""

    SUCCESS = "success"
    FAILURE = "failure"
    DENIED = "denied"


@dataclass(frozen=True, slots=True)
class AuditContext:
    """The acting party and the request it came from, built once per request or CLI run."""

    actor_type: ActorType
    actor_id: str | None = None
    ip: str | None = None
    request_id: str | None = None

    @classmethod
    def system(cls, name: str = "cli") -> AuditContext:
        """The context of a command or background job rather than a person."""
        return cls(actor_type=ActorType.SYSTEM, actor_id=name)
