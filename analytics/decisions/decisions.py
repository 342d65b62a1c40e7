"""Review decisions with optimistic concurrency, and the audit trail of every change.

A decider sends the version of the decision it saw (0: none yet). The check and the write happen
in one ``begin immediate`` transaction, so when two reviewers decide the same event the second
gets a ``DecisionConflict`` carrying the first one's decision: no update is ever lost. Who may
move a decision where (double review, disputes, overturns) is ``analytics.decisions.flow``; the
same transaction checks the event's district, its claim and the penalty schedule. No violation
is confirmed on evidence that is missing, changed or unverifiable since the warehouse loaded it.
"""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import asdict, dataclass
from datetime import datetime

from analytics.decisions.claims import refuse_if_claimed, release_claim
from analytics.decisions.flow import next_decision
from analytics.decisions.models import (
    AUDITED_FIELDS,
    Action,
    AuditEntry,
    Decision,
    DecisionChange,
    DecisionConflict,
    DecisionRefused,
)
from analytics.decisions.policy import ReviewPolicy
from analytics.decisions.store import from_text, sql, to_text, writing
from analytics.decisions.users import User, may_see_district
from analytics.warehouse.evidence import EvidenceState


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
    policy: ReviewPolicy,
    *,
    evidence: EvidenceState,
) -> Decision:
    """Store ``change`` as the event's decision if it is still at ``seen_version``, the actor
    may decide it (district, claim, stage, role), it fits the rule's penalty schedule and, for
    a confirmation, the event's evidence is intact (``evidence``: the state
    ``analytics.warehouse.evidence.check_evidence`` found its files in)."""
    if change.decision == "confirmed" and evidence != "intact":
        raise DecisionRefused(f"evidence_{evidence}", f"the evidence of {event_id} is {evidence}")
    with writing(conn):
        event = conn.execute(sql("queue", "event_scope"), {"event_id": event_id}).fetchone()
        if event is None:
            raise DecisionRefused("unknown_event", f"event {event_id} is not in the queue")
        if not may_see_district(actor, event["district"]):
            raise DecisionRefused("outside_districts", f"{actor.username} may not decide here")
        refuse_if_claimed(conn, event_id, actor, now)
        before = current_decision(conn, event_id)
        if (before.version if before else 0) != seen_version:
            raise DecisionConflict(event_id, seen_version, before)
        rule = policy.for_rule(event["rule"])
        problem = rule.fine_problem(change.disposition, change.fine_yuan)
        if problem:
            raise DecisionRefused(problem, f"{change.disposition} does not fit {event['rule']}")
        after, action = next_decision(event_id, before, change, actor, now, rule.second_review)
        row = {**asdict(after), "decided_at": to_text(now)}
        statement = "insert_decision" if before is None else "update_decision"
        conn.execute(sql("decisions", statement), row)
        for entry in audit_entries(before, after, action):
            conn.execute(sql("decisions", "insert_audit"), {"event_id": event_id, **entry})
        conn.execute(
            sql("queue", "set_review_status"),
            {"event_id": event_id, "review_status": after.review_status},
        )
        release_claim(conn, event_id, actor.username)
    return after


def audit_entries(
    before: Decision | None, after: Decision, action: Action
) -> list[dict[str, object]]:
    """One row per field whose value differs (a first decision: every field it sets)."""
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
                    "value_from": None if old is None else str(old),
                    "value_to": None if new is None else str(new),
                }
            )
    return entries


def audit_trail(conn: sqlite3.Connection, event_id: str) -> list[AuditEntry]:
    rows = conn.execute(sql("decisions", "audit_by_event"), {"event_id": event_id}).fetchall()
    return [AuditEntry(**{**dict(row), "changed_at": from_text(row["changed_at"])}) for row in rows]


def _decision(row: sqlite3.Row) -> Decision:
    return Decision(**{**dict(row), "decided_at": from_text(row["decided_at"])})


@dataclass(frozen=True)
class HistoryStep:
    """One version of a decision: who made it, how, and every audited field after it."""

    version: int
    action: Action
    changed_by: str
    changed_at: datetime
    values: dict[str, str | None]
    changes: tuple[AuditEntry, ...]


def decision_history(entries: list[AuditEntry]) -> list[HistoryStep]:
    """The audit trail (in its order) replayed version by version: what each person said."""
    state: dict[str, str | None] = dict.fromkeys(AUDITED_FIELDS)
    steps = []
    for version, group in itertools.groupby(entries, key=lambda entry: entry.version):
        changes = tuple(group)
        for entry in changes:
            state[entry.field] = entry.value_to
        first = changes[0]
        steps.append(
            HistoryStep(
                version, first.action, first.changed_by, first.changed_at, dict(state), changes
            )
        )
    return steps
