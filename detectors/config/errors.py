"""Errors for bad input that a person must fix: each names the thing and the fix."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input that a person must fix; its message is shown as-is, never as a traceback."""


class ConfigError(InputError):
    def __init__(self, path: str | Path, where: str | None, problem: str):
        self.path = Path(path)
        self.where = where
        self.problem = problem
        location = f"{self.path}" + (f" ({where})" if where else "")
        lines = problem.splitlines()
        if len(lines) > 1:
            body = "\n".join(f"  - {line}" for line in lines)
            super().__init__(f"camera config {location} is invalid:\n{body}")
        else:
            super().__init__(f"camera config {location}: {problem}")
