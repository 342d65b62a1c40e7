"""Delivery-platform livery profiles: which colours on a rider mean which courier platform.

A profile is a livery, not a company: where several platforms of one market wear the same colour
it is one profile listing all of them (``platforms``), and the reported name says so
("green_livery"). Profiles of different markets may share a colour (JD red in China,
ShopeeFood red-orange in Thailand); a set holding both is ambiguous, so it must be narrowed to one
region before use (``load_platform_profiles(region=...)`` or ``PlatformProfiles.for_region``).
"""

from __future__ import annotations

import itertools
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from detectors.config.errors import (
    ConfigError,
    InputError,
    explain_validation_error,
    read_yaml_mapping,
)

DEFAULT_PROFILES_PATH = Path(__file__).with_name("platforms.yaml")
_SYSTEM_ZONE_TABLE = Path("/usr/share/zoneinfo/zone.tab")


PROFILES_KIND = "platform profiles"


class PlatformProfilesError(ConfigError):
    def __init__(self, path: str | Path, where: str | None, problem: str):
        super().__init__(path, where, problem, kind=PROFILES_KIND)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HsvRange(_Strict):
    """One box in OpenCV HSV space (H 0-179, S and V 0-255), bounds inclusive."""

    h: tuple[int, int]
    s: tuple[int, int] = (0, 255)
    v: tuple[int, int] = (0, 255)

    @field_validator("h")
    @classmethod
    def _valid_hue(cls, value: tuple[int, int]) -> tuple[int, int]:
        low, high = value
        if not (0 <= low <= 179 and 0 <= high <= 179):
            raise ValueError(f"hue bounds {list(value)} must lie in 0-179 (OpenCV halves degrees)")
        if low > high:
            raise ValueError(
                f"hue range {list(value)} runs backwards; for reds that wrap past 179 give two "
                f"ranges, e.g. {{h: [0, {high}]}} and {{h: [{low}, 179]}}"
            )
        return value

    @field_validator("s", "v")
    @classmethod
    def _valid_byte_range(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not (0 <= value[0] <= value[1] <= 255):
            raise ValueError(
                f"range {list(value)} must be [low, high] with 0 <= low <= high <= 255"
            )
        return value

    def overlaps(self, other: HsvRange) -> bool:
        return all(
            a[0] <= b[1] and b[0] <= a[1]
            for a, b in ((self.h, other.h), (self.s, other.s), (self.v, other.v))
        )


class PlatformProfile(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")  # what CourierAttribution.platform reports
    display_name: str  # shown to people, e.g. 美团外卖
    platforms: list[str] = Field(min_length=1)  # more than one: the livery is shared
    regions: list[str] = Field(min_length=1)  # ISO 3166 alpha-2 codes of the markets served
    colours: list[HsvRange] = Field(min_length=1)
    # Share of the weighted livery window (rider's back and rear box) the largest compact blob
    # of these colours must cover for one crop to count as wearing the livery.
    min_area_fraction: float = Field(gt=0, le=1)

    @field_validator("regions")
    @classmethod
    def _country_codes(cls, value: list[str]) -> list[str]:
        bad = [code for code in value if not (len(code) == 2 and code.isascii() and code.isupper())]
        if bad:
            raise ValueError(f"regions {bad} are not ISO 3166 alpha-2 codes such as CN, TH, VN")
        return value

    def shares_colour_with(self, other: PlatformProfile) -> bool:
        return any(a.overlaps(b) for a, b in itertools.product(self.colours, other.colours))


class Decision(_Strict):
    """When the votes of a road user's crops name a platform at all."""

    min_agreement: float = Field(default=0.5, gt=0, le=1)  # fraction of crops naming it
    min_confidence: float = Field(default=0.4, gt=0, le=1)  # agreement x mean colour strength
    min_crop_height_px: int = Field(default=32, ge=8)  # smaller crops carry no usable colour


class PlatformProfiles(_Strict):
    decision: Decision = Decision()
    profiles: list[PlatformProfile] = Field(min_length=1)
    # Names shown to people for platform codes that are not a profile's own name: the brands
    # of a shared livery, and platforms reviewers name although no livery profile finds them.
    brand_names: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _unambiguous_within_each_region(self) -> PlatformProfiles:
        names = [p.name for p in self.profiles]
        problems = [
            f"profile name '{n}' is used twice; names must be unique"
            for n in sorted({n for n in names if names.count(n) > 1})
        ]
        problems += [
            f"profiles '{a.name}' and '{b.name}' share colours in region(s) {shared}; "
            f"merge them into one profile listing both under platforms, or separate the hues"
            for a, b in self.colour_clashes()
            if (shared := sorted(set(a.regions) & set(b.regions)))
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def colour_clashes(self) -> list[tuple[PlatformProfile, PlatformProfile]]:
        """Pairs of profiles whose colours overlap, whatever their regions."""
        return [
            (a, b) for a, b in itertools.combinations(self.profiles, 2) if a.shares_colour_with(b)
        ]

    def display_names(self) -> dict[str, str]:
        """Every platform code a person may meet -> its name: each profile, each brand."""
        names = {profile.name: profile.display_name for profile in self.profiles}
        for profile in self.profiles:
            names.update({brand: brand for brand in profile.platforms if brand not in names})
        return {**names, **self.brand_names}

    def regions(self) -> list[str]:
        return sorted({code for p in self.profiles for code in p.regions})

    def for_region(self, region: str) -> PlatformProfiles:
        """Only the profiles that serve one market (ISO 3166 alpha-2 code)."""
        kept = [p for p in self.profiles if region in p.regions]
        if not kept:
            raise InputError(
                f"no platform profile serves region '{region}'; known regions: "
                f"{', '.join(self.regions())}; add a profile for it or pick one of those"
            )
        return self.model_copy(update={"profiles": kept})


def region_for_timezone(timezone: str) -> str | None:
    """The country of an IANA time zone (Asia/Bangkok -> TH), None where the table has no entry."""
    for line in _zone_table().splitlines():
        fields = line.split("\t")
        if not line.startswith("#") and len(fields) >= 3 and fields[2] == timezone:
            return fields[0]
    return None


def _zone_table() -> str:
    """The IANA zone table (country, coordinates, zone per line): tzdata's, else the OS's."""
    try:
        return (resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return (
            _SYSTEM_ZONE_TABLE.read_text(encoding="utf-8") if _SYSTEM_ZONE_TABLE.is_file() else ""
        )


def load_platform_profiles(path: Path | None = None, region: str | None = None) -> PlatformProfiles:
    """Read and validate a profile file (None: the shipped defaults), optionally for one region."""
    path = Path(path) if path is not None else DEFAULT_PROFILES_PATH
    data = read_yaml_mapping(path, PROFILES_KIND)
    try:
        profiles = PlatformProfiles.model_validate(data)
    except ValidationError as exc:
        problems = explain_validation_error(exc, _KNOWN_FIELDS, "detectors/config/platforms.yaml")
        raise PlatformProfilesError(path, None, problems) from None
    if region is None:
        return profiles
    try:
        return profiles.for_region(region)
    except InputError as exc:
        raise PlatformProfilesError(path, "regions", str(exc)) from None


_KNOWN_FIELDS = {
    "top": list(PlatformProfiles.model_fields),
    "decision": list(Decision.model_fields),
    "profiles": list(PlatformProfile.model_fields),
    "colours": list(HsvRange.model_fields),
}
