"""The one check of a time zone name, shared by every config that has one."""

from __future__ import annotations

import zoneinfo
from typing import Annotated

from pydantic import AfterValidator


def known_timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{value}' is not an IANA time zone name (e.g. Asia/Shanghai)") from None
    return value


TimezoneName = Annotated[str, AfterValidator(known_timezone)]
