"""What a review decision is: the change a decider asks for (validated), the stored decision,
its audit entries, and why a decision was refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from analytics.decisions.policy import Disposition

Verdict = Literal["confirmed", "rejected"]
Stage = Literal["awaiting_second", "disputed", "final"]
Action = Literal["decide", "second_review", "resolve", "overturn"]
ReasonCode = Literal[
    "not_a_violation",
    "rider_not_pedestrian",
    "signal_misread",
    "duplicate",
    "bad_footage",
    "other",
]
REASON_CODES: tuple[ReasonCode, ...] = get_args(ReasonCode)
# What two reviewers must agree on, and what an overturn must change (a comment alone is not
# a change of the decision).
VERDICT_FIELDS = (
    "decision",
    "reason_code",
    "courier_platform",
    "rider_code",
    "disposition",
    "fine_yuan",
)
AUDITED_FIELDS = (
    *VERDICT_FIELDS[:4],
    "comment",
    *VERDICT_FIELDS[4:],
    "stage",
    "second_reviewed_by",
)
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
    disposition: Disposition | None = None
    fine_yuan: int | None = Field(default=None, ge=1, le=100_000)

    @field_validator(
        "reason_code", "comment", "courier_platform", "rider_code", "disposition", mode="before"
    )
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value

    @model_validator(mode="after")
    def _fits_verdict(self) -> DecisionChange:
        # Error types are codes, so that a user interface can word them in its own language.
        if self.decision == "rejected":
            if self.reason_code is None:
                raise PydanticCustomError("reason_required", "a rejection needs a reason code")
            if self.disposition is not None or self.fine_yuan is not None:
                raise PydanticCustomError(
                    "disposition_on_rejection", "a rejection takes no disposition"
                )
        else:
            if self.reason_code is not None:
                raise PydanticCustomError(
                    "reason_not_allowed", "a confirmation takes no reason code"
                )
            if self.disposition is None:
                raise PydanticCustomError(
                    "disposition_required", "a confirmation needs a disposition"
                )
        if self.disposition == "fine" and self.fine_yuan is None:
            raise PydanticCustomError("fine_required", "a fine needs its amount in yuan")
        if self.disposition != "fine" and self.fine_yuan is not None:
            raise PydanticCustomError("fine_not_allowed", "only a fine has an amount")
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
    disposition: Disposition | None
    fine_yuan: int | None
    stage: Stage
    first_reviewed_by: str | None
    second_reviewed_by: str | None
    decided_by: str
    decided_at: datetime
    version: int

    @property
    def review_status(self) -> str:
        """The queue's status: the verdict once final, else the stage it waits in."""
        return self.decision if self.stage == "final" else self.stage


@dataclass(frozen=True)
class AuditEntry:
    version: int
    action: Action
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
