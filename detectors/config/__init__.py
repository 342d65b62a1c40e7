"""Configuration: camera YAML files and detection settings.

Names are imported on first use: ``detectors.config.errors`` (which every command line imports)
must not pay for the camera model's imports.
"""

from importlib import import_module
from typing import Any

_HOMES = {
    "CameraConfig": "camera",
    "load_camera": "camera",
    "ConfigError": "errors",
    "InputError": "errors",
}
__all__ = ["CameraConfig", "ConfigError", "InputError", "load_camera"]


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
