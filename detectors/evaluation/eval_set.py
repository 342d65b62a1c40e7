"""Reading an evaluation set: ``index.yaml`` and one truth JSON per clip (see ground-truth.md).

Everything is checked before any clip is run, so a typo in clip five does not surface after the
detector has spent minutes on clips one to four. Each problem names the file, the field and a fix.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from detectors.config.camera import CameraConfig, load_camera
from detectors.config.errors import InputError
from detectors.events.violation import Rule
from detectors.signals.states import SignalState

INDEX_FILE = "index.yaml"
SPEC = "shared/spec/ground-truth.md"

Model = TypeVar("Model", bound=BaseModel)

# What a true event tests (ground-truth.md): far = under 40 px tall at t, clip_start = already in
# the zone in the first frame, edge = at the frame edge. Reports break recall down by them.
Condition = Literal["far", "near", "night", "clip_start", "occluded", "edge"]
CONDITIONS: tuple[Condition, ...] = get_args(Condition)


class EvalSetError(InputError):
    """A problem in an evaluation set file; the message names the file, the field and the fix."""

    def __init__(self, path: str | Path, problems: list[str]):
        self.path = Path(path)
        self.problems = problems
        if len(problems) == 1:
            super().__init__(f"evaluation set file {self.path}: {problems[0]}")
        else:
            body = "\n".join(f"  - {problem}" for problem in problems)
            super().__init__(f"evaluation set file {self.path} is invalid:\n{body}")


class StrictModel(BaseModel):
    # Unknown fields are errors: a misspelt "t_ned" must not silently drop an event's window.
    model_config = ConfigDict(extra="forbid", frozen=True)


class TruthEvent(StrictModel):
    rule: Rule
    t: float = Field(ge=0)
    t_end: float | None = None
    x: float
    y: float
    zone: str
    courier: bool | None = None
    conditions: tuple[Condition, ...] = ()

    @field_validator("conditions", mode="before")
    @classmethod
    def _known_conditions(cls, conditions: Any) -> Any:
        # Named here because pydantic's own message would not say which tag was wrong.
        tags = conditions if isinstance(conditions, list | tuple) else []
        unknown = [tag for tag in tags if tag not in CONDITIONS]
        if unknown:
            raise ValueError(
                f"unknown condition {', '.join(map(repr, unknown))}; "
                f"the conditions are {', '.join(CONDITIONS)}"
            )
        if len(set(tags)) < len(tags):
            raise ValueError(f"a condition is listed twice in {list(tags)}; list each once")
        return conditions

    @model_validator(mode="after")
    def _consistent(self) -> TruthEvent:
        if self.t_end is not None and self.t_end < self.t:
            raise ValueError(
                f"t_end {self.t_end:g} is before t {self.t:g}; t_end is when it leaves the zone"
            )
        if self.courier is not None and self.rule != "wrong_way":
            raise ValueError("courier is labelled on wrong_way events only; remove it here")
        return self


class SignalLabel(StrictModel):
    signal: str
    from_s: float = Field(ge=0)
    to_s: float
    state: SignalState

    @model_validator(mode="after")
    def _forward(self) -> SignalLabel:
        if self.to_s <= self.from_s:
            raise ValueError(f"to_s {self.to_s:g} must be after from_s {self.from_s:g}")
        return self

    @property
    def duration_s(self) -> float:
        return self.to_s - self.from_s


class Truth(StrictModel):
    duration_s: float = Field(gt=0)
    complete_for: list[Rule]
    events: list[TruthEvent]
    signal_states: list[SignalLabel] = Field(default_factory=list)

    @model_validator(mode="after")
    def _labels_do_not_overlap(self) -> Truth:
        # Two labels for one signal at one moment would count that time twice in labelled_s.
        problems = []
        by_signal = sorted(
            enumerate(self.signal_states), key=lambda item: (item[1].signal, item[1].from_s)
        )
        for (_, earlier), (index, later) in zip(by_signal, by_signal[1:], strict=False):
            if earlier.signal == later.signal and later.from_s < earlier.to_s:
                problems.append(
                    f"signal_states[{index}] ({later.signal} from {later.from_s:g} s) overlaps the "
                    f"label ending at {earlier.to_s:g} s; label each moment of a signal once"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self


class IndexClip(StrictModel):
    video: str
    camera: str
    truth: str


class Index(StrictModel):
    clips: list[IndexClip] = Field(min_length=1)


@dataclass(frozen=True)
class EvalClip:
    video: Path
    camera: Path
    truth: Truth
    truth_path: Path
    camera_id: str


def load_eval_set(set_dir: Path) -> list[EvalClip]:
    """Read ``index.yaml`` in ``set_dir`` (or the index file itself) and every file it names."""
    index_path, index = read_index(set_dir)
    base = index_path.parent
    problems, commands = [], set()
    for i, entry in enumerate(index.clips):
        for field, raw in (
            ("video", entry.video),
            ("camera", entry.camera),
            ("truth", entry.truth),
        ):
            if (base / raw).is_file():
                continue
            if field == "video" and (command := _command_making(base / raw)):
                commands.add(command)
                continue
            problems.append(
                f"clips[{i}].{field}: {raw} not found (looked for {base / raw}); "
                f"paths are relative to {INDEX_FILE}"
            )
    if commands:
        # One line: whoever runs a fresh checkout needs the command, not a list of files.
        problems.append(
            f"derived clips not made yet; make them with: {' && '.join(sorted(commands))}"
        )
    if problems:
        raise EvalSetError(index_path, problems)
    return [_load_clip(base, entry) for entry in index.clips]


def read_index(set_dir: Path) -> tuple[Path, Index]:
    """The index file of a set and what it lists, without checking the files it names."""
    index_path = find_index(set_dir)
    if not index_path.is_file():
        where = f"no {INDEX_FILE} in this folder" if set_dir.exists() else "folder not found"
        fix = f"pass the evaluation set folder holding {INDEX_FILE}"
        raise EvalSetError(index_path, [f"{where}; {fix}"])
    return index_path, parse_file(index_path, Index, read_yaml(index_path))


def _command_making(video: Path) -> str | None:
    """The command that makes ``video`` if it is a derived clip (detectors.evaluation.derive)."""
    from detectors.evaluation.derive import make_command, recipe_for  # derive builds on this

    return make_command(video.parent) if recipe_for(video) else None


def find_index(set_dir: Path) -> Path:
    """The index file of a set, given its folder or (a convenience) the index file itself."""
    return set_dir if set_dir.is_file() else set_dir / INDEX_FILE


def load_truth(path: Path) -> Truth:
    """Read and validate one truth JSON file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        problem = f"line {exc.lineno}: not valid JSON ({exc.msg}); fix the syntax"
        raise EvalSetError(path, [problem]) from None
    return parse_file(path, Truth, data)


