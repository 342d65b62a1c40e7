from datetime import timedelta

import pytest
from pydantic import ValidationError

from review.settings import ReviewSettings


def test_defaults_lock_an_account_after_five_failures_in_five_minutes(tmp_path):
    settings = ReviewSettings(warehouse=tmp_path)
    limit = settings.login_limit
    assert (limit.max_per_account, limit.max_per_source, limit.max_overall) == (5, 20, 100)
    assert limit.window == timedelta(minutes=5)
    assert settings.session_lifetime == timedelta(hours=8)
    assert settings.idle_timeout == timedelta(minutes=30)
    assert settings.trusted_proxies == ()


def test_trusted_proxies_are_addresses_or_networks(tmp_path):
    settings = ReviewSettings(warehouse=tmp_path, trusted_proxies=("10.0.0.5", "192.168.0.0/16"))
    assert settings.trusted_proxies == ("10.0.0.5", "192.168.0.0/16")
    with pytest.raises(ValidationError, match="'proxy.lan' is not an IP address"):
        ReviewSettings(warehouse=tmp_path, trusted_proxies=("proxy.lan",))


def test_an_unknown_time_zone_is_named_with_the_fix(tmp_path):
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'.*IANA"):
        ReviewSettings(warehouse=tmp_path, timezone="Mars/Olympus")


def test_unknown_settings_are_refused(tmp_path):
    with pytest.raises(ValidationError, match="extra"):
        ReviewSettings(warehouse=tmp_path, sesion_hours=2)
