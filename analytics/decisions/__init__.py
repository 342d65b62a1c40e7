"""The review decision store: ``WAREHOUSE/review/review.sqlite`` (users, sessions, decisions with
versions, audit trail, and the indexed queue of events to review). See docs/review.md."""

from analytics.decisions.decisions import (
    REASON_CODES,
    Decision,
    DecisionChange,
    DecisionConflict,
    DecisionRefused,
    audit_trail,
    current_decision,
    decide,
)
from analytics.decisions.export import DECISIONS_SCHEMA, current_decisions
from analytics.decisions.queue_filter import QueueQuery
from analytics.decisions.queue_sync import SyncReport, sync_from_warehouse, sync_queue
from analytics.decisions.store import open_store, store_path, store_session
from analytics.decisions.users import ROLES, User, add_user, authenticate

__all__ = [
    "DECISIONS_SCHEMA",
    "REASON_CODES",
    "ROLES",
    "Decision",
    "DecisionChange",
    "DecisionConflict",
    "DecisionRefused",
    "QueueQuery",
    "SyncReport",
    "User",
    "add_user",
    "audit_trail",
    "authenticate",
    "current_decision",
    "current_decisions",
    "decide",
    "open_store",
    "store_path",
    "store_session",
    "sync_from_warehouse",
    "sync_queue",
]
