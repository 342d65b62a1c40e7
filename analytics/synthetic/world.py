"""The synthetic city: cameras at intersections in Beijing 街乡, each with its own traffic and
its own habits, drawn once from the seed.

Intersections are named after pairs of real road names so that a demo board reads naturally, but
the ids carry the ``syn-`` prefix: no real intersection's figures are implied.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detectors.config.errors import InputError

DISTRICTS = (
    "朝阳区建外街道",
    "朝阳区呼家楼街道",
    "朝阳区三里屯街道",
    "朝阳区望京街道",
    "朝阳区酒仙桥街道",
    "朝阳区麦子店街道",
    "朝阳区潘家园街道",
    "朝阳区大屯街道",
    "海淀区中关村街道",
    "海淀区海淀街道",
    "海淀区学院路街道",
    "海淀区北太平庄街道",
    "海淀区万寿路街道",
    "海淀区花园路街道",
    "东城区东华门街道",
    "西城区金融街街道",
)
ROADS = (
    "建国路", "东三环中路", "光华路", "朝阳北路", "工体北路", "三里屯路", "东大桥路", "呼家楼路",
    "望京街", "阜通东大街", "广顺北大街", "酒仙桥路", "将台路", "农展馆南路", "潘家园路",
    "劲松路", "安立路", "大屯路", "北辰东路", "中关村大街", "知春路", "学院路", "成府路",
    "海淀大街", "苏州街", "北四环西路", "西土城路", "花园北路", "北太平庄路", "万寿路",
    "复兴路", "长安街", "王府井大街", "东华门大街", "金融大街", "阜成门内大街", "平安大街",
    "新街口外大街", "德胜门外大街", "白颐路",
)  # fmt: skip
DIRECTIONS = ("北", "南", "东", "西")
CROSSWALKS = ("cw_north", "cw_south")
LANES = ("lane_nb", "lane_sb")
# Courier platforms as the engine names them; None: not a courier, or livery not recognised.
PLATFORMS = ("meituan", "eleme", "shansong", None)
PLATFORM_SHARES = np.array([0.18, 0.12, 0.04, 0.66])
# Couriers ride against traffic more often than other riders before a campaign, by platform.
COURIER_WRONG_WAY_FACTORS = np.array([2.2, 1.9, 1.5, 1.0])
CAMERAS_PER_INTERSECTION = 2


@dataclass(frozen=True)
class World:
    """Per-camera arrays (index = camera number) and the names behind them."""

    camera_ids: list[str]
    camera_names: list[str]
    intersection_ids: list[str]  # per camera
    districts: list[str]  # per camera
    grid_cells: list[str]
    pedestrians_per_hour: np.ndarray  # per crosswalk, before hourly and seasonal profiles
    two_wheelers_per_hour: np.ndarray  # per lane
    red_light_rate: np.ndarray  # share of pedestrians entering on red
    wrong_way_rate: np.ndarray  # share of non-courier two-wheelers riding against the lane
    yearly_trend: np.ndarray  # log change of both rates over a year: some improve, some worsen

    @property
    def count_cameras(self) -> int:
        return len(self.camera_ids)

    def sites(self) -> list[tuple[str, str]]:
        """(intersection_id, district) of every intersection: for synthetic accident exports
        (analytics.accidents.synthetic) that should meet these cameras."""
        return sorted(set(zip(self.intersection_ids, self.districts, strict=True)))


def build_world(count_cameras: int, seed: int) -> World:
    rng = np.random.default_rng([seed, 0])
    count_intersections = -(-count_cameras // CAMERAS_PER_INTERSECTION)
    pairs = road_pairs(count_intersections, rng)
    intersection_districts = rng.choice(len(DISTRICTS), size=count_intersections)
    intersection_of = np.arange(count_cameras) % count_intersections
    # Habits belong to the intersection (its design, its signal timing), traffic to the camera.
    red_light = np.clip(rng.lognormal(np.log(0.03), 0.6, count_intersections), 0.003, 0.2)
    wrong_way = np.clip(rng.lognormal(np.log(0.02), 0.6, count_intersections), 0.002, 0.15)
    trend = rng.normal(0.0, 0.35, count_intersections)
    names, intersection_ids = [], []
    for camera in range(count_cameras):
        first, second = pairs[intersection_of[camera]]
        direction = DIRECTIONS[camera // count_intersections % len(DIRECTIONS)]
        intersection_ids.append(f"syn-{first}-{second}")
        names.append(f"{first}与{second}路口{direction}侧（合成）")
    return World(
        camera_ids=[f"syn-cam-{camera:04d}" for camera in range(count_cameras)],
        camera_names=names,
        intersection_ids=intersection_ids,
        districts=[DISTRICTS[intersection_districts[i]] for i in intersection_of],
        grid_cells=[f"syn-grid-{i % 97:02d}" for i in intersection_of],
        pedestrians_per_hour=rng.lognormal(np.log(185), 0.45, count_cameras),
        two_wheelers_per_hour=rng.lognormal(np.log(220), 0.45, count_cameras),
        red_light_rate=red_light[intersection_of],
        wrong_way_rate=wrong_way[intersection_of],
        yearly_trend=trend[intersection_of],
    )


def road_pairs(count: int, rng: np.random.Generator) -> list[tuple[str, str]]:
    """``count`` distinct pairs of roads, drawn at random."""
    all_pairs = [(a, b) for i, a in enumerate(ROADS) for b in ROADS[i + 1 :]]
    if count > len(all_pairs):
        raise InputError(
            f"{count} synthetic intersections asked for, but the road list makes at most "
            f"{len(all_pairs)}; ask for at most "
            f"{len(all_pairs) * CAMERAS_PER_INTERSECTION} cameras."
        )
    return [all_pairs[i] for i in rng.permutation(len(all_pairs))[:count]]
