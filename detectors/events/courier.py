"""Courier attribution: which delivery platform's livery a two-wheeler rider wears, if any.

Crops are cut with ``courier_crop_box`` (the two-wheeler box, widened a little and raised by one
box height so the rider and the rear box are inside); ``CourierAttributor.votes`` reads a road
user's crops and ``CourierAttributor.decide`` names its platform from the votes (pooled over all
its tracks when an id switch split it). Each crop votes for at most one livery: the profile whose
colours form the largest compact blob inside the livery window, if that blob covers the
profile's ``min_area_fraction`` of the window. The window weights the rider's back and the rear
box (over the two-wheeler's middle and upper part, where a box sits whether the camera sees the
rider from behind, from the side or from above) and gives nothing to the margins; a blob lying
mostly in the margins belongs to something bigger behind the rider (a taxi, a shop sign, a
neighbour) and is ignored, and so is a ragged one (scattered pixels, a shape full of holes).

Confidence = fraction of usable crops voting for the platform x their mean colour strength, where
strength is 1 once the blob covers twice ``min_area_fraction`` (box and jacket rather than a
patch of either). A platform is named only when enough crops agree and the confidence clears the
profiles' decision bar; otherwise the platform is None and the confidence is the best candidate's
score that fell short (0 when no crop showed a livery), so the bar can be audited.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from detectors.config.errors import InputError
from detectors.config.platforms import PlatformProfile, PlatformProfiles
from detectors.events.violation import CourierAttribution

# The crop reaches one two-wheeler height above the box (a seated rider's head and a rear box
# stacked on the rack) and a little to each side so a box overhanging the rack is not cut.
HEADROOM = 1.0
SIDE_MARGIN = 0.25

# Livery window, in units of the two-wheeler box measured from its top-left corner: weight 1 from
# the rider's shoulders down to the middle of the two-wheeler, ramping to 0 at the head and at the
# wheels; 1 over the middle half of its width, ramping to 0 at its ends.
_WINDOW_ROWS = (-0.8, -0.5, 0.5, 0.8)
_WINDOW_COLS = (0.0, 0.25, 0.75, 1.0)
# A box, a jacket or both seen at once is one solid shape; a rider's outline cut by straps and arms
# stays above this share of its convex hull, scattered patches do not.
MIN_SOLIDITY = 0.6
# A rear box may overhang the two-wheeler's ends a little, never by half of itself.
MAX_OUTSIDE_SHARE = 0.5


@dataclass(frozen=True)
class LiveryVote:
    platform: str
    strength: float  # 0-1: how much of the window the livery covers, relative to its minimum


def courier_crop_box(
    xyxy: tuple[float, float, float, float], frame_shape: tuple[int, ...]
) -> tuple[int, int, int, int]:
    """The crop around a two-wheeler box that holds its rider and rear box, clipped to the frame."""
    x1, y1, x2, y2 = xyxy
    width, height = x2 - x1, y2 - y1
    frame_height, frame_width = frame_shape[:2]
    return (
        max(0, round(x1 - SIDE_MARGIN * width)),
        max(0, round(y1 - HEADROOM * height)),
        min(frame_width, round(x2 + SIDE_MARGIN * width)),
        min(frame_height, round(y2)),
    )


def livery_window(height: int, width: int) -> np.ndarray:
    """Weights (0-1) over a crop cut by ``courier_crop_box``: where a courier's livery shows."""
    # Crop pixel centres in two-wheeler units: rows span [-HEADROOM, 1], columns [-m, 1 + m].
    rows = (np.arange(height) + 0.5) / height * (1 + HEADROOM) - HEADROOM
    cols = (np.arange(width) + 0.5) / width * (1 + 2 * SIDE_MARGIN) - SIDE_MARGIN
    return np.outer(_trapezoid(rows, _WINDOW_ROWS), _trapezoid(cols, _WINDOW_COLS)).astype(
        np.float32
    )


def _trapezoid(values: np.ndarray, corners: tuple[float, float, float, float]) -> np.ndarray:
    return np.interp(values, corners, (0.0, 1.0, 1.0, 0.0), left=0.0, right=0.0)


def colour_mask(hsv: np.ndarray, profile: PlatformProfile) -> np.ndarray:
    """Pixels in any of the profile's colours, with specks and one-pixel seams opened away."""
    mask = np.zeros(hsv.shape[:2], np.uint8)
    for colour in profile.colours:
        low = np.array([colour.h[0], colour.s[0], colour.v[0]], np.uint8)
        high = np.array([colour.h[1], colour.s[1], colour.v[1]], np.uint8)
        mask |= cv2.inRange(hsv, low, high)
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))


