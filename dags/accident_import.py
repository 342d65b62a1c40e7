"""
### accident_import: police accident exports -> warehouse

Every 30 minutes, imports the accident CSVs dropped into `$CIVILITY_ACCIDENT_LANDING` (a
folder or an object-store URL). Each CSV is read with the mapping YAML beside it
(`<stem>.yaml`), else the folder's `mapping.yaml` (format: analytics/accidents/
mapping.example.yaml; `preset: nyc-crashes` alone reads a common layout, see docs/accidents.md).
One mapped task per file calls
`analytics.accidents.importer.import_accidents`, which is idempotent per file content: rows it
cannot read are kept aside in the warehouse with their line and reason. An imported CSV is
archived under `$CIVILITY_CLIP_STORE/accident-exports/`; one refused whole (no mapping, wrong
header, unreadable) goes to `$CIVILITY_QUARANTINE/accidents/` with a `.reason.json` beside it.
The weekly board shows the accident trends.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from airflow.sdk import dag, task
from civility_common import DEFAULT_ARGS, START_DATE, landing_area

log = logging.getLogger(__name__)


@task
def find_exports() -> list[str]:
    from orchestration.landing import settled_keys
    from orchestration.settings import Locations

    locations = Locations.from_env()
    return settled_keys(landing_area(locations.accident_landing), [".csv"], locations.settle_s)


@task
def import_export(key: str) -> dict[str, Any]:
    from analytics.accidents.importer import import_accidents
    from orchestration import accidents
    from orchestration.settings import Locations

    locations = Locations.from_env()
    area = landing_area(locations.accident_landing)
    outcome = accidents.import_export(area, key, locations, import_accidents)
    if outcome["status"] == "quarantined":
        log.warning("accident export %s quarantined: %s", key, outcome["reason"])
    return outcome


@dag(
    dag_id="accident_import",
    doc_md=__doc__,
    schedule=timedelta(minutes=30),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["traffic-civility", "accidents"],
)
def accident_import():
    import_export.expand(key=find_exports())


accident_import()
