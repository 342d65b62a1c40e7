"""Synthetic review decisions for the demo warehouse, clearly marked as such: a fixed share of
each week's synthetic events decided by two synthetic reviewers, with dispositions and fines
drawn from the review policy's penalty schedule (``analytics.decisions.policy``: the shipped
one, or ``$CIVILITY_REVIEW_POLICY``'s, so that a changed schedule shows in the demo), and rider
codes (一人一码) drawn from small pools, so that some riders repeat. A confirmed-only board
then has figures, and ``civility cases export`` has cases.

Deterministic: the events are chosen by a digest of their id and the outcomes drawn from a
seeded generator, so two demo runs write the same decisions. Events with evidence (the sample
clip's) are left pending for a person to review in the workbench.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np

from analytics.decisions.decisions import audit_entries
from analytics.decisions.flow import next_decision
from analytics.decisions.models import REASON_CODES, DecisionChange
from analytics.decisions.policy import Disposition, FineRange, ReviewPolicy, RulePolicy, load_policy
from analytics.decisions.store import sql, store_session, to_text, writing
from analytics.decisions.users import User

REVIEWERS = (User(-1, "合成审核员甲", "reviewer"), User(-2, "合成审核员乙", "reviewer"))
COMMENT = "合成演示数据"
SHARE_PER_MILLE = 32  # of each week's synthetic events, decided
CONFIRMED_SHARE = 0.85
# Of the confirmations, those where the reviewer keeps the disposition the form presets (the
# rule's default_disposition); the others pick evenly among the rest the rule allows.
PRESET_KEPT_SHARE = 0.5
RIDERS_PER_PLATFORM = 2000  # a week has ~70 cases per platform: a few riders repeat
RIDER_PREFIXES = {"meituan": "MT", "eleme": "ELM", "jd": "JD", "shansong": "SS"}
REJECTION_REASONS = tuple(code for code in REASON_CODES if code != "other")

# Events of the synthetic generator, chosen by the digest of their id.
CHOSEN_EVENTS = f"""
select event_id, rule, detected_platform, occurred_at
from fct_violations
where evidence_path is null and occurred_at is not null
    and md5_number(event_id) % 1000 < {SHARE_PER_MILLE}
order by event_id
"""


@dataclass(frozen=True)
class SyntheticDecisions:
    count_decided: int
    count_confirmed: int


def write_synthetic_decisions(
    root: Path, seed: int, policy: ReviewPolicy | None = None
) -> SyntheticDecisions:
    """Decide a share of the warehouse's synthetic events in its review store (a new store,
    as the demo builds it: an event decided already is an error), on ``policy`` (default: the
    one the workbench loads)."""
    from analytics.warehouse import connect

    events = connect(Path(root)).sql(CHOSEN_EVENTS).fetchall()
    rng = np.random.default_rng([seed, 7])
    policy = policy or load_policy()
    decisions, audit = [], []
    for event_id, rule, platform, occurred_at in events:
        change = _change(rng, policy.for_rule(rule), platform)
        decided_at = occurred_at + timedelta(hours=float(rng.uniform(2, 60)))
        double = policy.for_rule(rule).second_review and change.decision == "confirmed"
        before = None
        for reviewer in REVIEWERS[: 2 if double else 1]:
            after, action = next_decision(event_id, before, change, reviewer, decided_at, double)
            audit += [
                {"event_id": event_id, **entry} for entry in audit_entries(before, after, action)
            ]
            before = after
        decisions.append({**asdict(before), "decided_at": to_text(before.decided_at)})
    with store_session(root) as conn, writing(conn):
        conn.executemany(sql("decisions", "insert_decision"), decisions)
        conn.executemany(sql("decisions", "insert_audit"), audit)
    confirmed = sum(row["decision"] == "confirmed" for row in decisions)
    return SyntheticDecisions(len(decisions), confirmed)


def _change(rng: np.random.Generator, schedule: RulePolicy, platform: str | None) -> DecisionChange:
    if rng.random() >= CONFIRMED_SHARE:
        reason = REJECTION_REASONS[rng.integers(len(REJECTION_REASONS))]
        return DecisionChange(decision="rejected", reason_code=reason, comment=COMMENT)
    disposition = _disposition(rng, schedule)
    rider = None
    if platform is not None:
        prefix = RIDER_PREFIXES.get(platform, platform[:2].upper())
        rider = f"{prefix}-SYN-{rng.integers(RIDERS_PER_PLATFORM):04d}"
    return DecisionChange(
        decision="confirmed",
        disposition=disposition,
        fine_yuan=_fine_yuan(rng, schedule.fine_yuan) if disposition == "fine" else None,
        rider_code=rider,
        comment=COMMENT,
    )


def _disposition(rng: np.random.Generator, schedule: RulePolicy) -> Disposition:
    others = [d for d in schedule.dispositions if d != schedule.default_disposition]
    if not others or rng.random() < PRESET_KEPT_SHARE:
        return schedule.default_disposition
    return others[rng.integers(len(others))]


def _fine_yuan(rng: np.random.Generator, fines: FineRange | None) -> int:
    """The schedule's default amount half the time, else its lowest or its highest."""
    assert fines is not None  # the policy requires a range wherever 'fine' is allowed
    return int(rng.choice((fines.default, fines.default, fines.min, fines.max)))
