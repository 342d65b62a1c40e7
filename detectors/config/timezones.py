"""The one check of a time zone name, shared by every config that has one."""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from typing import Annotated

from pydantic import AfterValidator

# Names people write that are no IANA zone, or not the one they mean.
_ALIASES = {"beijing": "Asia/Shanghai", "china": "Asia/Shanghai", "nyc": "America/New_York"}


def known_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        close = suggested_timezone(value)
        hint = f"did you mean '{close}'?" if close else "name the place, e.g. Asia/Shanghai"
        raise ValueError(f"'{value}' is not an IANA time zone name ({hint})") from None
    return value


def suggested_timezone(name: str) -> str | None:
    """The IANA zone a mistyped name most likely means: same city, or the closest spelling."""
    key = _comparable(name)
    for alias in (key, key.rsplit("/", 1)[-1]):
        if alias in _ALIASES:
            return _ALIASES[alias]
    by_full, by_city = _zone_keys()
    if key in by_full or key in by_city:
        return by_full.get(key) or by_city[key]
    if re.search(r"\d", key):
        return None  # an offset such as UTC+8 is no place; the closest spelling would mislead
    close = difflib.get_close_matches(key, [*by_full, *by_city], n=1, cutoff=0.75)
    return (by_full.get(close[0]) or by_city[close[0]]) if close else None


def _comparable(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip()).casefold()


@functools.cache
def _zone_keys() -> tuple[dict[str, str], dict[str, str]]:
    zones = sorted(zoneinfo.available_timezones())
    by_full = {_comparable(zone): zone for zone in zones}
    by_city = {_comparable(zone.rsplit("/", 1)[-1]): zone for zone in zones if "/" in zone}
    return by_full, by_city


TimezoneName = Annotated[str, AfterValidator(known_timezone)]
