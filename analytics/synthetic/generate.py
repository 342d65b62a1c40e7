"""Synthetic engine outputs, one warehouse week at a time, vectorised (numpy, pyarrow).

Each camera records hour-long clips at fixed local hours. Per clip, pedestrians entering each
crosswalk and two-wheelers passing each lane (by courier platform) are Poisson counts that follow
the hour of day and the season; violations are binomial draws from them at the camera's rates,
which drift over the year per intersection and, for couriers riding the wrong way, fall to
``CAMPAIGN_COURIER_FACTOR`` of their level after the campaign start. The output is written as
compacted weeks (``analytics.warehouse.compaction.write_compacted``), one generation per UTC ISO
week, so even 20 million events make only a few hundred files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from analytics.synthetic.cells import Clips, pedestrian_cells, two_wheeler_cells
from analytics.synthetic.events import event_table
from analytics.synthetic.tables import clip_table, empty_tables, exposure_table
from analytics.synthetic.world import World, build_world
from analytics.warehouse.compaction import write_compacted

US_PER_S = 1_000_000
EPOCH = date(1970, 1, 1)


class SyntheticSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    count_cameras: int = Field(default=36, ge=1)
    count_weeks: int = Field(default=52, ge=1)
    first_monday: date  # local date the footage begins
    clip_hours: tuple[int, ...] = (7, 8, 12, 17, 18, 21)  # local hours an hour-long clip starts
    campaign_start: date | None = None  # local date
    timezone: str = "Asia/Shanghai"
    missing_clip_share: float = Field(default=0.02, ge=0, lt=1)  # outages, lost uploads
    seed: int = 20261123


@dataclass(frozen=True)
class SyntheticSummary:
    weeks: list[str]  # warehouse partitions written (UTC ISO weeks)
    count_clips: int
    count_events: int
    count_exposure_rows: int


@dataclass(frozen=True)
class Slots:
    """Every clip slot of the spec: its UTC start, local day (days since 1970) and local hour."""

    started_us: np.ndarray
    local_day: np.ndarray
    local_hour: np.ndarray

    def utc_mondays(self) -> list[date]:
        days = self.started_us // (86_400 * US_PER_S)
        mondays = days - (days + 3) % 7  # 1970-01-01 was a Thursday
        return [EPOCH + timedelta(days=int(day)) for day in np.unique(mondays)]

    def in_utc_week(self, monday: date) -> Slots:
        start = (monday - EPOCH).days * 86_400 * US_PER_S
        kept = (self.started_us >= start) & (self.started_us < start + 7 * 86_400 * US_PER_S)
        return Slots(self.started_us[kept], self.local_day[kept], self.local_hour[kept])


def write_synthetic_warehouse(
    root: Path, spec: SyntheticSpec, on_week: Callable[[str], None] | None = None
) -> SyntheticSummary:
    """Generate ``spec`` into the warehouse at ``root``, one compacted generation per week."""
    root = Path(root)
    world = build_world(spec.count_cameras, spec.seed)
    slots = local_slots(spec)
    weeks, clips, events, exposure_rows = [], 0, 0, 0
    for monday in slots.utc_mondays():
        tables = week_tables(world, spec, slots.in_utc_week(monday), monday)
        year, number, _ = monday.isocalendar()
        week = f"{year}-W{number:02d}"
        write_compacted(root, week, tables)
        weeks.append(week)
        clips += tables["clip"].num_rows
        events += tables["events"].num_rows
        exposure_rows += tables["exposures"].num_rows
        if on_week:
            on_week(week)
    return SyntheticSummary(weeks, clips, events, exposure_rows)


def local_slots(spec: SyntheticSpec) -> Slots:
    zone = ZoneInfo(spec.timezone)
    first_day = (spec.first_monday - EPOCH).days
    days, hours, starts = [], [], []
    for day in range(7 * spec.count_weeks):
        for hour in spec.clip_hours:
            local = datetime.combine(spec.first_monday + timedelta(days=day), datetime.min.time())
            starts.append(int(local.replace(hour=hour, tzinfo=zone).timestamp()) * US_PER_S)
            days.append(first_day + day)
            hours.append(hour)
    return Slots(np.array(starts), np.array(days), np.array(hours))


def week_tables(world: World, spec: SyntheticSpec, slots: Slots, monday: date) -> dict:
    rng = np.random.default_rng([spec.seed, 1, monday.toordinal()])
    clips = week_clips(world, spec, slots, rng)
    load_id = f"{monday:%Y%m%d}T000000000000Z-000000"  # one fixed synthetic load per clip
    clip_ids, clips_table = clip_table(world, clips, rng, load_id)
    cells = [pedestrian_cells(world, clips, rng), two_wheeler_cells(world, clips, rng)]
    return {
        **empty_tables(),
        "clip": clips_table,
        "exposures": exposure_table(world, clips, clip_ids, cells, load_id),
        "events": event_table(world, clips, clip_ids, cells, rng, load_id),
    }


def week_clips(world: World, spec: SyntheticSpec, slots: Slots, rng: np.random.Generator) -> Clips:
    """Every camera at every slot, less the clips lost at random."""
    count = world.count_cameras
    camera = np.tile(np.arange(count), len(slots.started_us))
    kept = rng.random(len(camera)) >= spec.missing_clip_share
    local_day = np.repeat(slots.local_day, count)[kept]
    first_day = (spec.first_monday - EPOCH).days
    campaign_day = (spec.campaign_start - EPOCH).days if spec.campaign_start else None
    return Clips(
        camera=camera[kept],
        started_us=np.repeat(slots.started_us, count)[kept],
        local_day=local_day,
        local_hour=np.repeat(slots.local_hour, count)[kept],
        years_elapsed=(local_day - first_day) / 365.25,
        days_since_campaign=(
            local_day - campaign_day if campaign_day is not None else np.full(len(local_day), -1)
        ),
    )
