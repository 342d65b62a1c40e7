"""Errors for bad input that a person must fix: each names the thing and the fix."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class InputError(Exception):
    """Bad input that a person must fix; its message is shown as-is, never as a traceback."""


class ConfigError(InputError):
    """A configuration file with problems; ``kind`` says what the file is for."""

    def __init__(
        self, path: str | Path, where: str | None, problem: str, kind: str = "camera config"
    ):
        self.path = Path(path)
        self.where = where
        self.problem = problem
        location = f"{self.path}" + (f" ({where})" if where else "")
        lines = problem.splitlines()
        if len(lines) > 1:
            body = "\n".join(f"  - {line}" for line in lines)
            super().__init__(f"{kind} {location} is invalid:\n{body}")
        else:
            super().__init__(f"{kind} {location}: {problem}")


def read_yaml_mapping(path: Path, kind: str, loader: type = yaml.SafeLoader) -> dict[str, Any]:
    """The top-level mapping of a YAML file, or a ConfigError saying why there is none."""
    if not path.is_file():
        problem = f"file not found; pass the path of the {kind} YAML file"
        raise ConfigError(path, None, problem, kind)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        problem = f"not valid YAML ({getattr(exc, 'problem', exc)}); fix the syntax"
        raise ConfigError(path, where, problem, kind) from None
    if not isinstance(data, dict):
        raise ConfigError(path, None, "expected a mapping of fields at the top level", kind)
    return data


def explain_validation_error(
    exc: ValidationError, known_fields: dict[str, list[str]], reference: str
) -> str:
    """One line per problem: field path, what is wrong, and the fix.

    ``known_fields`` maps a parent field name ("top" for the top level) to its allowed fields, for
    did-you-mean hints; ``reference`` names the document that lists the fields.
    """
    return "\n".join(_explain(error, known_fields, reference) for error in exc.errors())


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _explain(error: Any, known_fields: dict[str, list[str]], reference: str) -> str:
    location = tuple(error["loc"])
    path = field_path(location)
    if error["type"] == "extra_forbidden":
        field = str(location[-1])
        parents = [p for p in location[:-1] if isinstance(p, str) and p in known_fields]
        hint = did_you_mean(field, known_fields.get(parents[-1] if parents else "top", []))
        return f"{path}: unknown field '{field}'{hint}; remove it or fix its name"
    if error["type"] == "missing":
        return f"{path}: required field is missing; add it (see {reference})"
    return f"{path}: {error['msg'].removeprefix('Value error, ')}"


def field_path(location: tuple[Any, ...]) -> str:
    """``("crosswalks", 0, "polygon")`` -> ``crosswalks[0].polygon``."""
    path = ""
    previous: Any = None
    for part in location:
        is_union_branch = isinstance(previous, int) and part in {"vision", "timeline", "plan"}
        previous = part
        if isinstance(part, int):
            path += f"[{part}]"
        elif "[" in str(part) or is_union_branch:
            continue  # pydantic's names of union branches and validators mean nothing to a reader
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"
