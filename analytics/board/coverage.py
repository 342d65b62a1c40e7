"""How much of a week's footage was analysed, per camera: what a board rests on.

Every board shows it. Whether the week's clips have all arrived is the clip store's to say
(``orchestration.readiness``); a board published without some says how many.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from analytics.board.config import BoardConfig
from analytics.board.queries import board_connection, rows


@dataclass(frozen=True)
class CameraCoverage:
    camera_id: str
    intersection_id: str
    district: str
    count_clips: int
    count_partial_clips: int
    count_synthetic_clips: int
    footage_h: float
    is_covered: bool  # at least min_camera_hours of analysed footage before any view change


@dataclass(frozen=True)
class WeekCoverage:
    """The cameras expected in a week are those that sent clips in it or in the baseline weeks
    before it (board_week_coverage)."""

    week: str
    count_cameras: int
    count_cameras_covered: int
    count_clips: int
    count_synthetic_clips: int
    footage_h: float
    cameras: list[CameraCoverage]
    # Clips of the week registered but not yet analysed when the board was published: a board
    # published at the deadline says what it is missing (the clip store knows, not the warehouse).
    count_clips_pending: int = 0

    @property
    def fraction_covered(self) -> float:
        """Share of cameras with enough analysed footage in the week (0 with no cameras); footage
        after a change of the camera's view does not count."""
        return self.count_cameras_covered / self.count_cameras if self.count_cameras else 0.0


def week_coverage(root: Path, week: str, config: BoardConfig | None = None) -> WeekCoverage:
    """Coverage of ``week`` (ISO week in the board's timezone) in the warehouse at ``root``."""
    config = config or BoardConfig()
    return coverage_from(board_connection(root, week, config), week)


def coverage_from(con: duckdb.DuckDBPyConnection, week: str) -> WeekCoverage:
    cameras = [
        CameraCoverage(**row)
        for row in rows(
            con,
            "select camera_id, intersection_id, district, count_clips, count_partial_clips, "
            "count_synthetic_clips, footage_h, is_covered from board_week_coverage where week = ? "
            "order by camera_id",
            [week],
        )
    ]
    return WeekCoverage(
        week=week,
        count_cameras=len(cameras),
        count_cameras_covered=sum(1 for camera in cameras if camera.is_covered),
        count_clips=sum(camera.count_clips for camera in cameras),
        count_synthetic_clips=sum(camera.count_synthetic_clips for camera in cameras),
        footage_h=round(sum(camera.footage_h for camera in cameras), 3),
        cameras=cameras,
    )
