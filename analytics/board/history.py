"""The history of published boards as warehouse sources: ``raw_board_entries`` and
``raw_board_withdrawals``.

Every revision's ``entries.parquet`` is one file under ``boards/week=*/rev=*/``, and a withdrawn
revision has a ``withdrawn.parquet`` beside it; the marts ``published_boards`` and
``board_revisions`` read them through these sources.
"""

from __future__ import annotations

import pyarrow as pa

ENTRIES_GLOB = "week=*/rev=*/entries.parquet"
WITHDRAWALS_GLOB = "week=*/rev=*/withdrawn.parquet"
WITHDRAWAL_SCHEMA = pa.schema(
    [
        ("board_week", pa.string()),
        ("revision", pa.int32()),
        ("withdrawn_at", pa.timestamp("us", tz="UTC")),
        ("reason", pa.string()),
    ]
)
ENTRIES_SCHEMA = pa.schema(
    [
        ("board_week", pa.string()),
        ("revision", pa.int32()),
        ("published_at", pa.timestamp("us", tz="UTC")),
        ("content_hash", pa.string()),
        ("timezone", pa.string()),
        ("is_only_confirmed", pa.bool_()),
        ("min_exposures", pa.int64()),
        ("count_clips_pending", pa.int64()),
        ("entity_kind", pa.string()),
        ("rule", pa.string()),
        ("list_name", pa.string()),
        ("rank", pa.int64()),
        ("entity_id", pa.string()),
        ("entity_label", pa.string()),
        ("district", pa.string()),
        ("count_exposures", pa.int64()),
        ("count_violations", pa.int64()),
        ("count_confirmed_violations", pa.int64()),
        ("count_pending_violations", pa.int64()),
        ("count_intersections", pa.int64()),
        ("rate_per_1000", pa.float64()),
        ("estimated_rate_per_1000", pa.float64()),
        ("estimated_rate_se_per_1000", pa.float64()),
        ("pooled_rate_per_1000", pa.float64()),
        ("prior_strength_exposures", pa.float64()),
        ("count_baseline_exposures", pa.int64()),
        ("count_baseline_violations", pa.int64()),
        ("baseline_estimated_rate_per_1000", pa.float64()),
        ("change_per_1000", pa.float64()),
        ("change_se_per_1000", pa.float64()),
        ("previous_rank", pa.int64()),
    ]
)
