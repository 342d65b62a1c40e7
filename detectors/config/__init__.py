"""Configuration: camera YAML files and detection settings."""

from detectors.config.camera import CameraConfig, load_camera
from detectors.config.errors import ConfigError, InputError

__all__ = ["CameraConfig", "ConfigError", "InputError", "load_camera"]
