"""Camera configuration: the YAML contract of ``shared/spec/camera-config.md``.

Each camera file is validated as a whole; every problem is reported with the file, the field
path and a fix, never as a traceback. Unknown fields are errors so that a typo is never ignored.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from detectors.config.errors import (
    ConfigError,
    did_you_mean,
    explain_validation_error,
    read_yaml_mapping,
)
from detectors.config.timezones import TimezoneName
from detectors.signals.states import SignalState

Point = tuple[float, float]
ROAD_USER_CLASSES = ("bicycle", "motorcycle")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Crosswalk(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    # Our addition to the contract: the name people read (evidence captions, review pages).
    name: str | None = None
    polygon: list[Point] = Field(min_length=3)
    signal: str


class Lane(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str | None = None  # shown to people, as for crosswalks
    polygon: list[Point] = Field(min_length=3)
    direction: Point
    classes: list[Literal["bicycle", "motorcycle"]] = Field(
        default_factory=lambda: list(ROAD_USER_CLASSES), min_length=1
    )

    @field_validator("direction")
    @classmethod
    def _non_zero(cls, value: Point) -> Point:
        if math.hypot(*value) == 0:
            raise ValueError(
                "direction [0, 0] has no direction; give e.g. [0, -1] for 'up the image'"
            )
        return value

    def unit_direction(self) -> tuple[float, float]:
        norm = math.hypot(*self.direction)
        return self.direction[0] / norm, self.direction[1] / norm


class Plan(_Strict):
    cycle_s: float = Field(gt=0)
    offset_s: float = 0.0
    phases: list[tuple[SignalState, float]] = Field(min_length=1)

    @model_validator(mode="after")
    def _phases_fill_cycle(self) -> Plan:
        negative = [duration for _, duration in self.phases if duration < 0]
        if negative:
            raise ValueError(
                f"phase duration {negative[0]:g} s is negative; give each phase's length in seconds"
            )
        total = sum(duration for _, duration in self.phases)
        if not math.isclose(total, self.cycle_s, abs_tol=1e-6):
            raise ValueError(
                f"phase durations add up to {total:g} s but cycle_s is {self.cycle_s:g} s"
            )
        return self


class _SignalBase(_Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str | None = None  # shown to people, as for crosswalks
    kind: Literal["pedestrian", "vehicle"]


class VisionSignal(_SignalBase):
    source: Literal["vision"]
    roi: tuple[int, int, int, int]
    # Our additions to the contract: lamp order along the head, first lamp at top (or left).
    lamps: list[SignalState] | None = None
    layout: Literal["vertical", "horizontal"] | None = None

    @field_validator("roi")
    @classmethod
    def _positive_size(cls, value: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        if value[2] <= 0 or value[3] <= 0:
            raise ValueError("roi is [x, y, w, h]; w and h must be positive")
        return value

    def lamp_order(self) -> list[SignalState]:
        if self.lamps:
            return list(self.lamps)
        if self.kind == "pedestrian":
            return [SignalState.RED, SignalState.GREEN]
        return [SignalState.RED, SignalState.AMBER, SignalState.GREEN]

    def head_layout(self) -> str:
        return self.layout or ("vertical" if self.roi[3] >= self.roi[2] else "horizontal")


class TimelineSignal(_SignalBase):
    source: Literal["timeline"]
    timeline: list[tuple[float, SignalState]] = Field(min_length=1)

    @field_validator("timeline")
    @classmethod
    def _sorted(cls, value: list[tuple[float, SignalState]]) -> list[tuple[float, SignalState]]:
        times = [t for t, _ in value]
        if times != sorted(times) or times[0] < 0:
            raise ValueError("timeline change times must start at >= 0 s and increase")
        return value


class PlanSignal(_SignalBase):
    source: Literal["plan"]
    plan: Plan


Signal = Annotated[VisionSignal | TimelineSignal | PlanSignal, Field(discriminator="source")]


class CameraConfig(_Strict):
    camera_id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    name: str
    intersection_id: str
    district: str
    grid_cell: str | None = None
    timezone: TimezoneName
    frame_size: tuple[int, int]
    # Our addition to the contract: a still of the view the zones were drawn on (PNG or JPEG, a
    # path relative to the camera file). Frames are registered to it; without it, to the clip's
    # first frame (detectors/frames/view.py).
    reference_image: str | None = None
    crosswalks: list[Crosswalk] = Field(default_factory=list)
    lanes: list[Lane] = Field(default_factory=list)
    signals: list[Signal] = Field(default_factory=list)

    @field_validator("frame_size")
    @classmethod
    def _positive_frame(cls, value: tuple[int, int]) -> tuple[int, int]:
        if value[0] <= 0 or value[1] <= 0:
            raise ValueError("frame_size is [width, height] in pixels; both must be positive")
        return value

    @model_validator(mode="after")
    def _references_and_geometry(self) -> CameraConfig:
        problems = _geometry_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def signal(self, signal_id: str) -> VisionSignal | TimelineSignal | PlanSignal | None:
        return next((s for s in self.signals if s.id == signal_id), None)

    def scaled_to(self, width: int, height: int) -> CameraConfig:
        """The same camera with its geometry in the pixels of a clip of another resolution."""
        sx, sy = width / self.frame_size[0], height / self.frame_size[1]
        if sx == 1 and sy == 1:
            return self
        data = self.model_dump()
        data["frame_size"] = (width, height)
        for zone in data["crosswalks"] + data["lanes"]:
            # Clamped: a vertex drawn a pixel or two past the edge must stay within tolerance.
            zone["polygon"] = [
                (min(max(x * sx, 0.0), width), min(max(y * sy, 0.0), height))
                for x, y in zone["polygon"]
            ]
        for lane in data["lanes"]:
            lane["direction"] = (lane["direction"][0] * sx, lane["direction"][1] * sy)
        for signal in data["signals"]:
            if signal["source"] == "vision":
                x, y, w, h = signal["roi"]
                x, y = min(max(round(x * sx), 0), width - 1), min(max(round(y * sy), 0), height - 1)
                w, h = max(1, min(round(w * sx), width - x)), max(1, min(round(h * sy), height - y))
                signal["roi"] = (x, y, w, h)
        return CameraConfig.model_validate(data)


# A drawn vertex may sit a few pixels past the edge when traced by hand.
EDGE_TOLERANCE_PX = 2


def within_frame(x: float, y: float, width: int, height: int) -> bool:
    tolerance = EDGE_TOLERANCE_PX
    return -tolerance <= x <= width + tolerance and -tolerance <= y <= height + tolerance


def _geometry_problems(camera: CameraConfig) -> list[str]:
    width, height = camera.frame_size
    problems: list[str] = []

    def outside(x: float, y: float) -> bool:
        return not within_frame(x, y, width, height)

    signal_ids = [s.id for s in camera.signals]
    for kind, zones in (
        ("crosswalks", camera.crosswalks),
        ("lanes", camera.lanes),
        ("signals", camera.signals),
    ):
        ids = [z.id for z in zones]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(f"{kind}: id '{duplicate}' is used twice; ids must be unique")
    for zones, kind in ((camera.crosswalks, "crosswalks"), (camera.lanes, "lanes")):
        for index, zone in enumerate(zones):
            bad = [p for p in zone.polygon if outside(*p)]
            if bad:
                problems.append(
                    f"{kind}[{index}].polygon: point {list(bad[0])} lies outside the "
                    f"{width}x{height} frame; redraw it inside frame_size or fix frame_size"
                )
    for index, crosswalk in enumerate(camera.crosswalks):
        if crosswalk.signal not in signal_ids:
            known = ", ".join(signal_ids) or "none defined"
            problems.append(
                f"crosswalks[{index}].signal: unknown signal id '{crosswalk.signal}'"
                f"{did_you_mean(crosswalk.signal, signal_ids)}; known signals: {known}"
            )
    for index, signal in enumerate(camera.signals):
        if isinstance(signal, VisionSignal):
            x, y, w, h = signal.roi
            if outside(x, y) or outside(x + w, y + h):
                problems.append(
                    f"signals[{index}].roi: box {list(signal.roi)} reaches outside the "
                    f"{width}x{height} frame; move it over the signal head"
                )
    return problems


_KNOWN_FIELDS = {
    "top": list(CameraConfig.model_fields),
    "crosswalks": list(Crosswalk.model_fields),
    "lanes": list(Lane.model_fields),
    "signals": sorted(
        {*VisionSignal.model_fields, *TimelineSignal.model_fields, *PlanSignal.model_fields}
    ),
    "plan": list(Plan.model_fields),
}


def load_camera(path: str | Path) -> CameraConfig:
    """Read and validate one camera YAML file; raise ConfigError naming file, field and fix."""
    path = Path(path)
    data = read_yaml_mapping(path, "camera config")
    try:
        camera = CameraConfig.model_validate(data)
    except ValidationError as exc:
        problems = explain_validation_error(exc, _KNOWN_FIELDS, "shared/spec/camera-config.md")
        raise ConfigError(path, None, problems) from None
    if camera.reference_image is None:
        return camera
    reference = _reference_image_path(path, camera)
    return camera.model_copy(update={"reference_image": str(reference)})


def _reference_image_path(path: Path, camera: CameraConfig) -> Path:
    """The reference image beside the camera file, checked: it must show the camera's view at
    the aspect of ``frame_size`` (it may be larger or smaller)."""
    import cv2  # only cameras that name a reference image need OpenCV to load

    assert camera.reference_image is not None
    reference = (path.parent / camera.reference_image).resolve()
    if not reference.is_file():
        problem = (
            f"{camera.reference_image} not found (looked for {reference}); "
            "paths are relative to the camera file"
        )
        raise ConfigError(path, "reference_image", problem)
    image = cv2.imread(str(reference), cv2.IMREAD_COLOR)
    if image is None:
        problem = f"{reference} is not a readable image; give a PNG or JPEG"
        raise ConfigError(path, "reference_image", problem)
    image_height, image_width = image.shape[:2]
    width, height = camera.frame_size
    if abs(image_width / image_height - width / height) > 0.02 * width / height:
        problem = (
            f"{reference} is {image_width}x{image_height}, not the {width}x{height} "
            "aspect of frame_size; use a still of this camera's own view"
        )
        raise ConfigError(path, "reference_image", problem)
    return reference


def camera_config_hash(camera: CameraConfig) -> str:
    """A short stable fingerprint of the effective configuration, recorded with every output."""
    return camera_config_sha256(camera)[:16]


def camera_config_sha256(camera: CameraConfig) -> str:
    """SHA-256 of the configuration's content (not of the file: comments and layout do not
    count). Taken of the camera file as written, before scaling to a clip, it tells the pipeline
    when a camera's results are out of date. The reference image counts by its content: the
    zones are drawn on it, and where the cameras folder lies does not matter."""
    content = camera.model_dump(mode="json")
    if camera.reference_image is not None and Path(camera.reference_image).is_file():
        from detectors.outputs import file_sha256  # pyarrow, wanted only by cameras with one

        content["reference_image"] = file_sha256(Path(camera.reference_image))
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()
