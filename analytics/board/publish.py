"""Publishing a week's board: read its figures from the warehouse, write a new revision."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from analytics.board.config import BoardConfig
from analytics.board.data import BoardData, campaign_figures, read_board
from analytics.board.queries import board_connection, snapshot_weekly_counts
from analytics.board.render import write_board_files
from analytics.board.revisions import publish_revision
from analytics.board.weeks import last_complete_week


def publish_week(
    root: Path,
    week: str | None = None,
    config: BoardConfig | None = None,
    count_clips_pending: int = 0,
) -> Path:
    """Publish the board of ``week`` (default: the last complete ISO week in the board's
    timezone) as the next revision; returns its folder ``boards/week=W/rev=NNN``. A board
    published while ``count_clips_pending`` of the week's clips still wait for analysis says so
    on every page and in ``published_boards``."""
    root = Path(root)
    config = config or BoardConfig()
    week = week or last_complete_week(config.timezone)
    data = board_data(root, week, config)
    pending = replace(data.coverage, count_clips_pending=count_clips_pending)
    return write_board(root, replace(data, coverage=pending))


def board_data(root: Path, week: str, config: BoardConfig) -> BoardData:
    """The data part of publishing: every figure of the board, from the warehouse."""
    con = board_connection(root, week, config)
    snapshot_weekly_counts(con)
    return read_board(con, week, config, campaign_figures(root, week, config))


def write_board(root: Path, data: BoardData) -> Path:
    """The rendering part of publishing: the board's files, as a new revision."""
    published_at = datetime.now(UTC)
    return publish_revision(
        root,
        data.week,
        lambda folder, revision: write_board_files(data, revision, published_at, folder),
    )
