import pytest

from detectors.config.timezones import known_timezone, suggested_timezone


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("America/NewYork", "America/New_York"),
        ("new york", "America/New_York"),
        ("asia/shanghai", "Asia/Shanghai"),
        ("Europe/Londn", "Europe/London"),
        ("Beijing", "Asia/Shanghai"),
        ("Asia/Beijing", "Asia/Shanghai"),
        ("UTC+8", None),  # an offset names no place; the closest spelling ("UTC") would mislead
        ("Mars/Olympus", None),
    ],
)
def test_a_mistyped_zone_gets_the_zone_it_most_likely_means(written, meant):
    assert suggested_timezone(written) == meant


def test_the_check_names_the_suggestion():
    assert known_timezone("Asia/Shanghai") == "Asia/Shanghai"
    with pytest.raises(ValueError, match="'Europe/Londn' is not an IANA time zone name \\(did you"):
        known_timezone("Europe/Londn")
    with pytest.raises(ValueError, match="\\(name the place, e.g. Asia/Shanghai\\)"):
        known_timezone("Mars/Olympus")