def largest_blob_fraction(mask: np.ndarray, window: np.ndarray) -> float:
    """Window-weighted share covered by the largest compact blob that sits on the rider."""
    count, labels = cv2.connectedComponents(mask, connectivity=8)
    blob_of_pixel = labels.ravel()
    weighted = np.bincount(blob_of_pixel, weights=window.ravel(), minlength=count) / window.sum()
    pixels = np.bincount(blob_of_pixel, minlength=count)
    # Pixels in the zero-weight margins: a blob mostly there is something bigger behind the rider.
    outside = np.bincount(blob_of_pixel[window.ravel() == 0], minlength=count)
    for label in np.argsort(weighted[1:])[::-1] + 1:
        if weighted[label] == 0:
            break
        if (
            outside[label] <= MAX_OUTSIDE_SHARE * pixels[label]
            and _solidity(labels == label) >= MIN_SOLIDITY
        ):
            return float(weighted[label])
    return 0.0


def _solidity(blob: np.ndarray) -> float:
    """Pixels of the blob over pixels of its convex hull (holes count against it)."""
    points = cv2.findNonZero(blob.astype(np.uint8))
    hull = cv2.convexHull(points)
    # Pick's theorem: a hull drawn through pixel centres encloses area + perimeter / 2 + 1 pixels.
    hull_pixels = cv2.contourArea(hull) + cv2.arcLength(hull, closed=True) / 2 + 1
    return float(len(points) / hull_pixels)


def crop_vote(crop: np.ndarray, profiles: PlatformProfiles) -> LiveryVote | None:
    """The livery one crop shows most strongly, if any clears its profile's minimum area."""
    hsv = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)
    window = livery_window(*crop.shape[:2])
    best: LiveryVote | None = None
    best_fraction = 0.0
    for profile in profiles.profiles:
        fraction = largest_blob_fraction(colour_mask(hsv, profile), window)
        if fraction >= profile.min_area_fraction and fraction > best_fraction:
            strength = min(1.0, fraction / (2 * profile.min_area_fraction))
            best, best_fraction = LiveryVote(profile.name, strength), fraction
    return best


def tally(votes: Sequence[LiveryVote | None], profiles: PlatformProfiles) -> CourierAttribution:
    """Combine the votes of a road user's usable crops (None: the crop showed no livery)."""
    if not votes:
        return CourierAttribution(platform=None, confidence=0.0)
    strengths: dict[str, list[float]] = defaultdict(list)
    for vote in votes:
        if vote is not None:
            strengths[vote.platform].append(vote.strength)
    if not strengths:
        return CourierAttribution(platform=None, confidence=0.0)
    platform = max(strengths, key=lambda name: sum(strengths[name]))
    agreement = len(strengths[platform]) / len(votes)
    confidence = round(sum(strengths[platform]) / len(votes), 3)
    decision = profiles.decision
    if agreement >= decision.min_agreement and confidence >= decision.min_confidence:
        return CourierAttribution(platform=platform, confidence=confidence)
    return CourierAttribution(platform=None, confidence=confidence)


class CourierAttributor:
    def __init__(self, profiles: PlatformProfiles):
        clashes = profiles.colour_clashes()
        if clashes:
            pairs = ", ".join(
                f"'{a.name}' ({'/'.join(a.regions)}) and '{b.name}' ({'/'.join(b.regions)})"
                for a, b in clashes
            )
            raise InputError(
                f"platform profiles {pairs} share colours, so a rider in them could be either; "
                f"narrow the profiles to the camera's region first, e.g. "
                f"load_platform_profiles(region=region_for_timezone(camera.timezone))"
            )
        self.profiles = profiles

    def votes(self, crops: Sequence[np.ndarray]) -> list[LiveryVote | None]:
        """The vote of each usable BGR crop (cut with ``courier_crop_box``) of one road user."""
        for index, crop in enumerate(crops):
            if crop.ndim != 3 or crop.shape[2] != 3 or crop.dtype != np.uint8:
                raise ValueError(
                    f"crop {index} is {crop.dtype} {crop.shape}; expected a BGR uint8 image"
                )
        usable = [c for c in crops if c.shape[0] >= self.profiles.decision.min_crop_height_px]
        return [crop_vote(crop, self.profiles) for crop in usable]

    def decide(self, votes: Sequence[LiveryVote | None]) -> CourierAttribution:
        """One road user's platform from the votes of its crops (pooled over its tracks)."""
        return tally(votes, self.profiles)
