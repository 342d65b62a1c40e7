"""Scores from matched pairs: per-rule counts and rates, signal reading and courier attribution.

How a clip counts for a rule depends on whether its truth is complete for that rule
(``complete_for`` in ground-truth.md):

- Complete: a matched detection is a true positive (``tp``), an unmatched detection a false
  positive (``fp``), an unmatched true event a false negative (``fn``).
- Not complete: only some of the clip's events of that rule are labelled, and the spec says the
  clip "counts only towards precision of what is labelled". We read that as: a detection matched
  to a labelled event is a true positive; an unmatched detection may be a real but unlabelled
  event, so it cannot be judged and is not a false positive; a labelled event that was missed is
  not a false negative either. Those true positives are kept apart as ``tp_incomplete`` and enter
  precision only: counting them in recall, whose misses we do not count here, would inflate it.

So ``tp``, ``fp`` and ``fn`` are summed over the clips complete for the rule, as the spec asks;
precision is (tp + tp_incomplete) / (tp + tp_incomplete + fp) and recall is tp / (tp + fn).
A rate whose denominator is zero (no detections, no true events) is ``None``, never 0 or 1.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Self

from detectors.evaluation.eval_set import CONDITIONS, Condition, SignalLabel
from detectors.evaluation.matching import Matching, Pair
from detectors.events.violation import Violation
from detectors.signals.states import SignalSegment


class _Summable:
    """Adds field by field, so totals over clips are ``sum(parts, Empty())``."""

    def __add__(self, other: Self) -> Self:
        values = (getattr(self, f.name) + getattr(other, f.name) for f in fields(self))
        return type(self)(*values)


@dataclass(frozen=True)
class RuleCounts(_Summable):
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tp_incomplete: int = 0  # matched in clips not complete for the rule: precision only

    @property
    def precision(self) -> float | None:
        matched = self.tp + self.tp_incomplete
        return ratio(matched, matched + self.fp)

    @property
    def recall(self) -> float | None:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return f1_score(self.precision, self.recall)


# The read state of labelled time that the timeline does not cover.
NOT_READ = "not_read"


@dataclass(frozen=True)
class SignalAgreement(_Summable):
    labelled_s: float = 0.0
    correct_s: float = 0.0  # labelled time in which the state read equals the true state
    # Seconds of labelled time per (true state, state read): where the misread time went.
    confusion_s: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float | None:
        return ratio(self.correct_s, self.labelled_s)


@dataclass(frozen=True)
class CourierAgreement(_Summable):
    n: int = 0  # matched wrong_way events whose truth carries ``courier``
    correct: int = 0

    @property
    def accuracy(self) -> float | None:
        return ratio(self.correct, self.n)


def ratio(numerator: float, denominator: float) -> float | None:
    return None if denominator == 0 else numerator / denominator


def f1_score(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def count_rule(matching: Matching, complete: bool) -> RuleCounts:
    """Counts of one clip for one rule; ``matching`` must hold only that rule's items."""
    if complete:
        return RuleCounts(
            tp=len(matching.matches),
            fp=len(matching.unmatched_detections),
            fn=len(matching.unmatched_events),
        )
    return RuleCounts(tp_incomplete=len(matching.matches))


def count_conditions(matching: Matching, complete: bool) -> dict[Condition, RuleCounts]:
    """Per condition tag, the true events of one clip and rule that were found (tp) or missed (fn).

    Recall only, and only where the clip is complete for the rule: a detection carries no tag, and
    the misses of an incomplete clip are not counted (as in ``count_rule``).
    """
    if not complete:
        return {condition: RuleCounts() for condition in CONDITIONS}
    found = [pair.event for pair in matching.matches]
    return {
        condition: RuleCounts(
            tp=sum(condition in event.conditions for event in found),
            fn=sum(condition in event.conditions for event in matching.unmatched_events),
        )
        for condition in CONDITIONS
    }


def signal_agreement(
    labels: Sequence[SignalLabel], timeline: Sequence[SignalSegment]
) -> dict[str, SignalAgreement]:
    """Per signal id: labelled seconds, and of those the seconds read in the true state.

    Labelled time that the timeline does not cover, or covers with another state, is wrong.
    Time outside the labels is not scored.
    """
    agreement: dict[str, SignalAgreement] = {}
    for label in labels:
        read = [
            (max(segment.from_s, label.from_s), min(segment.to_s, label.to_s), segment.state)
            for segment in timeline
            if segment.signal_id == label.signal
        ]
        confusion: Counter[tuple[str, str]] = Counter()
        for state in {state for _, _, state in read}:
            covered_s = _covered_s((start, end) for start, end, s in read if s == state)
            if covered_s > 0:
                confusion[(str(label.state), str(state))] = covered_s
        unread_s = label.duration_s - _covered_s((start, end) for start, end, _ in read)
        if unread_s > _UNREAD_SLACK_S:
            confusion[(str(label.state), NOT_READ)] = unread_s
        correct_s = confusion.get((str(label.state), str(label.state)), 0.0)
        part = SignalAgreement(label.duration_s, correct_s, confusion)
        agreement[label.signal] = agreement.get(label.signal, SignalAgreement()) + part
    return agreement


# Float sums of segment ends leave a few ulps of labelled time "unread": that is not a gap.
_UNREAD_SLACK_S = 1e-6


def _covered_s(intervals: Iterable[tuple[float, float]]) -> float:
    # Union length: if the timeline repeats a stretch, it must not count twice.
    covered, reached = 0.0, -math.inf
    for start, end in sorted(intervals):
        start = max(start, reached)
        if end > start:
            covered += end - start
            reached = end
    return covered


def detected_courier(violation: Violation) -> bool:
    return violation.courier is not None and violation.courier.is_courier


def courier_agreement(matches: Iterable[Pair]) -> CourierAgreement:
    # Only wrong_way events carry courier; reading the truth file rejects it anywhere else.
    judged = [pair for pair in matches if pair.event.courier is not None]
    correct = sum(detected_courier(pair.violation) == pair.event.courier for pair in judged)
    return CourierAgreement(n=len(judged), correct=correct)
