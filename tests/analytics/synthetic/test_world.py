"""The synthetic city."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.synthetic.world import (
    CAMERAS_PER_INTERSECTION,
    DISTRICTS,
    STREET_ROADS,
    build_world,
)
from detectors.config.errors import InputError


def test_the_same_seed_builds_the_same_city():
    first, second = build_world(10, seed=3), build_world(10, seed=3)
    assert first.intersection_ids == second.intersection_ids
    assert np.array_equal(first.red_light_rate, second.red_light_rate)
    assert build_world(10, seed=4).intersection_ids != first.intersection_ids


def test_everything_is_marked_synthetic_and_cameras_share_intersections():
    world = build_world(9, seed=1)
    assert all(camera.startswith("syn-cam-") for camera in world.camera_ids)
    assert all(name.endswith("（合成）") for name in world.camera_names)
    assert all(intersection.startswith("syn-") for intersection in world.intersection_ids)
    assert len(world.sites()) == 5  # 9 cameras, two per intersection, rounded up
    assert {district for _, district in world.sites()} <= set(DISTRICTS)


def test_habits_belong_to_the_intersection():
    world = build_world(8, seed=2)
    by_intersection = {}
    for intersection, rate in zip(world.intersection_ids, world.wrong_way_rate, strict=True):
        by_intersection.setdefault(intersection, set()).add(rate)
    assert all(len(rates) == 1 for rates in by_intersection.values())


def test_too_many_cameras_for_the_road_list_is_refused_with_the_limit():
    with pytest.raises(InputError, match="at most"):
        build_world(360 * CAMERAS_PER_INTERSECTION, seed=1)


def test_an_intersection_joins_two_roads_of_its_own_street():
    world = build_world(500, seed=20261123)  # the scale benchmark's city
    for intersection, district in world.sites():
        _, first, second = intersection.split("-")
        assert {first, second} <= set(STREET_ROADS[district].split()), intersection
