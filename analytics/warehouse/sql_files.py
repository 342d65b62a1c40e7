"""The project's SQL, kept in ``analytics/sql`` as one select statement per file."""

from __future__ import annotations

from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
# Applied in this order: each layer only reads the layers before it (dbt's convention).
LAYERS = ("staging", "intermediate", "marts")


def sql_text(relative: str) -> str:
    """The body of ``analytics/sql/<relative>.sql``."""
    return (SQL_DIR / f"{relative}.sql").read_text(encoding="utf-8")


def layered_models() -> list[tuple[str, str]]:
    """(view name, select statement) of every model, layer by layer, by name within a layer."""
    models = []
    for layer in LAYERS:
        for path in sorted((SQL_DIR / layer).glob("*.sql")):
            models.append((path.stem, path.read_text(encoding="utf-8")))
    return models


def header_comment(body: str) -> str:
    """The comment lines a model's file starts with (its grain and meaning), as one text."""
    lines = []
    for line in body.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line.removeprefix("--").strip())
    return " ".join(lines)


def quoted(text: str) -> str:
    """``text`` as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"
