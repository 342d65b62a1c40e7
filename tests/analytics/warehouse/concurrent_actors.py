"""The three users of the warehouse, as separate processes for test_concurrency.py.

``python concurrent_actors.py ROLE WAREHOUSE [ARGS...]`` prints one JSON line of what it saw.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def pipeline(root: Path, outputs: list[str]) -> dict:
    """Loads every clip, the first one again after each (a re-processed clip), then compacts."""
    from analytics.warehouse import compact_week, load_clip

    for folder in outputs:
        load_clip(root, Path(folder))
        load_clip(root, Path(outputs[0]))
    compact_week(root, "2026-W47")
    return {"loads": 2 * len(outputs)}


def reviewer(root: Path, event_ids: list[str]) -> dict:
    """Syncs the queue as the workbench does, then confirms each event with a second reviewer
    (wrong-way rides are reviewed twice), as fast as it can."""
    from analytics.decisions.decisions import decide
    from analytics.decisions.models import DecisionChange
    from analytics.decisions.policy import load_policy
    from analytics.decisions.queue_sync import sync_from_warehouse
    from analytics.decisions.store import store_session
    from analytics.decisions.users import add_user

    sync_from_warehouse(root)
    change = DecisionChange(decision="confirmed", disposition="warning")
    with store_session(root) as conn:
        first = add_user(conn, "li.jing", "reviewer", "a long enough passphrase")
        second = add_user(conn, "wang.fang", "reviewer", "a long enough passphrase")
        for event_id in event_ids:
            for version, user in enumerate((first, second)):
                decide(
                    conn,
                    event_id,
                    change,
                    version,
                    user,
                    datetime.now(UTC),
                    load_policy(),
                    evidence="intact",
                )
    return {"decided": len(event_ids)}


def analyst(root: Path, seconds: str) -> dict:
    """Runs a whole-warehouse query again and again, with a fresh connection each time."""
    from analytics.warehouse import connect

    counts, deadline = [], time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        counts.append(
            connect(root)
            .sql(
                "select count(distinct clip_id), count(*) from fct_violations "
                "join fct_exposures using (clip_id)"
            )
            .fetchall()[0][0]
        )
    return {"queries": len(counts), "clip_counts": counts}


if __name__ == "__main__":
    role, root, *args = sys.argv[1:]
    actor = {"pipeline": pipeline, "reviewer": reviewer, "analyst": analyst}[role]
    result = actor(Path(root), args) if role != "analyst" else actor(Path(root), *args)
    print(json.dumps(result))
