"""A copy of a shape-agnostic OpenVINO model fixed to one input shape, made once per shape.

OpenVINO's CPU plugin runs a model compiled for one input shape faster than the same model
compiled for any shape: YOLO11n on a 384 x 640 input takes 29.5 ms (56 ms of CPU) instead of
39.8 ms (78 ms of CPU) on 2 cores (benchmarks/README.md). All frames of a camera have one size, so
its letterboxed input has one shape. The weights are not touched: boxes are those of the original
model, and outputs keep the original model's version.

The copy is an ordinary ultralytics OpenVINO export folder (its ``metadata.yaml`` states the fixed
size), so ultralytics loads and letterboxes it as it would any fixed-size export.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import yaml

from detectors.atomic import staged_folder

CACHE_ENV = "CIVILITY_CACHE_DIR"
MODELS_FOLDER = "models"  # under the cache: the fixed-shape copies, and the compiled models
STRIDE = 32  # YOLO's largest downsampling step: input sides must be multiples of it
OPENVINO_FOLDER_SUFFIX = "_openvino_model"  # how ultralytics recognises an OpenVINO export

log = logging.getLogger(__name__)


def cache_dir() -> Path:
    """Where derived models are kept: ``$CIVILITY_CACHE_DIR``, else the user's cache folder."""
    if configured := os.environ.get(CACHE_ENV):
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "traffic-civility"


def letterbox_shape(frame_height: int, frame_width: int, image_size: int) -> tuple[int, int]:
    """(height, width) of the detector input for a frame: the frame scaled so its long side is
    ``image_size``, each side padded up to a multiple of the stride (as ultralytics letterboxes
    frames for a shape-agnostic model)."""
    scale = min(image_size / frame_height, image_size / frame_width)
    scaled = (max(round(frame_height * scale), 1), max(round(frame_width * scale), 1))
    return tuple(side + (image_size - side) % STRIDE for side in scaled)


def openvino_export(model: str) -> Path | None:
    """The folder of an ultralytics OpenVINO export whose input shape is not fixed, else None."""
    folder = Path(model)
    if not folder.is_dir() or not folder.name.endswith(OPENVINO_FOLDER_SUFFIX):
        return None
    metadata = _read_metadata(folder)
    return folder if metadata.get("args", {}).get("dynamic") else None


def fixed_shape_model(
    export: Path, version: str, shape: tuple[int, int], root: Path
) -> Path | None:
    """The path of ``export`` fixed to ``shape`` (height, width), made under ``root`` on first use.
    ``version`` (name and weights hash) keys the copy, so a changed model never reuses a stale one.

    Returns None when the copy cannot be written (e.g. a read-only cache): the caller then runs
    the original model, which gives the same boxes more slowly.
    """
    height, width = shape
    name = version.replace(OPENVINO_FOLDER_SUFFIX, "")
    folder = root / MODELS_FOLDER / f"{name}-{height}x{width}{OPENVINO_FOLDER_SUFFIX}"
    if (folder / "metadata.yaml").is_file():
        return folder
    try:
        with staged_folder(folder, shared=True) as staging:
            _write_fixed_copy(export, shape, staging)
    except OSError as exc:
        log.warning(
            "could not write the %sx%s copy of %s under %s (%s); running the model as it is, "
            "which is slower; set %s to a writable folder",
            height,
            width,
            export,
            root,
            exc,
            CACHE_ENV,
        )
        return None
    return folder


def _write_fixed_copy(export: Path, shape: tuple[int, int], target: Path) -> None:
    import openvino as ov

    xml = next(export.glob("*.xml"))
    network = ov.Core().read_model(xml)
    network.reshape({network.input().get_any_name(): [1, 3, *shape]})
    ov.save_model(network, target / xml.name)
    metadata = _read_metadata(export)
    metadata["imgsz"] = list(shape)
    metadata["args"] = {**metadata.get("args", {}), "dynamic": False}
    (target / "metadata.yaml").write_text(
        yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def _read_metadata(export: Path) -> dict:
    path = export / "metadata.yaml"
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
