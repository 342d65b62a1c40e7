"""Exposure and violation counts per clip x zone (x courier platform): the synthetic truth.

A cell is what the warehouse's exposure table holds per clip (one UTC hour, as clips are an hour
long from the top of the hour): how many road users were exposed, and how many of them broke the
rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.synthetic.world import (
    COURIER_WRONG_WAY_FACTORS,
    CROSSWALKS,
    LANES,
    PLATFORM_SHARES,
    PLATFORMS,
    World,
)

CAMPAIGN_COURIER_FACTOR = 0.25  # couriers' wrong-way rate once the campaign has taken hold
CAMPAIGN_RAMP_DAYS = 14
SUMMER_PEAK_DAY = 11_157  # days since 1970 of 2000-07-20: traffic peaks in summer
MAX_RATE = 0.9


@dataclass(frozen=True)
class Clips:
    """One row per clip of a week: parallel arrays."""

    camera: np.ndarray
    started_us: np.ndarray  # UTC microseconds since 1970
    local_day: np.ndarray  # days since 1970, local calendar
    local_hour: np.ndarray
    years_elapsed: np.ndarray  # since the first day of the synthetic footage
    days_since_campaign: np.ndarray  # negative before the campaign, or without one

    def __len__(self) -> int:
        return len(self.camera)


@dataclass(frozen=True)
class Cells:
    rule: str
    zones: tuple[str, ...]
    clip: np.ndarray  # index into Clips
    zone: np.ndarray  # index into zones
    platform: np.ndarray  # index into world.PLATFORMS (last: unknown); -1 where not applicable
    count_exposures: np.ndarray
    count_violations: np.ndarray


def traffic_profile(clips: Clips) -> np.ndarray:
    """Multiplier of an hour's traffic: morning and evening peaks, a lunch bump, busier summers."""
    hour = clips.local_hour
    daily = (
        0.55
        + 0.8 * np.exp(-(((hour - 8) / 1.5) ** 2))
        + 0.9 * np.exp(-(((hour - 18) / 1.5) ** 2))
        + 0.35 * np.exp(-(((hour - 12) / 2.0) ** 2))
    )
    seasonal = 1 + 0.15 * np.cos(2 * np.pi * (clips.local_day - SUMMER_PEAK_DAY) / 365.25)
    return daily * seasonal


def habit_drift(world: World, clips: Clips, rng: np.random.Generator) -> np.ndarray:
    """Multiplier of a camera's violation rates: its yearly trend, night-time laxity, and a
    week-to-week wobble."""
    camera = clips.camera
    trend = np.exp(world.yearly_trend[camera] * clips.years_elapsed)
    night = np.where(clips.local_hour >= 20, 1.4, 1.0)
    wobble = rng.lognormal(0.0, 0.12, world.count_cameras)[camera]
    return trend * night * wobble


def campaign_factor(clips: Clips) -> np.ndarray:
    """Couriers' wrong-way multiplier: 1 before the campaign, falling to the campaign factor over
    its first two weeks."""
    progress = np.clip(clips.days_since_campaign / CAMPAIGN_RAMP_DAYS, 0, 1)
    progress = np.where(clips.days_since_campaign < 0, 0, progress)
    return 1 - (1 - CAMPAIGN_COURIER_FACTOR) * progress


def pedestrian_cells(world: World, clips: Clips, rng: np.random.Generator) -> Cells:
    zones = len(CROSSWALKS)
    clip = np.repeat(np.arange(len(clips)), zones)
    mean = (world.pedestrians_per_hour[clips.camera] * traffic_profile(clips))[clip]
    rate = (world.red_light_rate[clips.camera] * habit_drift(world, clips, rng))[clip]
    exposures = rng.poisson(mean)
    return Cells(
        rule="pedestrian_red_light",
        zones=CROSSWALKS,
        clip=clip,
        zone=np.tile(np.arange(zones), len(clips)),
        platform=np.full(len(clip), -1),
        count_exposures=exposures,
        count_violations=rng.binomial(exposures, np.minimum(rate, MAX_RATE)),
    )


def two_wheeler_cells(world: World, clips: Clips, rng: np.random.Generator) -> Cells:
    per_clip = len(LANES) * len(PLATFORMS)
    clip = np.repeat(np.arange(len(clips)), per_clip)
    platform = np.tile(np.repeat(np.arange(len(PLATFORMS)), len(LANES)), len(clips))
    traffic = world.two_wheelers_per_hour[clips.camera] * traffic_profile(clips)
    mean = traffic[clip] * PLATFORM_SHARES[platform]
    is_courier = np.array([name is not None for name in PLATFORMS])[platform]
    campaign = np.where(is_courier, campaign_factor(clips)[clip], 1.0)
    base = (world.wrong_way_rate[clips.camera] * habit_drift(world, clips, rng))[clip]
    rate = base * COURIER_WRONG_WAY_FACTORS[platform] * campaign
    exposures = rng.poisson(mean)
    return Cells(
        rule="wrong_way",
        zones=LANES,
        clip=clip,
        zone=np.tile(np.arange(len(LANES)), len(clips) * len(PLATFORMS)),
        platform=platform,
        count_exposures=exposures,
        count_violations=rng.binomial(exposures, np.minimum(rate, MAX_RATE)),
    )
