"""Showing and saving an evaluation report (the dict built by ``evaluate.build_report``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from detectors.atomic import write_atomically
from detectors.config.errors import InputError

NOT_SCORED = "–"  # a null score: nothing was labelled, or nothing was detected


def render_report(report: dict[str, Any]) -> Group:
    """Per-rule scores, per-clip counts, then signal reading and courier attribution.

    Cells fold rather than end in an ellipsis: a clip's name must stay whole in any width."""
    failed = [
        Text(f"not analysed, scored as finding nothing: {clip['video']}: {clip['error']}", "yellow")
        for clip in report["clips"]
        if clip.get("error")
    ]
    return Group(
        _rules_table(report["rules"]),
        _conditions_table(report["conditions"]),
        _clips_table(report["clips"]),
        _other_table(report),
        _confusion_table(report["signals"]["confusion_s"]),
        *failed,
    )


def write_report_json(report: dict[str, Any], path: Path) -> None:
    """Write the report so that readers never see a half-written file."""
    if path.is_dir():
        raise InputError(f"report path {path} is a folder; pass a file path, e.g. {path}/eval.json")
    # Serialise first: a report that cannot be written must not leave a temp file behind.
    text = json.dumps(report, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))


def _rules_table(rules: dict[str, dict[str, Any]]) -> Table:
    table = Table(
        title="Detection by rule",
        caption="TP, FP, FN: clips complete for the rule. TP partial: matched in other clips; "
        "they count towards precision only.",
    )
    for column in ("Rule", "Clips complete", "TP", "FP", "FN", "TP partial"):
        table.add_column(column, justify="left" if column == "Rule" else "right", overflow="fold")
    for column in ("Precision", "Recall", "F1"):
        table.add_column(column, justify="right", overflow="fold")
    for rule, scores in rules.items():
        table.add_row(
            rule,
            *(str(scores[key]) for key in ("complete_clips", "tp", "fp", "fn", "tp_incomplete")),
            *(_rate(scores[key]) for key in ("precision", "recall", "f1")),
        )
    return table


def _conditions_table(conditions: dict[str, dict[str, dict[str, Any]]]) -> Table:
    table = Table(
        title="Recall by condition",
        caption="True events tagged with the condition, in clips complete for the rule.",
    )
    table.add_column("Condition")
    for rule in conditions:
        table.add_column(f"{rule} TP/FN", justify="right")
        table.add_column("Recall", justify="right")
    tags = next(iter(conditions.values()), {})
    for tag in tags:
        cells = []
        for per_tag in conditions.values():
            counts = per_tag[tag]
            cells += [f"{counts['tp']}/{counts['fn']}", _rate(counts["recall"])]
        table.add_row(tag, *cells)
    return table


def _clips_table(clips: list[dict[str, Any]]) -> Table:
    table = Table(title="Per clip (TP/FP/FN; partial: matched only)")
    table.add_column("Video", overflow="fold")
    rules = list(clips[0]["rules"]) if clips else []
    for rule in rules:
        table.add_column(rule, justify="right", overflow="fold")
    table.add_column("Signal accuracy", justify="right", overflow="fold")
    table.add_column("Courier accuracy", justify="right", overflow="fold")
    for clip in clips:
        table.add_row(
            Path(clip["video"]).name,
            *(_clip_counts(clip["rules"][rule]) for rule in rules),
            _rate(clip["signals"]["accuracy"]),
            _rate(clip["courier"]["accuracy"]),
        )
    return table


def _other_table(report: dict[str, Any]) -> Table:
    table = Table(title="Signal reading and courier attribution")
    table.add_column("Score", overflow="fold")
    table.add_column("Accuracy", justify="right", overflow="fold")
    table.add_column("Over", justify="right", overflow="fold")
    signals, courier = report["signals"], report["courier"]
    table.add_row("signal reading", _rate(signals["accuracy"]), _seconds(signals["labelled_s"]))
    for key, signal in signals["per_signal"].items():
        table.add_row(f"  {key}", _rate(signal["accuracy"]), _seconds(signal["labelled_s"]))
    table.add_row("courier attribution", _rate(courier["accuracy"]), f"{courier['n']} matched")
    return table


def _confusion_table(confusion: dict[str, dict[str, float]]) -> Table:
    """Labelled seconds by true state (rows) and the state read (columns)."""
    table = Table(title="Signal reading: seconds by true state (rows) and state read (columns)")
    read_states = sorted({read for row in confusion.values() for read in row})
    table.add_column("True state")
    for state in read_states:
        table.add_column(state, justify="right")
    for true_state, row in confusion.items():
        table.add_row(true_state, *(f"{row[s]:.1f}" if s in row else "" for s in read_states))
    return table


def _clip_counts(counts: dict[str, Any]) -> str:
    if counts["complete"]:
        return f"{counts['tp']}/{counts['fp']}/{counts['fn']}"
    return f"partial, {counts['tp_incomplete']} matched"


def _rate(value: float | None) -> str:
    return NOT_SCORED if value is None else f"{value:.3f}"


def _seconds(value: float) -> str:
    return f"{value:.1f} s labelled"
