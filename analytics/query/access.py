"""A connection an analyst cannot harm the warehouse with, and the check of what they send.

Three locks, each enough against a different mistake: the catalog is opened read-only (no view
can be dropped or replaced); DuckDB's file access is switched off except for reading the
warehouse's own folder, and the configuration is locked so that no statement can switch it back
(no ``read_csv('/etc/passwd')``, no ``attach``, no extension); and only queries are run, so a
``copy ... to`` cannot overwrite the warehouse's files either. Results leave only through
``--out``, written by this program, never into the warehouse.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from analytics.warehouse.catalog import open_catalog
from analytics.warehouse.sql_files import quoted
from detectors.config.errors import InputError

READS = "civility sql only reads the warehouse"
HOW_TO_SAVE = "to save a result, add --out FILE (.csv, .parquet or .json)"
# Statement types that read: select (with, from, values, table, describe, show, summarize),
# and the setting of DuckDB variables the marts read (board.md). EXPLAIN is checked inside.
QUERY_TYPES = {"SELECT"}
_EXPLAIN = re.compile(r"^\s*explain(\s+analy[sz]e)?\s+", re.IGNORECASE)
_VARIABLE = re.compile(r"^\s*(set|reset)\s+variable\b", re.IGNORECASE)


class QueryRefused(InputError):
    """A statement that would write or change something, or read outside the warehouse."""


def analyst_connection(root: Path) -> duckdb.DuckDBPyConnection:
    """The warehouse's catalog, refreshed if the warehouse changed, opened read-only and locked:
    file access only to read the warehouse's own folder."""
    root = Path(root).resolve()
    if not root.is_dir():
        raise InputError(
            f"{root}: no warehouse here. Load a clip into it with `civility warehouse load`, "
            "or point --warehouse / $CIVILITY_WAREHOUSE at an existing one."
        )
    try:
        con = open_catalog(root)
    except OSError:
        # A warehouse the analyst may only read (permissions, a read-only mount): its views,
        # built in memory for this session.
        from analytics.warehouse import connect

        con = connect(root)
        con.execute("set search_path = 'main'")
    lock_down(con, root)
    return con


def lock_down(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """No file access but reading ``root``; no setting can be changed after this."""
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"set allowed_directories = [{quoted(f'{Path(root).resolve()}/')}]")
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")


def checked_statements(con: duckdb.DuckDBPyConnection, text: str) -> list[duckdb.Statement]:
    """The statements of ``text``, each a query or a variable setting; anything else is refused
    before anything runs."""
    try:
        statements = con.extract_statements(text)
    except duckdb.Error as error:
        raise InputError(f"the query does not parse: {error}") from None
    if not statements:
        raise InputError("no SQL statement given: write a query, e.g. select * from dim_cameras")
    for statement in statements:
        refusal = refusal_of(con, statement)
        if refusal:
            raise QueryRefused(f"refused: {refusal}; {READS}: nothing was run ({HOW_TO_SAVE})")
    return statements


def refusal_of(con: duckdb.DuckDBPyConnection, statement: duckdb.Statement) -> str | None:
    kind = statement.type.name
    text = statement.query.strip()
    if kind in QUERY_TYPES:
        return None
    if kind == "EXPLAIN":
        [explained] = con.extract_statements(_EXPLAIN.sub("", text, count=1))
        return refusal_of(con, explained)
    if kind == "SET" and _VARIABLE.match(text):
        return None
    first_word = text.split(maxsplit=1)[0].upper() if text else kind
    if kind == "COPY" or kind == "EXPORT":
        return f"{first_word} writes files"
    return f"{first_word} is not a query ({kind.lower()} statement)"


def explained_error(error: duckdb.Error) -> InputError:
    """A DuckDB error as the analyst's error: reading outside the warehouse is a refusal."""
    if isinstance(error, duckdb.PermissionException):
        return QueryRefused(
            f"refused: the query reaches outside the warehouse ({error}); {READS} and its own files"
        )
    return InputError(f"query failed: {error}")
