"""Small exports in the real layouts the presets read, written from code with the messiness of
the real files: NYC Open Data "Motor Vehicle Collisions - Crashes", the STATS19 collision file
and a Chinese accident register. No downloaded data: every row is made up here, by seed.

Each factory returns rows as ``{column: cell text}`` (what the CSV holds, so a test can count
them independently with the csv module) and writes them with ``write_rows``.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

Row = dict[str, str]

NYC_HEADER = [
    "CRASH DATE",
    "CRASH TIME",
    "BOROUGH",
    "ZIP CODE",
    "LATITUDE",
    "LONGITUDE",
    "LOCATION",
    "ON STREET NAME",
    "CROSS STREET NAME",
    "OFF STREET NAME",
    "NUMBER OF PERSONS INJURED",
    "NUMBER OF PERSONS KILLED",
    "NUMBER OF PEDESTRIANS INJURED",
    "NUMBER OF PEDESTRIANS KILLED",
    "NUMBER OF CYCLIST INJURED",
    "NUMBER OF CYCLIST KILLED",
    "NUMBER OF MOTORIST INJURED",
    "NUMBER OF MOTORIST KILLED",
    *[f"CONTRIBUTING FACTOR VEHICLE {n}" for n in range(1, 6)],
    "COLLISION_ID",
    *[f"VEHICLE TYPE CODE {n}" for n in range(1, 6)],
]
_BOROUGHS = [("BROOKLYN", "11201"), ("QUEENS", "11368"), ("MANHATTAN", "10036"), ("BRONX", "10451")]
_STREETS = ["BROADWAY", "ATLANTIC AVENUE", "QUEENS BOULEVARD", "WEST 42 STREET", "GRAND CONCOURSE"]
_VEHICLES = [
    ("Sedan", 40),
    ("Station Wagon/Sport Utility Vehicle", 35),
    ("Taxi", 6),
    ("Pick-up Truck", 4),
    ("Box Truck", 3),
    ("Bike", 4),
    ("E-Bike", 3),
    ("Motorscooter", 1),
    ("FDNY TRUCK", 1),  # in no preset: counts as other, with a warning
    ("PASSENGER VEHICLE", 3),
]
_FACTORS = ["Driver Inattention/Distraction", "Unspecified", "Failure to Yield Right-of-Way"]

STATS19_HEADER = [
    "collision_index",
    "collision_year",
    "collision_ref_no",
    "location_easting_osgr",
    "location_northing_osgr",
    "longitude",
    "latitude",
    "police_force",
    "collision_severity",
    "number_of_vehicles",
    "number_of_casualties",
    "date",
    "day_of_week",
    "time",
    "local_authority_district",
    "local_authority_ons_district",
    "local_authority_highway",
    "local_authority_highway_current",
    "first_road_class",
    "first_road_number",
    "road_type",
    "speed_limit",
    "junction_detail_historic",
    "junction_detail",
    "junction_control",
    "second_road_class",
    "second_road_number",
    "pedestrian_crossing_human_control_historic",
    "pedestrian_crossing_physical_facilities_historic",
    "pedestrian_crossing",
    "light_conditions",
    "weather_conditions",
    "road_surface_conditions",
    "special_conditions_at_site",
    "carriageway_hazards_historic",
    "carriageway_hazards",
    "urban_or_rural_area",
    "did_police_officer_attend_scene_of_accident",
    "trunk_road_flag",
    "lsoa_of_accident_location",
    "enhanced_severity_collision",
    "collision_injury_based",
    "collision_adjusted_severity_serious",
    "collision_adjusted_severity_slight",
]

REGISTER_HEADER = [
    "事故编号",
    "事故发生时间",
    "行政区划",
    "管辖单位",
    "道路名称",
    "路口名称",
    "事故地点",
    "经度",
    "纬度",
    "事故类型",
    "死亡人数",
    "受伤人数",
    "直接财产损失",
    "事故形态",
    "天气",
    "当事人交通方式",
    "事故认定原因",
]
_WAYS = [
    ("驾驶小型载客汽车", 50),
    ("驾驶电动自行车", 20),
    ("步行", 12),
    ("驾驶自行车", 5),
    ("驾驶摩托车", 5),
    ("驾驶重型载货汽车", 4),
    ("驾驶三轮汽车", 2),  # not in the preset: counts as other, with a warning
    ("乘车", 2),
]


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], [w for _, w in choices])[0]


def nyc_rows(first: date, last: date, per_day: int = 3, seed: int = 2020) -> list[Row]:
    """Crashes in the NYC Open Data layout: blank boroughs, 0:00 times, (0,0) and missing
    coordinates, padded street names, U+FFFD cells, vehicles over five columns."""
    rng = random.Random(seed)
    rows = []
    for day in _days(first, last):
        for _ in range(rng.randint(per_day - 1, per_day + 1)):
            rows.append(_nyc_row(rng, day, 4_000_000 + len(rows)))
    return rows


def _nyc_row(rng: random.Random, day: date, collision_id: int) -> Row:
    clock = time(0, 0) if rng.random() < 0.04 else time(rng.randrange(24), rng.randrange(60))
    borough, zip_code = rng.choice(_BOROUGHS) if rng.random() > 0.35 else ("", "")
    point = rng.random()
    if point < 0.08:
        latitude = longitude = ""
    elif point < 0.11:
        latitude = longitude = "0.0"
    else:
        latitude, longitude = f"{rng.uniform(40.55, 40.9):.6f}", f"{rng.uniform(-74.2, -73.75):.6f}"
    on = cross = off = ""
    place = rng.random()
    if place < 0.55:
        on, cross = (name.ljust(32) for name in rng.sample(_STREETS, 2))
    elif place < 0.8:
        off = f"{rng.randrange(1, 999)} {rng.choice(_STREETS)}"
    elif place < 0.9:
        on = rng.choice(_STREETS)
    if off and rng.random() < 0.1:
        off = off.replace("A", "\ufffd", 1)  # a character lost before the export
    injured = {kind: int(rng.random() < share) for kind, share in (("ped", 0.1), ("cyc", 0.06))}
    injured["mot"] = int(rng.random() < 0.2) * rng.randint(1, 3)
    killed = {kind: int(rng.random() < 0.008) for kind in ("ped", "cyc", "mot")}
    vehicles = [
        _weighted(rng, _VEHICLES) for _ in range(rng.choices([1, 2, 3, 5], [3, 8, 2, 1])[0])
    ]
    if injured["cyc"] or killed["cyc"]:
        vehicles[-1] = rng.choice(["Bike", "E-Bike"])
    row = dict.fromkeys(NYC_HEADER, "")
    row |= {
        "CRASH DATE": f"{day:%m/%d/%Y}",
        "CRASH TIME": f"{clock.hour}:{clock.minute:02d}",
        "BOROUGH": borough,
        "ZIP CODE": zip_code,
        "LATITUDE": latitude,
        "LONGITUDE": longitude,
        "LOCATION": f"({latitude}, {longitude})" if latitude else "",
        "ON STREET NAME": on,
        "CROSS STREET NAME": cross,
        "OFF STREET NAME": off,
        "COLLISION_ID": str(collision_id),
    }
    persons_injured = sum(injured.values())
    row["NUMBER OF PERSONS INJURED"] = "" if rng.random() < 0.02 else str(persons_injured)
    row["NUMBER OF PERSONS KILLED"] = str(sum(killed.values()))
    for kind, word in (("ped", "PEDESTRIANS"), ("cyc", "CYCLIST"), ("mot", "MOTORIST")):
        row[f"NUMBER OF {word} INJURED"] = str(injured[kind])
        row[f"NUMBER OF {word} KILLED"] = str(killed[kind])
    for n, vehicle in enumerate(vehicles, start=1):
        row[f"VEHICLE TYPE CODE {n}"] = vehicle
        row[f"CONTRIBUTING FACTOR VEHICLE {n}"] = rng.choice(_FACTORS)
    return row


def stats19_rows(first: date, last: date, per_day: int = 2, seed: int = 19) -> list[Row]:
    """Collisions in the STATS19 collision-file layout: codes, -1 for unknown, dd/mm/yyyy
    dates, some without coordinates."""
    rng = random.Random(seed)
    rows = []
    for day in _days(first, last):
        for _ in range(rng.randint(per_day - 1, per_day + 1)):
            reference = f"01{len(rows):07d}"
            no_point = rng.random() < 0.05
            row = {name: "-1" for name in STATS19_HEADER}
            row |= {
                "collision_index": f"{day.year}{reference}",
                "collision_year": str(day.year),
                "collision_ref_no": reference,
                "longitude": "" if no_point else f"{rng.uniform(-0.3, 0.1):.6f}",
                "latitude": "" if no_point else f"{rng.uniform(51.4, 51.6):.6f}",
                "location_easting_osgr": "" if no_point else str(rng.randrange(520000, 540000)),
                "police_force": "1",
                "collision_severity": rng.choices(["1", "2", "3"], [2, 18, 80])[0],
                "number_of_vehicles": str(rng.randint(1, 3)),
                "number_of_casualties": str(rng.randint(1, 2)),
                "date": f"{day:%d/%m/%Y}",
                "day_of_week": str(day.isoweekday() % 7 + 1),
                "time": f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
                "local_authority_ons_district": rng.choice(["E09000033", "E09000020"]),
                "local_authority_highway": "E09000033",
                "lsoa_of_accident_location": "E01004736",
                "collision_adjusted_severity_serious": "",
            }
            rows.append(row)
    return rows


def register_rows(first: date, last: date, per_day: int = 2, seed: int = 86) -> list[Row]:
    """Accidents in a Chinese police register: GA/T-style headers, seconds in the times,
    ways of travelling listed with 、, blank intersections, (0,0) points, blank zero counts."""
    rng = random.Random(seed)
    rows = []
    for day in _days(first, last):
        for _ in range(rng.randint(per_day - 1, per_day + 1)):
            when = datetime.combine(day, time(rng.randrange(24), rng.randrange(60)))
            ways = [_weighted(rng, _WAYS) for _ in range(rng.choice([1, 2, 2, 3]))]
            deaths = int(rng.random() < 0.03)
            injured = rng.choice([0, 0, 1, 2]) if "步行" in ways or rng.random() < 0.3 else 0
            kind = "死亡事故" if deaths else "伤人事故" if injured else "财产损失事故"
            junction = rng.choice(["工体北路口", "东四十条路口", ""])
            point = ("0", "0") if rng.random() < 0.05 else ("116.4", "39.9")
            rows.append(
                {
                    "事故编号": f"110105{day:%Y%m%d}{len(rows):05d}",
                    "事故发生时间": f"{when:%Y-%m-%d %H:%M:%S}",
                    "行政区划": rng.choice(["朝阳区", "东城区", "海淀区"]),
                    "管辖单位": rng.choice(["朝阳交通支队三里屯大队", "东城交通支队东四大队"]),
                    "道路名称": "幸福路" if junction else "",
                    "路口名称": junction,
                    "事故地点": "" if junction else f"{rng.choice(['三里屯', '东直门'])}附近",
                    "经度": point[0],
                    "纬度": point[1],
                    "事故类型": kind,
                    "死亡人数": str(deaths) if deaths else "",
                    "受伤人数": str(injured) if injured else "",
                    "直接财产损失": str(rng.randrange(0, 20000)),
                    "事故形态": rng.choice(["碰撞运动车辆", "刮擦行人", "碰撞静止车辆"]),
                    "天气": rng.choice(["晴", "阴", "雨"]),
                    "当事人交通方式": "、".join(ways),
                    "事故认定原因": "未按规定让行",
                }
            )
    return rows


def csv_bytes(
    header: list[str],
    rows: list[Row],
    encoding: str = "utf-8",
    line_end: str = "\n",
) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator=line_end)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding, errors="replace")


def excel_resaved(rows: list[Row]) -> list[Row]:
    """NYC rows as Excel writes them back: ISO dates; cp1252 cannot hold U+FFFD (it becomes ?)."""
    resaved = []
    for row in rows:
        day = datetime.strptime(row["CRASH DATE"], "%m/%d/%Y").date()
        text = {k: v.replace("\ufffd", "?") for k, v in row.items()}
        resaved.append(text | {"CRASH DATE": day.isoformat()})
    return resaved


@pytest.fixture
def write_rows(tmp_path: Path) -> Callable[..., Path]:
    """Write ``rows`` under ``header`` to tmp_path/``name`` (encoding, line end); return it."""

    def write(name: str, header: list[str], rows: list[Row], **options) -> Path:
        path = tmp_path / name
        path.write_bytes(csv_bytes(header, rows, **options))
        return path

    return write


class Layouts:
    """The row factories and headers, by layout."""

    nyc = staticmethod(nyc_rows)
    nyc_header = NYC_HEADER
    excel_resaved = staticmethod(excel_resaved)
    stats19 = staticmethod(stats19_rows)
    stats19_header = STATS19_HEADER
    register = staticmethod(register_rows)
    register_header = REGISTER_HEADER


@pytest.fixture
def layouts() -> type[Layouts]:
    return Layouts
