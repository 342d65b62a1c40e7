"""Courier attribution of every two-wheeler in a lane, from crops kept during the one decoding pass.

Each road user is attributed once, when its track ends, from the crops ``LaneCrops`` kept while
it was in a lane: that answer goes on its lane passages (the exposure of the 红黑榜's per-platform
rates). A wrong-way event is attributed the same way after id switches are merged, from the votes
of every track merged into it, so the numerator and the denominator are judged alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import supervision as sv

from detectors.config.camera import Lane
from detectors.events.courier import CourierAttributor, LiveryVote
from detectors.events.courier_crops import LaneCrops
from detectors.events.violation import CourierAttribution, Violation


class CourierBook:
    """Crops of the road users in view, and the votes of the wrong-way ones until the clip ends."""

    def __init__(self, lanes: Sequence[Lane], attributor: CourierAttributor):
        self.attributor = attributor
        self.crops = LaneCrops(lanes)
        self._violator_votes: dict[int, list[LiveryVote | None]] = {}

    def add(self, t_s: float, image: np.ndarray, tracked: sv.Detections) -> None:
        self.crops.add(t_s, image, tracked)

    def attribute_track(self, track_id: int, went_wrong_way: bool) -> CourierAttribution:
        """The ended track's courier; its crops are dropped, its votes kept if it went wrong way."""
        votes = self.attributor.votes(self.crops.pop(track_id))
        if went_wrong_way:
            self._violator_votes[track_id] = votes
        return self.attributor.decide(votes)

    def attribute_events(self, violations: list[Violation]) -> list[Violation]:
        """The violations, each wrong-way one attributed from the votes of all its tracks."""
        return [
            replace(v, courier=self.attributor.decide(self._votes_of(v)))
            if v.rule == "wrong_way"
            else v
            for v in violations
        ]

    def _votes_of(self, violation: Violation) -> list[LiveryVote | None]:
        track_ids = [violation.track_id, *violation.details.get("merged_track_ids", [])]
        return [vote for i in track_ids for vote in self._violator_votes.get(i, [])]
