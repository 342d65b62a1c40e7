"""The synthetic city: cameras at intersections in Beijing 街乡, each with its own traffic and
its own habits, drawn once from the seed.

Intersections are named after pairs of real roads of a real 街道 (``STREET_ROADS``) so that a
demo board reads naturally and plausibly, but the ids carry the ``syn-`` prefix: no real
intersection's figures are implied.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from detectors.config.errors import InputError

# Real 街道 and roads that run through or along them, so that a synthetic intersection
# names two roads of its own 街道 (never 朝阳北路 in 海淀区中关村街道). Intersections are pairs
# of roads of one 街道; not every pair meets in reality, but each pair is where it could.
# Roads are separated by spaces.
STREET_ROADS = {
    "朝阳区建外街道": "建国路 建国门外大街 东三环中路 光华路 东大桥路 秀水街",
    "朝阳区呼家楼街道": "朝阳北路 朝阳路 东三环中路 金台路 呼家楼北街 关东店北街",
    "朝阳区三里屯街道": "工体北路 三里屯路 新东路 东直门外大街 幸福三街 东三环北路",
    "朝阳区望京街道": "望京街 阜通东大街 广顺北大街 湖光中街 阜安西路 望京西路",
    "朝阳区酒仙桥街道": "酒仙桥路 将台路 万红路 酒仙桥北路 驼房营路 芳园西路",
    "朝阳区麦子店街道": "农展馆南路 枣营路 朝阳公园路 亮马桥路 麦子店街 东三环北路",
    "朝阳区潘家园街道": "潘家园路 东三环南路 华威路 松榆北路 劲松路 华威北路",
    "朝阳区大屯街道": "大屯路 北辰东路 安立路 慧忠路 北苑路 科荟路",
    "朝阳区劲松街道": "劲松路 东三环南路 广渠路 劲松中街 西大望路 农光南路",
    "朝阳区团结湖街道": "团结湖路 东三环北路 朝阳北路 水碓子东路 姚家园路 团结湖北路",
    "朝阳区小关街道": "北四环东路 惠新东街 小关北街 安定路 惠新西街 北土城东路",
    "海淀区中关村街道": "中关村大街 北四环西路 知春路 中关村东路 科学院南路 丹棱街",
    "海淀区海淀街道": "海淀大街 苏州街 海淀南路 彩和坊路 北四环西路 万泉河路",
    "海淀区学院路街道": "学院路 成府路 清华东路 双清路 林业大学北路 志新路",
    "海淀区北太平庄街道": "北三环中路 北太平庄路 新街口外大街 学院南路 文慧园路 明光北路",
    "海淀区万寿路街道": "万寿路 复兴路 翠微路 永定路 太平路 西四环中路",
    "海淀区花园路街道": "花园北路 北土城西路 学院路 花园东路 知春路 塔院路",
    "海淀区紫竹院街道": "中关村南大街 紫竹院路 车公庄西路 西三环北路 魏公村路 首体南路",
    "东城区东华门街道": "王府井大街 东华门大街 东长安街 南河沿大街 五四大街 灯市口大街",
    "东城区建国门街道": "建国门内大街 东单北大街 崇文门内大街 北京站街 东二环",
    "东城区东直门街道": "东直门内大街 东直门南大街 东直门北小街 东中街 香河园路 东二环",
    "西城区金融街街道": "金融大街 阜成门内大街 西二环 复兴门内大街 太平桥大街 武定侯街",
    "西城区什刹海街道": "地安门外大街 地安门西大街 鼓楼西大街 德胜门内大街 旧鼓楼大街",
    "西城区德胜街道": "德胜门外大街 北二环 新街口外大街 安德路 黄寺大街 德外关厢",
}
DISTRICTS = tuple(STREET_ROADS)
DIRECTIONS = ("北", "南", "东", "西")
CROSSWALKS = ("cw_north", "cw_south")
LANES = ("lane_nb", "lane_sb")
# Courier platforms as the engine names them; None: not a courier, or livery not recognised.
# Only platforms the engine's livery profiles know (detectors/config/platforms.yaml).
PLATFORMS = ("meituan", "eleme", "jd", None)
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
    sites = street_intersections(count_intersections, rng)
    intersection_of = np.arange(count_cameras) % count_intersections
    # Habits belong to the intersection (its design, its signal timing), traffic to the camera.
    red_light = np.clip(rng.lognormal(np.log(0.03), 0.6, count_intersections), 0.003, 0.2)
    wrong_way = np.clip(rng.lognormal(np.log(0.02), 0.6, count_intersections), 0.002, 0.15)
    trend = rng.normal(0.0, 0.35, count_intersections)
    names, intersection_ids = [], []
    for camera in range(count_cameras):
        district, first, second = sites[intersection_of[camera]]
        direction = DIRECTIONS[camera // count_intersections % len(DIRECTIONS)]
        intersection_ids.append(f"syn-{first}-{second}")
        names.append(f"{first}与{second}路口{direction}侧（合成）")
    return World(
        camera_ids=[f"syn-cam-{camera:04d}" for camera in range(count_cameras)],
        camera_names=names,
        intersection_ids=intersection_ids,
        districts=[sites[i][0] for i in intersection_of],
        grid_cells=[f"syn-grid-{i % 97:02d}" for i in intersection_of],
        pedestrians_per_hour=rng.lognormal(np.log(185), 0.45, count_cameras),
        two_wheelers_per_hour=rng.lognormal(np.log(220), 0.45, count_cameras),
        red_light_rate=red_light[intersection_of],
        wrong_way_rate=wrong_way[intersection_of],
        yearly_trend=trend[intersection_of],
    )


def street_intersections(count: int, rng: np.random.Generator) -> list[tuple[str, str, str]]:
    """``count`` distinct (街道, road, road) intersections, drawn at random; a pair of roads that
    two 街道 share is one intersection, in the first of them."""
    every, seen = [], set()
    for street, names in STREET_ROADS.items():
        roads = names.split()
        for i, first in enumerate(roads):
            for second in roads[i + 1 :]:
                if frozenset((first, second)) not in seen:
                    seen.add(frozenset((first, second)))
                    every.append((street, first, second))
    if count > len(every):
        raise InputError(
            f"{count} synthetic intersections asked for, but the road table makes at most "
            f"{len(every)}; ask for at most {len(every) * CAMERAS_PER_INTERSECTION} cameras."
        )
    return [every[i] for i in rng.permutation(len(every))[:count]]
