"""Platform livery profiles: the shipped defaults, region narrowing, and strict validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from detectors.config.errors import ConfigError, InputError
from detectors.config.platforms import (
    DEFAULT_PROFILES_PATH,
    load_platform_profiles,
    region_for_timezone,
)

YELLOW = {
    "name": "yellow",
    "display_name": "Yellow",
    "platforms": ["y"],
    "regions": ["CN"],
    "colours": [{"h": [18, 32], "s": [150, 255]}],
    "min_area_fraction": 0.1,
}


def write_profiles(tmp_path: Path, *profiles: dict, **top: object) -> Path:
    path = tmp_path / "platforms.yaml"
    path.write_text(yaml.safe_dump({"profiles": list(profiles), **top}), encoding="utf-8")
    return path


def with_changes(profile: dict, **changes: object) -> dict:
    return {**profile, **changes}


def test_the_defaults_cover_the_big_chinese_and_south_east_asian_platforms():
    profiles = load_platform_profiles()
    assert {p.name for p in profiles.profiles} >= {
        "meituan",
        "eleme",
        "jd",
        "shopeefood",
        "green_livery",
        "foodpanda",
    }
    green = next(p for p in profiles.profiles if p.name == "green_livery")
    assert set(green.platforms) >= {"grab", "lineman"}  # one shared livery, said openly
    assert profiles.model_dump() == load_platform_profiles(DEFAULT_PROFILES_PATH).model_dump()


def test_a_region_keeps_only_the_platforms_serving_it():
    chinese = [p.name for p in load_platform_profiles(region="CN").profiles]
    thai = [p.name for p in load_platform_profiles(region="TH").profiles]
    assert chinese == ["meituan", "eleme", "jd"]
    assert thai == ["shopeefood", "green_livery", "foodpanda"]


def test_no_default_region_is_ambiguous_but_the_whole_set_is():
    defaults = load_platform_profiles()
    for region in defaults.regions():
        assert defaults.for_region(region).colour_clashes() == []
    assert [(a.name, b.name) for a, b in defaults.colour_clashes()] == [("jd", "shopeefood")]


def test_an_unknown_region_is_an_error_naming_the_known_ones(tmp_path):
    with pytest.raises(ConfigError, match=r"region 'FR'.*known regions: CN"):
        load_platform_profiles(write_profiles(tmp_path, YELLOW), region="FR")
    with pytest.raises(InputError, match="region 'FR'"):
        load_platform_profiles().for_region("FR")


def test_time_zones_map_to_their_country():
    assert region_for_timezone("Asia/Bangkok") == "TH"
    assert region_for_timezone("Asia/Shanghai") == "CN"
    assert region_for_timezone("Asia/Ho_Chi_Minh") == "VN"
    assert region_for_timezone("Mars/Olympus_Mons") is None


def test_two_profiles_sharing_a_colour_in_one_region_are_rejected(tmp_path):
    orange = with_changes(YELLOW, name="orange", colours=[{"h": [10, 20], "s": [150, 255]}])
    with pytest.raises(ConfigError, match="'yellow' and 'orange' share colours in .*CN.*merge"):
        load_platform_profiles(write_profiles(tmp_path, YELLOW, orange))
    elsewhere = with_changes(orange, regions=["TH"])
    assert len(load_platform_profiles(write_profiles(tmp_path, YELLOW, elsewhere)).profiles) == 2


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ({"h": [0, 180]}, r"colours\[0\]\.h: hue bounds \[0, 180\] must lie in 0-179"),
        ({"h": [170, 10]}, r"runs backwards; for reds that wrap past 179 give two ranges"),
        ({"h": [10, 20], "s": [200, 100]}, r"colours\[0\]\.s: range \[200, 100\] must be"),
        ({"h": [10, 20], "v": [0, 300]}, r"colours\[0\]\.v: range \[0, 300\]"),
        ({"h": [10, 20], "hue": [1, 2]}, r"colours\[0\]\.hue: unknown field"),
    ],
)
def test_bad_colour_ranges_are_named_with_their_field(tmp_path, colour, message):
    path = write_profiles(tmp_path, with_changes(YELLOW, colours=[colour]))
    with pytest.raises(ConfigError, match=message) as error:
        load_platform_profiles(path)
    assert str(path) in str(error.value) and "platform profiles" in str(error.value)


def test_unknown_fields_are_rejected_with_a_suggestion(tmp_path):
    path = write_profiles(tmp_path, with_changes(YELLOW, min_area=0.1))
    with pytest.raises(ConfigError, match=r"\[0\]\.min_area: unknown field.*'min_area_fraction'"):
        load_platform_profiles(path)
    path = write_profiles(tmp_path, YELLOW, decision={"min_agreement": 0.5, "min_votes": 3})
    with pytest.raises(ConfigError, match=r"decision\.min_votes: unknown field"):
        load_platform_profiles(path)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"regions": ["China"]}, r"regions \['China'\] are not ISO 3166 alpha-2 codes"),
        ({"name": "Meituan Waimai"}, r"profiles\[0\]\.name: String should match pattern"),
        ({"min_area_fraction": 0}, r"min_area_fraction: Input should be greater than 0"),
        ({"colours": []}, r"colours: List should have at least 1 item"),
    ],
)
def test_bad_profile_fields_are_named(tmp_path, changes, message):
    with pytest.raises(ConfigError, match=message):
        load_platform_profiles(write_profiles(tmp_path, with_changes(YELLOW, **changes)))


def test_missing_fields_duplicate_names_missing_files_and_bad_yaml_are_errors(tmp_path):
    incomplete = {k: v for k, v in YELLOW.items() if k != "colours"}
    with pytest.raises(ConfigError, match=r"profiles\[0\]\.colours: required field is missing"):
        load_platform_profiles(write_profiles(tmp_path, incomplete))
    twin = with_changes(YELLOW, regions=["TH"])
    with pytest.raises(ConfigError, match="profile name 'yellow' is used twice"):
        load_platform_profiles(write_profiles(tmp_path, YELLOW, twin))
    with pytest.raises(ConfigError, match="file not found"):
        load_platform_profiles(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("profiles: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_platform_profiles(broken)
