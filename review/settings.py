"""The workbench's settings: where the warehouse is, how long sessions last, how logins are
limited. Defaults suit one police station's LAN; see docs/review.md."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from analytics.decisions.sessions import LoginLimit


class ReviewSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    warehouse: Path
    # Calendar dates in filters and times on pages are in this zone (the cameras' usually).
    timezone: str = "Asia/Shanghai"
    session_hours: float = Field(default=8.0, gt=0, le=24 * 7)
    login_max_failures: int = Field(default=5, ge=1)
    login_window_s: int = Field(default=300, ge=1)
    # Cookies only over HTTPS: set when a TLS proxy serves the workbench.
    secure_cookies: bool = False
    page_size: int = Field(default=50, ge=5, le=500)
    # How often the queue copies new events from the warehouse; 0: only at start-up.
    sync_interval_s: float = Field(default=60.0, ge=0)
    # Off for tests and for a store that is filled some other way.
    sync_enabled: bool = True

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            problem = f"unknown time zone '{value}'; use an IANA name such as Asia/Shanghai"
            raise ValueError(problem) from None
        return value

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.session_hours)

    @property
    def login_limit(self) -> LoginLimit:
        return LoginLimit(self.login_max_failures, timedelta(seconds=self.login_window_s))
