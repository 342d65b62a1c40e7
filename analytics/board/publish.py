"""Publishing a week's board: read its figures from the warehouse, write a new revision.

A board goes out only when there is something honest to show. Unless forced, a week that has
not ended, a week without analysed clips and a week whose cameras were too little covered are
refused (``PublishRefused``, with the reason a scheduler can act on); a board whose figures equal
the week's current revision is not published again (``PublishOutcome.unchanged``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from analytics.board.config import BoardConfig
from analytics.board.data import (
    BoardData,
    accident_figures,
    campaign_figures,
    correlation_window,
    read_board,
)
from analytics.board.queries import board_connection, snapshot_weekly_counts
from analytics.board.render import write_board_files
from analytics.board.revisions import BoardRevision, current_revision, publish_revision
from analytics.board.site import refresh_site
from analytics.board.weeks import chinese_date_range, last_complete_week, week_monday
from detectors.config.errors import InputError

RefusalReason = Literal["future_week", "week_not_over", "no_clips", "below_coverage"]


class PublishRefused(InputError):
    """The board was not published; ``reason`` says why (``--force`` publishes it anyway)."""

    def __init__(self, reason: RefusalReason, chinese: str, detail: str):
        self.reason = reason
        super().__init__(f"{chinese}（{detail}; --force publishes it anyway）")


@dataclass(frozen=True)
class PublishOutcome:
    folder: Path  # boards/week=W/rev=NNN
    revision: int
    unchanged: bool  # the figures equal the current revision's, which is returned: nothing written


def publish_week(
    root: Path,
    week: str | None = None,
    config: BoardConfig | None = None,
    force: bool = False,
    *,
    count_clips_pending: int = 0,
    now: datetime | None = None,
) -> PublishOutcome:
    """Publish the board of ``week`` (default: the last complete ISO week in the board's
    timezone) as the next revision. Without ``config`` the week's current revision's config is
    used again, else the defaults. A board published while ``count_clips_pending`` of the week's
    clips still wait for analysis says so on every page and in ``published_boards``.

    Raises ``PublishRefused`` for a week not over, without analysed clips, or below the
    config's coverage, unless ``force``."""
    root = Path(root)
    now = now or datetime.now(UTC)
    week = week or last_complete_week((config or BoardConfig()).timezone, now)
    previous = current_revision(root, week)
    config = config or previous_config(previous) or BoardConfig()
    if not force:
        refuse_unfinished_week(week, config, now)
    data = board_data(root, week, config)
    data = replace(data, coverage=replace(data.coverage, count_clips_pending=count_clips_pending))
    if not force:
        refuse_thin_coverage(data)
    if previous and previous.content_hash == data.content_hash:
        return PublishOutcome(previous.folder, previous.revision, unchanged=True)
    folder = write_board(root, data, now)
    return PublishOutcome(folder, int(folder.name.removeprefix("rev=")), unchanged=False)


def previous_config(previous: BoardRevision | None) -> BoardConfig | None:
    return BoardConfig.model_validate(previous.config) if previous and previous.config else None


def refuse_unfinished_week(week: str, config: BoardConfig, now: datetime) -> None:
    monday = week_monday(week)
    today = now.astimezone(ZoneInfo(config.timezone)).date()
    dates = chinese_date_range(monday)
    if today < monday:
        raise PublishRefused(
            "future_week",
            f"{dates}尚未开始，不能发布榜单",
            f"week {week} has not begun in {config.timezone}",
        )
    if today <= monday + timedelta(days=6):
        raise PublishRefused(
            "week_not_over",
            f"{dates}尚未结束，不能发布榜单",
            f"week {week} ends on Sunday {monday + timedelta(days=6)} in {config.timezone}",
        )


def refuse_thin_coverage(data: BoardData) -> None:
    coverage, config = data.coverage, data.config
    dates = chinese_date_range(data.week_start_date)
    if coverage.count_clips == 0:
        raise PublishRefused(
            "no_clips",
            f"{dates}没有已分析的视频，不能发布榜单",
            f"no analysed clip in week {data.week}: load the week's results first",
        )
    if coverage.fraction_covered < config.min_coverage:
        raise PublishRefused(
            "below_coverage",
            f"{dates}仅 {coverage.count_cameras_covered}/{coverage.count_cameras} 台摄像机有足够的"
            f"已分析视频（不足 {config.min_coverage:.0%}），不能发布榜单",
            f"{coverage.fraction_covered:.0%} of cameras have {config.min_camera_hours} h of "
            f"analysed footage in week {data.week}; the config asks for {config.min_coverage:.0%}",
        )


def board_data(root: Path, week: str, config: BoardConfig) -> BoardData:
    """The data part of publishing: every figure of the board, from the warehouse."""
    con = board_connection(root, week, config)
    snapshot_weekly_counts(con)
    window = correlation_window(week, config)
    campaign = campaign_figures(root, week, config)
    accidents = accident_figures(root, week, config, window)
    return read_board(con, week, config, campaign, accidents, window)


def write_board(root: Path, data: BoardData, now: datetime | None = None) -> Path:
    """The rendering part of publishing: the board's files, as a new revision, then the index
    of published weeks and the ``latest`` links."""
    published_at = now or datetime.now(UTC)
    folder = publish_revision(
        root,
        data.week,
        lambda folder, revision: write_board_files(data, revision, published_at, folder),
    )
    refresh_site(root)
    return folder
