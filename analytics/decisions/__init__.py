"""The review decision store: ``WAREHOUSE/review/review.sqlite`` (users, sessions, decisions with
versions and double review, claims, audit trail, security log, and the indexed queue of events
to review), and the review policy (penalty schedule). See docs/review.md."""

from analytics.decisions.decisions import audit_trail, current_decision, decide, decision_history
from analytics.decisions.export import DECISIONS_SCHEMA, current_decisions
from analytics.decisions.models import (
    REASON_CODES,
    Decision,
    DecisionChange,
    DecisionConflict,
    DecisionRefused,
)
from analytics.decisions.policy import DISPOSITIONS, ReviewPolicy, load_policy
from analytics.decisions.queue_filter import QueueQuery
from analytics.decisions.queue_sync import SyncReport, sync_from_warehouse, sync_queue
from analytics.decisions.store import open_store, store_path, store_session
from analytics.decisions.users import ROLES, User, add_user, authenticate

__all__ = [
    "DECISIONS_SCHEMA",
    "DISPOSITIONS",
    "REASON_CODES",
    "ROLES",
    "Decision",
    "DecisionChange",
    "DecisionConflict",
    "DecisionRefused",
    "QueueQuery",
    "ReviewPolicy",
    "SyncReport",
    "User",
    "add_user",
    "audit_trail",
    "authenticate",
    "current_decision",
    "current_decisions",
    "decide",
    "decision_history",
    "load_policy",
    "open_store",
    "store_path",
    "store_session",
    "sync_from_warehouse",
    "sync_queue",
]
