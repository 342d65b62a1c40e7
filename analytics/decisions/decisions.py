"""Review decisions with optimistic concurrency, and the audit trail of every change.

A decider sends the version of the decision it saw (0: none yet). The check and the write happen
in one ``begin immediate`` transaction, so when two reviewers decide the same event the second
gets a ``DecisionConflict`` carrying the first one's decision: no update is ever lost. Changing
an existing decision is an overturn, which only a supervisor (or admin) may do, with a comment.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from analytics.decisions.store import from_text, sql, to_text, writing
from analytics.decisions.users import User, has_role

Verdict = Literal["confirmed", "rejected"]
ReasonCode = Literal[
    "not_a_violation",
    "rider_not_pedestrian",
    "signal_misread",
    "duplicate",
    "bad_footage",
    "other",
]
REASON_CODES: tuple[ReasonCode, ...] = get_args(ReasonCode)
AUDITED_FIELDS = ("decision", "reason_code", "comment", "courier_platform", "rider_code")
RIDER_CODE_PATTERN = r"^[A-Za-z0-9-]{1,32}$"  # 一人一码: the courier's personal code
NO_PLATFORM = "none"  # the reviewer's word that the road user is no courier


class DecisionChange(BaseModel):
    """What a decider sets; blank text counts as not given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    decision: Verdict
    reason_code: ReasonCode | None = None
    comment: str | None = Field(default=None, max_length=1000)
    courier_platform: str | None = Field(default=None, pattern=r"^[a-z0-9_]{1,40}$")
    rider_code: str | None = Field(default=None, pattern=RIDER_CODE_PATTERN)

    @field_validator("reason_code", "comment", "courier_platform", "rider_code", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    @model_validator(mode="after")
    def _reason_fits_verdict(self) -> DecisionChange:
        # Error types are codes, so that a user interface can word them in its own language.
        if self.decision == "rejected" and self.reason_code is None:
            raise PydanticCustomError("reason_required", "a rejection needs a reason code")
        if self.decision == "confirmed" and self.reason_code is not None:
            raise PydanticCustomError("reason_not_allowed", "a confirmation takes no reason code")
        if self.reason_code == "other" and self.comment is None:
            raise PydanticCustomError("comment_required", "reason 'other' needs a comment")
        return self


@dataclass(frozen=True)
class Decision:
    event_id: str
    decision: Verdict
    reason_code: ReasonCode | None
    comment: str | None
    courier_platform: str | None
    rider_code: str | None
    decided_by: str
    decided_at: datetime
    version: int


@dataclass(frozen=True)
class AuditEntry:
    version: int
    action: Literal["decide", "overturn"]
    changed_by: str
    changed_at: datetime
    field: str
    value_from: str | None
    value_to: str | None


class DecisionRefused(Exception):
    """The decision was not stored; ``code`` says why in a word a user interface can translate."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


class DecisionConflict(DecisionRefused):
    """Someone else decided the event after the decider loaded it."""

    def __init__(self, event_id: str, seen_version: int, current: Decision | None):
        self.event_id, self.seen_version, self.current = event_id, seen_version, current
        now = current.version if current else 0
        super().__init__("conflict", f"event {event_id}: at version {now}, not {seen_version}")


def current_decision(conn: sqlite3.Connection, event_id: str) -> Decision | None:
    row = conn.execute(sql("decisions", "decision_by_event"), {"event_id": event_id}).fetchone()
    return None if row is None else _decision(row)


def decide(
    conn: sqlite3.Connection,
    event_id: str,
    change: DecisionChange,
    seen_version: int,
    actor: User,
    now: datetime,
) -> Decision:
    """Store ``change`` as the event's decision if it is still at ``seen_version``."""
    with writing(conn):
        before = current_decision(conn, event_id)
        if (before.version if before else 0) != seen_version:
            raise DecisionConflict(event_id, seen_version, before)
        _check_overturn(before, change, actor)
        after = Decision(
            event_id=event_id,
            **change.model_dump(),
            decided_by=actor.username,
            decided_at=now,
            version=seen_version + 1,
        )
        row = {**after.__dict__, "decided_at": to_text(now)}
        statement = "insert_decision" if before is None else "update_decision"
        conn.execute(sql("decisions", statement), row)
        for entry in audit_entries(before, after):
            conn.execute(sql("decisions", "insert_audit"), {"event_id": event_id, **entry})
        conn.execute(
            sql("queue", "set_review_status"),
            {"event_id": event_id, "review_status": after.decision},
        )
    return after


def _check_overturn(before: Decision | None, change: DecisionChange, actor: User) -> None:
    if before is None:
        return
    if not has_role(actor, "supervisor"):
        raise DecisionRefused("overturn_not_permitted", "only a supervisor may overturn")
    if change.comment is None:
        raise DecisionRefused("overturn_needs_comment", "an overturn needs a comment saying why")
    if all(getattr(before, name) == getattr(change, name) for name in AUDITED_FIELDS):
        raise DecisionRefused("nothing_changed", "the overturn would change nothing")


def audit_entries(before: Decision | None, after: Decision) -> list[dict[str, object]]:
    """One row per field whose value differs (a first decision: every field it sets)."""
    action = "decide" if before is None else "overturn"
    entries = []
    for name in AUDITED_FIELDS:
        old = getattr(before, name) if before else None
        new = getattr(after, name)
        if old != new:
            entries.append(
                {
                    "version": after.version,
                    "action": action,
                    "changed_by": after.decided_by,
                    "changed_at": to_text(after.decided_at),
                    "field": name,
                    "value_from": old,
                    "value_to": new,
                }
            )
    return entries


def audit_trail(conn: sqlite3.Connection, event_id: str) -> list[AuditEntry]:
    rows = conn.execute(sql("decisions", "audit_by_event"), {"event_id": event_id}).fetchall()
    return [AuditEntry(**{**dict(row), "changed_at": from_text(row["changed_at"])}) for row in rows]


def _decision(row: sqlite3.Row) -> Decision:
    return Decision(**{**dict(row), "decided_at": from_text(row["decided_at"])})
