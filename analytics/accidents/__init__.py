"""Police accident records: import exports (CSV + column mapping), synthetic data, trend figures.

- ``importer.import_accidents``: one export into the warehouse (docs/accidents.md), read with a
  mapping (``mapping``, its parts in ``mapping_parts``, cells read in ``cells`` and ``rows``) or a
  preset shipped in ``presets/``; ``report.ImportReport`` says what happened;
- ``synthetic.write_synthetic_export``: a synthetic export and its mapping, for demos;
- ``trends.accident_trends``: one board week's figures from the trend marts in analytics/sql;
- ``records.RECORD_SCHEMA``: the columns of ``raw_accident_records``.

Nothing is imported here: the warehouse imports ``records`` and must not pull in the rest.
"""
