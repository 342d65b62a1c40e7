"""A query's result, streamed: to the terminal (a table, CSV or JSON) up to a row cap, or whole
into a file named by the analyst (CSV, Parquet, JSON), written beside itself and renamed.

Rows are fetched a batch at a time, so the first rows of a query over millions appear at once and
a capped query stops reading when the cap is reached.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import duckdb

from civility.terminal import console, table
from detectors.atomic import write_atomically
from detectors.config.errors import InputError

DEFAULT_LIMIT = 100
BATCH_ROWS = 1000
FILE_FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".jsonl": "jsonl"}


@dataclass(frozen=True)
class Shown:
    count_rows: int
    is_truncated: bool  # more rows exist than were shown


def result_batches(
    con: duckdb.DuckDBPyConnection, query: str, limit: int | None
) -> tuple[list[str], Iterator[list[tuple]], list[bool]]:
    """The column names and the row batches of ``query``, at most ``limit`` rows (None: all);
    the one-element list turns true once the batches end with rows left over."""
    con.execute(query)
    columns = [column[0] for column in con.description or []]
    truncated = [False]

    def batches() -> Iterator[list[tuple]]:
        count = 0
        while limit is None or count < limit:
            wanted = BATCH_ROWS if limit is None else min(BATCH_ROWS, limit - count)
            rows = con.fetchmany(wanted)
            if not rows:
                return
            count += len(rows)
            yield rows
        truncated[0] = bool(con.fetchmany(1))

    return columns, batches(), truncated


def show_result(con: duckdb.DuckDBPyConnection, query: str, style: str, limit: int | None) -> Shown:
    """Print the result of ``query`` in ``style`` ('table', 'csv' or 'json'), batch by batch."""
    columns, batches, truncated = result_batches(con, query, limit)
    printers = {"table": print_table, "csv": print_csv, "json": print_json_object}
    count = printers[style](columns, batches, truncated, sys.stdout)
    return Shown(count, truncated[0])


def print_table(columns, batches, truncated, _out: TextIO) -> int:
    count = 0
    for rows in batches:
        shown = table(*columns)
        for row in rows:
            shown.add_row(*("" if value is None else str(value) for value in row))
        console.print(shown)
        count += len(rows)
    if not columns:
        return count
    more = "; more rows exist: --limit N or --all to see them, --out FILE to save them"
    console.print(f"{count:,} row(s){more if truncated[0] else ''}")
    return count


def print_csv(columns, batches, _truncated, out: TextIO) -> int:
    writer = csv.writer(out)
    writer.writerow(columns)
    count = 0
    for rows in batches:
        writer.writerows(rows)
        count += len(rows)
    return count


def print_json_object(columns, batches, truncated, out: TextIO) -> int:
    """One JSON object: {"columns", "rows" (objects), "count_rows", "is_truncated"}."""
    out.write(f'{{"columns": {dumps(columns)}, "rows": [\n')
    count = write_joined(json_rows(columns, batches), out, ",\n")
    out.write(f'\n], "count_rows": {count}, "is_truncated": {dumps(truncated[0])}}}\n')
    out.flush()
    return count


def write_result(
    con: duckdb.DuckDBPyConnection, query: str, path: Path, root: Path, limit: int | None
) -> int:
    """Write the rows of ``query`` (at most ``limit``) into ``path``, by its suffix; returns how
    many. The file appears whole or not at all, and never inside the warehouse."""
    path = Path(path)
    kind = FILE_FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"--out {path}: name a .csv, .parquet, .json or .jsonl file")
    if path.resolve().is_relative_to(Path(root).resolve()):
        raise InputError(
            f"--out {path} lies inside the warehouse {root}, which civility sql never writes; "
            "name a file elsewhere"
        )
    if not path.parent.is_dir():
        raise InputError(f"--out {path}: folder {path.parent} does not exist")

    def write(temp: Path) -> int:
        if kind == "parquet":
            return write_parquet(con, query, temp, limit)
        columns, batches, _ = result_batches(con, query, limit)
        with open(temp, "w", encoding="utf-8", newline="") as out:
            return FILE_WRITERS[kind](columns, batches, out)

    return write_atomically(path, write)


def write_parquet(con: duckdb.DuckDBPyConnection, query: str, path: Path, limit: int | None) -> int:
    import pyarrow.parquet as pq

    relation = con.sql(query)
    reader = (relation if limit is None else relation.limit(limit)).to_arrow_reader(BATCH_ROWS)
    count = 0
    try:
        with pq.ParquetWriter(path, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
                count += batch.num_rows
    finally:
        reader.close()
    return count


def write_json_array(columns, batches, out: TextIO) -> int:
    out.write("[\n")
    count = write_joined(json_rows(columns, batches), out, ",\n")
    out.write("\n]\n")
    return count


def write_json_lines(columns, batches, out: TextIO) -> int:
    count = write_joined(json_rows(columns, batches), out, "\n")
    out.write("\n" if count else "")
    return count


def json_rows(columns: list[str], batches: Iterator[list[tuple]]) -> Iterator[str]:
    for rows in batches:
        for row in rows:
            yield dumps(dict(zip(columns, row, strict=True)))


def write_joined(lines: Iterator[str], out: TextIO, separator: str) -> int:
    count = 0
    for count, line in enumerate(lines, 1):
        out.write(separator + line if count > 1 else line)
    return count


FILE_WRITERS = {
    "csv": lambda columns, batches, out: print_csv(columns, batches, None, out),
    "json": write_json_array,
    "jsonl": write_json_lines,
}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
