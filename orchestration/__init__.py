"""Clip and accident intake for the Airflow DAGs (dags/, docs/airflow.md).

landing -> fetched local copy -> SHA-256 dedupe -> validation -> clip store + registry record,
or quarantine with the reason beside the file. Then the engine runs on registered clips into the
store's staging outputs, which the warehouse loads. Submodules are imported by the tasks that
need them, so that importing this package (or parsing a DAG) loads no video or model library.
"""
