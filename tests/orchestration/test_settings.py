"""Locations from the environment: one data folder by default, each location overridable."""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import Locations


def test_every_location_defaults_under_the_data_folder():
    locations = Locations.from_env({"CIVILITY_DATA": "/srv/civility"})

    assert locations.landing == "/srv/civility/landing/clips"
    assert locations.accident_landing == "/srv/civility/landing/accidents"
    assert locations.store == Path("/srv/civility/clips")
    assert locations.cameras == Path("/srv/civility/cameras")
    assert locations.warehouse == Path("/srv/civility/warehouse")
    assert locations.quarantine == Path("/srv/civility/quarantine")
    assert locations.operations == Path("/srv/civility/operations")
    assert locations.landing_conn_id is None
    assert locations.settle_s == 60.0


def test_without_a_data_folder_the_home_folder_holds_it():
    locations = Locations.from_env({})

    assert locations.store == Path.home() / "civility-data" / "clips"


def test_a_variable_overrides_its_location_only():
    env = {
        "CIVILITY_DATA": "/srv/civility",
        "CIVILITY_WAREHOUSE": "/mnt/shared/warehouse",
        "CIVILITY_LANDING": "s3://city-cameras/landing",
        "CIVILITY_LANDING_CONN_ID": "aws_landing",
        "CIVILITY_LANDING_SETTLE_S": "5",
    }

    locations = Locations.from_env(env)

    assert locations.warehouse == Path("/mnt/shared/warehouse")
    assert locations.landing == "s3://city-cameras/landing"  # a URL is kept as written
    assert locations.landing_conn_id == "aws_landing"
    assert locations.settle_s == 5.0
    assert locations.store == Path("/srv/civility/clips")


def test_a_local_landing_folder_has_its_home_expanded():
    locations = Locations.from_env({"CIVILITY_LANDING": "~/drop"})

    assert locations.landing == str(Path.home() / "drop")
