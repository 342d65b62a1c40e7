"""Where a decision may go next, and who may move it: first review, double review (双人复核),
disputes for a supervisor, overturns. Pure: the caller stores what this returns.

- A first decision is final, except a confirmation of a rule that needs a second reviewer:
  it waits (``awaiting_second``) and counts as pending meanwhile.
- The second reviewer must be someone else. Agreeing on every verdict field makes it final;
  anything else (a rejection, another disposition, amount, platform or rider code) is a
  dispute, which a supervisor who was neither reviewer resolves.
- A final decision changes only by a supervisor's overturn, with a comment and an actual
  change. An overturn from rejected to confirmed of a double-review rule waits for a second
  reviewer like any other single confirmation.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from analytics.decisions.models import (
    VERDICT_FIELDS,
    Action,
    Decision,
    DecisionChange,
    DecisionRefused,
    Stage,
)
from analytics.decisions.users import User, has_role


def next_decision(
    event_id: str,
    before: Decision | None,
    change: DecisionChange,
    actor: User,
    now: datetime,
    needs_second_review: bool,
) -> tuple[Decision, Action]:
    """The decision after ``actor`` asks for ``change``, and what kind of act it was."""
    refused = refusal(before, actor)
    if refused is not None:
        raise refused
    action = next_action(before)
    if before is None:
        stage = _stage_of_single(change, needs_second_review)
        return _made(event_id, change, actor, now, 1, stage, actor.username, None), action
    if action == "second_review":
        return _second_review(before, change, actor, now), action
    if action == "resolve":
        return _following(before, change, actor, now, "final"), action
    return _overturn(before, change, actor, now, needs_second_review), action


def next_action(decision: Decision | None) -> Action:
    """What the next act on an event at ``decision`` is: a first decision, a second review, a
    ruling on a dispute or an overturn."""
    if decision is None:
        return "decide"
    return {"awaiting_second": "second_review", "disputed": "resolve"}.get(
        decision.stage, "overturn"
    )


def refusal(decision: Decision | None, actor: User) -> DecisionRefused | None:
    """Why ``actor`` may not make the next act on an event at ``decision`` (None: they may)."""
    if decision is None:
        return None
    action = next_action(decision)
    if action == "second_review" and actor.username == decision.first_reviewed_by:
        return DecisionRefused(
            "second_review_same_user", "the second review must be made by another reviewer"
        )
    if action == "resolve" and not has_role(actor, "supervisor"):
        return DecisionRefused("dispute_needs_supervisor", "a dispute is resolved by a supervisor")
    if action == "resolve" and actor.username in _reviewers(decision):
        return DecisionRefused(
            "dispute_needs_third_person", "neither reviewer of a dispute may resolve it"
        )
    if action == "overturn" and not has_role(actor, "supervisor"):
        return DecisionRefused("overturn_not_permitted", "only a supervisor may overturn")
    return None


def agrees(before: Decision, change: DecisionChange) -> bool:
    return all(getattr(before, name) == getattr(change, name) for name in VERDICT_FIELDS)


def _second_review(
    before: Decision, change: DecisionChange, actor: User, now: datetime
) -> Decision:
    if agrees(before, change):
        return replace(
            before,
            comment=change.comment or before.comment,
            stage="final",
            second_reviewed_by=actor.username,
            decided_by=actor.username,
            decided_at=now,
            version=before.version + 1,
        )
    return _following(before, change, actor, now, "disputed", second=actor.username)


def _overturn(
    before: Decision, change: DecisionChange, actor: User, now: datetime, needs_second: bool
) -> Decision:
    if change.comment is None:
        raise DecisionRefused("overturn_needs_comment", "an overturn needs a comment saying why")
    if agrees(before, change):
        raise DecisionRefused("nothing_changed", "the overturn would change nothing")
    if before.decision == "rejected" and _stage_of_single(change, needs_second) != "final":
        # One person's confirmation again: it waits for a second reviewer.
        return _following(
            before, change, actor, now, "awaiting_second", first=actor.username, second=None
        )
    return _following(before, change, actor, now, "final")


def _stage_of_single(change: DecisionChange, needs_second_review: bool) -> Stage:
    """The stage of a decision only one person has made so far."""
    if change.decision == "confirmed" and needs_second_review:
        return "awaiting_second"
    return "final"


def _reviewers(decision: Decision) -> set[str | None]:
    return {decision.first_reviewed_by, decision.second_reviewed_by}


_KEEP = object()  # a reviewer field that stays as it was


def _following(
    before: Decision,
    change: DecisionChange,
    actor: User,
    now: datetime,
    stage: Stage,
    first: object = _KEEP,
    second: object = _KEEP,
) -> Decision:
    """The next version of ``before``: ``actor``'s change, in ``stage``."""
    return _made(
        before.event_id,
        change,
        actor,
        now,
        before.version + 1,
        stage,
        before.first_reviewed_by if first is _KEEP else first,  # type: ignore[arg-type]
        before.second_reviewed_by if second is _KEEP else second,  # type: ignore[arg-type]
    )


def _made(
    event_id: str,
    change: DecisionChange,
    actor: User,
    now: datetime,
    version: int,
    stage: Stage,
    first_reviewed_by: str | None,
    second_reviewed_by: str | None,
) -> Decision:
    return Decision(
        event_id=event_id,
        **change.model_dump(),
        stage=stage,
        first_reviewed_by=first_reviewed_by,
        second_reviewed_by=second_reviewed_by,
        decided_by=actor.username,
        decided_at=now,
        version=version,
    )
