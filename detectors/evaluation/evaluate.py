"""Running an evaluation set: detect on every clip, score it against its truth, build the report.

The report dict holds the keys of ground-truth.md ("The evaluation report") and, per clip, every
pair, every unmatched detection and every unmatched true event, each with its nearest
counterpart and why the two were not paired, so a developer can see what went wrong.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from detectors.config.errors import InputError
from detectors.evaluation.eval_set import CONDITIONS, Condition, EvalClip, find_index, load_eval_set
from detectors.evaluation.explain import Explanation, FrameLog, explain_clip, write_index
from detectors.evaluation.matching import (
    Matching,
    NearMiss,
    Pair,
    match_events,
    why_unmatched_detection,
    why_unmatched_event,
)
from detectors.evaluation.scores import (
    CourierAgreement,
    RuleCounts,
    SignalAgreement,
    count_conditions,
    count_rule,
    courier_agreement,
    detected_courier,
    signal_agreement,
)
from detectors.events.violation import RULES, Rule, Violation
from detectors.signals.states import SignalSegment


@dataclass(frozen=True)
class ClipDetections:
    """What the pipeline found in one clip."""

    violations: Sequence[Violation]
    signal_timeline: Sequence[SignalSegment]
    frame_width: int  # decoded width of the clip; the 12% position tolerance is a share of it
    error: str | None = None  # why the clip could not be analysed; it then found nothing
    frames: FrameLog | None = None  # what each frame showed, when recorded for --explain


Detect = Callable[[Path, Path], ClipDetections]  # (video, camera YAML) -> detections
ProgressCallback = Callable[[int, int, EvalClip], None]  # (clip number from 1, clip count, clip)


@dataclass(frozen=True)
class ClipScore:
    clip: EvalClip
    detections: ClipDetections
    matching: Matching
    counts: dict[Rule, RuleCounts]
    conditions: dict[Rule, dict[Condition, RuleCounts]]
    signals: dict[str, SignalAgreement]
    courier: CourierAgreement


def evaluate_set(
    set_dir: Path,
    detect: Detect,
    progress: ProgressCallback | None = None,
    explain_dir: Path | None = None,
) -> dict[str, Any]:
    """Check the whole set first, then run ``detect`` on each clip and score it.

    A clip the engine refuses (a corrupt video, a plan signal without a start time) does not stop
    the run: it is scored as having found nothing, so its true events count as missed, and its
    report entry says why. With ``explain_dir``, every missed and false event of a clip whose
    frames were recorded is explained there (explain.py), indexed by ``explain.md``.
    """
    clips = load_eval_set(set_dir)
    scores = []
    explained: dict[str, list[Explanation]] = {}
    for number, clip in enumerate(clips, start=1):
        if progress is not None:
            progress(number, len(clips), clip)
        try:
            detections = detect(clip.video, clip.camera)
        except InputError as exc:
            detections = ClipDetections([], [], frame_width=1, error=str(exc))
        score = score_clip(clip, detections)
        scores.append(score)
        if explain_dir is not None and detections.frames is not None:
            explained[f"{clip.video.name} ({clip.camera_id})"] = explain_score(score, explain_dir)
    report = build_report(set_dir, scores)
    if explain_dir is not None:
        report["explain"] = str(write_index(explained, explain_dir))
    return report


def explain_score(score: ClipScore, explain_dir: Path) -> list[Explanation]:
    """The missed and false events of one scored clip, each traced to a stage and drawn."""
    assert score.detections.frames is not None
    complete = score.clip.truth.complete_for
    missed = [e for e in score.matching.unmatched_events if e.rule in complete]
    false = [v for v in score.matching.unmatched_detections if v.rule in complete]
    return explain_clip(
        score.clip,
        missed,
        false,
        score.detections.frames,
        score.detections.signal_timeline,
        score.detections.violations,
        {pair.violation.event_id: pair.event.t for pair in score.matching.matches},
        score.detections.frame_width,
        explain_dir,
    )


def score_clip(clip: EvalClip, detections: ClipDetections) -> ClipScore:
    truth = clip.truth
    matching = match_events(truth.events, detections.violations, detections.frame_width)
    counts = {
        rule: count_rule(matching.of_rule(rule), complete=rule in truth.complete_for)
        for rule in RULES
    }
    conditions = {
        rule: count_conditions(matching.of_rule(rule), complete=rule in truth.complete_for)
        for rule in RULES
    }
    signals = signal_agreement(truth.signal_states, detections.signal_timeline)
    courier = courier_agreement(matching.matches)
    return ClipScore(clip, detections, matching, counts, conditions, signals, courier)


def build_report(set_dir: Path, scores: Sequence[ClipScore]) -> dict[str, Any]:
    base = find_index(set_dir).parent
    per_signal: dict[str, SignalAgreement] = {}
    for score in scores:
        for signal_id, agreement in score.signals.items():
            # Signal ids are per camera; two clips of one camera share its signals.
            key = f"{score.clip.camera_id}/{signal_id}"
            per_signal[key] = per_signal.get(key, SignalAgreement()) + agreement
    rules = {}
    for rule in RULES:
        total = sum((score.counts[rule] for score in scores), RuleCounts())
        complete = sum(rule in score.clip.truth.complete_for for score in scores)
        rules[rule] = {**asdict(total), **_rates_json(total), "complete_clips": complete}
    conditions = {
        rule: {
            condition: _recall_json(
                sum((score.conditions[rule][condition] for score in scores), RuleCounts())
            )
            for condition in CONDITIONS
        }
        for rule in RULES
    }
    return {
        "eval_set": str(set_dir),
        "rules": rules,
        "conditions": conditions,
        "signals": _signals_json(per_signal),
        "courier": _courier_json(sum((score.courier for score in scores), CourierAgreement())),
        "clips": [_clip_json(score, base) for score in scores],
    }


def _clip_json(score: ClipScore, base: Path) -> dict[str, Any]:
    clip, width = score.clip, score.detections.frame_width
    events, violations = clip.truth.events, score.detections.violations
    rules = {}
    for rule in RULES:
        matching = score.matching.of_rule(rule)
        rules[rule] = {
            "complete": rule in clip.truth.complete_for,
            **asdict(score.counts[rule]),
            "matches": [_pair_json(pair) for pair in matching.matches],
            "unmatched_detections": [
                {
                    **_detection_json(v),
                    "nearest": _miss_json(why_unmatched_detection(v, events, width)),
                }
                for v in matching.unmatched_detections
            ],
            "unmatched_events": [
                {
                    **e.model_dump(mode="json"),
                    "nearest": _miss_json(why_unmatched_event(e, violations, width)),
                }
                for e in matching.unmatched_events
            ],
        }
    return {
        "video": os.path.relpath(clip.video, base),
        "camera": os.path.relpath(clip.camera, base),
        "truth": os.path.relpath(clip.truth_path, base),
        "camera_id": clip.camera_id,
        "error": score.detections.error,
        "frame_width": width,
        "rules": rules,
        "signals": _signals_json(score.signals),
        "courier": _courier_json(score.courier),
    }


def _rates_json(counts: RuleCounts) -> dict[str, float | None]:
    return {"precision": counts.precision, "recall": counts.recall, "f1": counts.f1}


def _recall_json(counts: RuleCounts) -> dict[str, int | float | None]:
    return {"tp": counts.tp, "fn": counts.fn, "recall": counts.recall}


def _signals_json(per_signal: dict[str, SignalAgreement]) -> dict[str, Any]:
    return {
        **_signal_json(sum(per_signal.values(), SignalAgreement())),
        "per_signal": {key: _signal_json(value) for key, value in per_signal.items()},
    }


def _signal_json(agreement: SignalAgreement) -> dict[str, Any]:
    confusion: dict[str, dict[str, float]] = {}
    for (true_state, read_state), seconds in sorted(agreement.confusion_s.items()):
        confusion.setdefault(true_state, {})[read_state] = round(seconds, 3)
    return {
        "accuracy": agreement.accuracy,
        "labelled_s": round(agreement.labelled_s, 3),
        "correct_s": round(agreement.correct_s, 3),
        "confusion_s": confusion,  # true state -> state read -> seconds
    }


def _courier_json(agreement: CourierAgreement) -> dict[str, Any]:
    return {"accuracy": agreement.accuracy, "n": agreement.n, "correct": agreement.correct}


def _detection_json(violation: Violation) -> dict[str, Any]:
    # float()/int(): the pipeline may hand over numpy scalars, which json cannot write.
    return {
        "event_id": violation.event_id,
        "t": float(violation.t_s),
        "t_end": None if violation.t_end_s is None else float(violation.t_end_s),
        "x": float(violation.x),
        "y": float(violation.y),
        "zone": violation.zone_id,
        "track_id": int(violation.track_id),
        "class_name": violation.class_name,
        "confidence": float(violation.confidence),
    }


def _pair_json(pair: Pair) -> dict[str, Any]:
    event, violation = pair.event, pair.violation
    return {
        "t": event.t,
        "t_end": event.t_end,
        "t_detected": float(violation.t_s),
        "dt_s": round(float(pair.dt_s), 3),
        "distance_px": round(pair.distance_px, 1),
        "zone": event.zone,
        "zone_detected": violation.zone_id,
        "event_id": violation.event_id,
        "courier": event.courier,
        "courier_detected": detected_courier(violation) if event.rule == "wrong_way" else None,
    }


def _miss_json(miss: NearMiss | None) -> dict[str, Any] | None:
    if miss is None:
        return None
    return {
        "t_true": miss.pair.event.t,
        "t_detected": float(miss.pair.violation.t_s),
        "dt_s": round(float(miss.pair.dt_s), 3),
        "distance_px": round(miss.pair.distance_px, 1),
        "why": miss.why,
    }
