"""The workbench's settings: where the warehouse is, how long sessions last, how logins are
limited, which proxies may name the client. Defaults suit one police station's LAN; see
docs/review.md."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

from analytics.decisions.login_limit import LoginLimit
from analytics.decisions.policy import ReviewPolicy, load_policy


class ReviewSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    warehouse: Path
    # Calendar dates in filters and times on pages are in this zone (the cameras' usually).
    timezone: str = "Asia/Shanghai"
    session_hours: float = Field(default=8.0, gt=0, le=24 * 7)
    # A session unused this long is over (the screen of a reviewer who walked away).
    idle_minutes: float = Field(default=30.0, gt=0)
    # Failed logins within the window that lock: one account (from anywhere), one source
    # address (at any names), and all sources together (spraying from many addresses).
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_per_source: int = Field(default=20, ge=1)
    login_max_failures_overall: int = Field(default=100, ge=1)
    login_window_s: int = Field(default=300, ge=1)
    # Password hashes computed at once (argon2id takes 64 MiB each): bounds memory in a burst.
    max_concurrent_hashes: int = Field(default=2, ge=1)
    # Addresses (or networks) of reverse proxies whose X-Forwarded-For names the client; from
    # anyone else the header is ignored. Empty: the peer's own address always.
    trusted_proxies: tuple[str, ...] = ()
    # Request bodies larger than this are refused before they are read (forms are small).
    max_body_bytes: int = Field(default=64 * 1024, ge=1024)
    # How long opening an event holds it for the reviewer (others skip it meanwhile).
    claim_minutes: float = Field(default=5.0, gt=0)
    # The review policy file (double review, penalty schedule); None: $CIVILITY_REVIEW_POLICY,
    # else the shipped analytics/decisions/policy.yaml.
    policy_file: Path | None = None
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

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(
                    f"trusted proxy '{item}' is not an IP address or network such as 10.0.0.5 "
                    "or 10.0.0.0/24"
                ) from None
        return value

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.session_hours)

    @property
    def idle_timeout(self) -> timedelta:
        return timedelta(minutes=self.idle_minutes)

    @property
    def claim_lifetime(self) -> timedelta:
        return timedelta(minutes=self.claim_minutes)

    @property
    def login_limit(self) -> LoginLimit:
        return LoginLimit(
            self.login_max_failures,
            self.login_max_failures_per_source,
            self.login_max_failures_overall,
            timedelta(seconds=self.login_window_s),
        )

    def policy(self) -> ReviewPolicy:
        return load_policy(self.policy_file)
