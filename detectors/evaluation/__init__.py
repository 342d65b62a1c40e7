"""Scoring the pipeline against an evaluation set (shared/spec/ground-truth.md)."""

from detectors.evaluation.eval_set import EvalClip, EvalSetError, Truth, load_eval_set
from detectors.evaluation.evaluate import ClipDetections, evaluate_set
from detectors.evaluation.report import render_report, write_report_json

__all__ = [
    "ClipDetections",
    "EvalClip",
    "EvalSetError",
    "Truth",
    "evaluate_set",
    "load_eval_set",
    "render_report",
    "write_report_json",
]