def _load_clip(base: Path, entry: IndexClip) -> EvalClip:
    camera_path, truth_path = (base / entry.camera).resolve(), (base / entry.truth).resolve()
    camera = load_camera(camera_path)
    truth = load_truth(truth_path)
    problems = _unknown_ids(truth, camera, camera_path.name)
    if problems:
        raise EvalSetError(truth_path, problems)
    video_path = (base / entry.video).resolve()
    return EvalClip(video_path, camera_path, truth, truth_path, camera.camera_id)


def _unknown_ids(truth: Truth, camera: CameraConfig, camera_name: str) -> list[str]:
    """Labels naming a signal, lane or crosswalk the clip's camera does not have."""
    signals = [signal.id for signal in camera.signals]
    zones = {
        "pedestrian_red_light": ("crosswalk", [crosswalk.id for crosswalk in camera.crosswalks]),
        "wrong_way": ("lane", [lane.id for lane in camera.lanes]),
    }
    problems = [
        f"signal_states[{i}].signal: '{label.signal}' is not a signal of camera {camera_name} "
        f"(known: {', '.join(signals) or 'none'}); use the camera's signal id"
        for i, label in enumerate(truth.signal_states)
        if label.signal not in signals
    ]
    for i, event in enumerate(truth.events):
        kind, ids = zones[event.rule]
        if event.zone not in ids:
            problems.append(
                f"events[{i}].zone: '{event.zone}' is not a {kind} of camera {camera_name} "
                f"(known: {', '.join(ids) or 'none'}); a {event.rule} event names its {kind}"
            )
    return problems


def read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        problem = f"{where}not valid YAML ({getattr(exc, 'problem', exc)}); fix the syntax"
        raise EvalSetError(path, [problem]) from None


def parse_file(path: Path, model: type[Model], data: Any, guide: str = SPEC) -> Model:
    """Validate a file's data; each problem names its field and points to ``guide``."""
    if not isinstance(data, dict):
        raise EvalSetError(path, [f"expected a mapping of fields at the top level (see {guide})"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        names = sorted(_field_names(model))
        raise EvalSetError(
            path, [_explain(error, names, guide) for error in exc.errors()]
        ) from None


def _field_names(model: type[BaseModel]) -> set[str]:
    """The names of the model's fields and of the fields of every model nested in it."""
    names = set()
    for name, field in model.model_fields.items():
        names.add(field.alias or name)
        pending = [field.annotation]
        while pending:
            annotation = pending.pop()
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                names |= _field_names(annotation)
            pending += get_args(annotation)
    return names


def _explain(error: Any, names: list[str], guide: str) -> str:
    location = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
    location = location.removeprefix(".") or "(top level)"
    if error["type"] == "extra_forbidden":
        close = difflib.get_close_matches(str(error["loc"][-1]), names, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"{location}: unknown field{hint}; remove it or fix its name (see {guide})"
    if error["type"] == "missing":
        return f"{location}: required field is missing; add it (see {guide})"
    return f"{location}: {error['msg'].removeprefix('Value error, ')}"
