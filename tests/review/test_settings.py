from datetime import timedelta

import pytest
from pydantic import ValidationError

from review.settings import ReviewSettings


def test_defaults_lock_logins_after_five_failures_in_five_minutes(tmp_path):
    settings = ReviewSettings(warehouse=tmp_path)
    assert settings.login_limit.max_failures == 5
    assert settings.login_limit.window == timedelta(minutes=5)
    assert settings.session_lifetime == timedelta(hours=8)


def test_an_unknown_time_zone_is_named_with_the_fix(tmp_path):
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'.*IANA"):
        ReviewSettings(warehouse=tmp_path, timezone="Mars/Olympus")


def test_unknown_settings_are_refused(tmp_path):
    with pytest.raises(ValidationError, match="extra"):
        ReviewSettings(warehouse=tmp_path, sesion_hours=2)
