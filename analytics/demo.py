"""The demo's warehouse and board: the sample clip's results beside a synthetic year.

One rendered clip gives too little exposure for a board, so the demo adds a year of synthetic
results for 36 cameras and a synthetic police accident export (both clearly marked synthetic),
ending with the sample clip's week, then publishes that week's board. Fixed dates and seed: two
demo runs publish the same figures.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from analytics.board.config import BoardConfig
from analytics.board.publish import publish_week
from analytics.board.weeks import week_monday
from analytics.synthetic.cli import import_synthetic_accidents
from analytics.synthetic.generate import SyntheticSpec, write_synthetic_warehouse
from analytics.synthetic.world import build_world
from analytics.warehouse import connect, load_clip, write_catalog

DEMO_CAMERAS = 36
DEMO_WEEKS = 52
CAMPAIGN_WEEKS_BEFORE_BOARD = 20
DEMO_SEED = 20261123
DEMO_ISSUER = "示例市公安局交通管理局（演示）"
DEMO_CONTACT = "交通违法举报电话：122（演示）"
SAMPLE_INTERSECTION_NAME = "幸福路与工体北路路口"


def publish_demo_board(root: Path, clip_results: Path) -> Path:
    """Build the demo warehouse in ``root`` (replacing it) and publish the sample's week."""
    shutil.rmtree(root, ignore_errors=True)
    clip = load_clip(root, clip_results)
    week, district_site = sample_week_and_site(root, clip.clip_id)
    monday = week_monday(week)
    spec = SyntheticSpec(
        count_cameras=DEMO_CAMERAS,
        count_weeks=DEMO_WEEKS,
        first_monday=monday - timedelta(weeks=DEMO_WEEKS - 1),
        campaign_start=monday - timedelta(weeks=CAMPAIGN_WEEKS_BEFORE_BOARD),
        seed=DEMO_SEED,
    )
    write_synthetic_warehouse(root, spec)
    sites = [*build_world(DEMO_CAMERAS, DEMO_SEED).sites(), district_site]
    import_synthetic_accidents(root, sites, spec)
    config = BoardConfig(
        campaign_start=spec.campaign_start.isoformat(),
        issuer=DEMO_ISSUER,
        contact=DEMO_CONTACT,
        intersection_names={district_site[0]: SAMPLE_INTERSECTION_NAME},
    )
    folder = publish_week(root, week, config).folder
    write_catalog(root)  # so that the first `civility sql` on the demo starts at once
    return folder


def sample_week_and_site(root: Path, clip_id: str) -> tuple[str, tuple[str, str]]:
    """The local ISO week the clip was filmed in, and its (intersection, district)."""
    week, intersection_id, district = (
        connect(root)
        .sql(
            "select strftime(timezone(timezone, started_at), '%G-W%V'), intersection_id, "
            "district from fct_clips where clip_id = ?",
            params=[clip_id],
        )
        .fetchall()[0]
    )
    return week, (intersection_id, district)
