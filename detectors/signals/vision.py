"""Reading one frame of a signal head: which lamp is lit, from the ROI crop alone.

The head is cut into equal slots along its axis, one per lamp in ``lamp_order()``; each slot's
*core* (its middle part, across the middle of the head) is where that lamp's lens sits. A lamp is
judged by position first and hue second, because cameras render lamps wrongly (a red lamp that
comes out orange-yellow, a green one that comes out white-cyan):

- brightness is measured relative to the head's own housing, so an exposure change (which scales
  lamp and housing alike) does not change the answer, and a blooming lamp still peaks at its slot;
- hue only vetoes: a lamp's light must be warm (red, orange, yellow) for a red or amber lamp and
  cool (green, cyan) for a green one. Light of the wrong family in a slot is a countdown digit or a
  reflection, not the lamp; colourless light (a saturated white core or glare) passes on position.

At night a lit lamp blooms: its core clips to white, wider than the lens, and its halo lights the
housing and the neighbouring lenses, so the contrast against the housing collapses and light
shows in every slot. The core is then where the lamp is: the slot that holds the centre of a
large clipped blob (or, where nothing clipped, of the one region standing well above the rest of
the head) is lit. A neighbouring slot that the core reaches into, or that the halo lights in the
core lamp's colour, is spill. Where that centre falls near the boundary of two lamps of different
colours (a roi drawn a little loose along the head), the halo's hue decides: red light renders
red to magenta, amber orange to yellow, green green to cyan.

The per-frame answer is one of the lamp states, ``OFF`` (nothing lit: the head is dark in this
frame) or ``UNKNOWN`` (contradictory: two lamps lit that never light together). Red with amber
counts as red: it is the prepare-to-go phase where it exists, and elsewhere it is a red countdown
digit shown beside the amber lens. Smoothing over time is ``smoothing.py``'s job.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from detectors.signals.states import LAMP_COLOURS, SignalState

_WARM_LAMPS = (SignalState.RED, SignalState.AMBER)

# A slot's core: the lens occupies the middle of its slot and the middle of the housing's width;
# the rest is housing, visor and whatever light spills over from the neighbouring lamp.
_CORE_ALONG = 0.6
_CORE_ACROSS = 0.6
# The housing is the darkest large part of the head; darker columns spanning less than this
# share of the roi's width are not it when the roi's brightest light lies outside them.
_HOUSING_PERCENTILE = 25
_MIN_HOUSING_WIDTH = 0.5
# A lens is as bright as the brightest tenth of its core: enough pixels to ignore a hot pixel or a
# compression speck, few enough that countdown strokes inside a lens still count.
_LENS_PERCENTILE = 90
# A lit lamp stands out from its housing by this fraction of the housing's own brightness (scale
# free, so exposure changes cancel) and by this many grey levels (so sensor noise and compression
# on a black head at night do not count); the same floor tells housing from background.
_LIT_RATIO = 0.6
_CONTRAST_FLOOR = 30.0
# Lamps that never light together, all only this many contrast floors above the housing, are
# unlit lenses catching daylight, not a fault: a lit lamp outshines its housing far more.
_PHANTOM_RISE_FACTOR = 2.0
# A second lamp counts as lit too when it is at least this bright relative to the brightest one;
# below it, it is spill or bloom from the brightest lamp.
_RIVAL_FRACTION = 0.6
# Light is coloured when its chroma (max - min channel) reaches this fraction of its brightness
# above the housing; a clipped white core or a glare halo has less.
_COLOURED_FRACTION = 0.25
# A pixel at or above this grey level is clipped: the sensor saturated.
_CLIPPED_LEVEL = 245
# Where nothing clipped, a lamp's core is the head's brightest region: within this share of the
# head's brightness range (housing to peak) of its peak. It must be one region (lenses catching
# daylight alike make several) and rise above the housing by this fraction of the housing's own
# level: less than a lit lens by day, because at night the halo lights the housing too (the
# night clip's clipped cores rise a third above it).
_CORE_DEPTH = 0.15
_CORE_RISE_RATIO = 0.25
# A clipped blob or brightest region is a blooming lamp's core when it covers this share of a lens
# core (a glint or a lit screw head is smaller) and is ringed by coloured light, the lamp's halo:
# an overexposed sky in a loose roi is bordered by grey housing, not by colour.
_MIN_CORE_SHARE = 0.15
# A core whose centre lies within this share of a slot from the boundary of two lamps of
# different colours is placed by hue.
_BOUNDARY_BAND = 0.25
# The hue each lamp's light renders around, degrees: a halo's hue names the nearest lamp (red to
# pink and magenta, orange to yellow, green to cyan).
_LAMP_HUE_DEG = {SignalState.RED: 0.0, SignalState.AMBER: 45.0, SignalState.GREEN: 165.0}
_HALO_PX = 6
# Hue families in degrees: red, orange and yellow (up to about 60) are warm; green, cyan and
# blue (from about 100) are cool. The boundaries sit in the gaps no lamp renders in.
_COOL_HUE_DEG = (85.0, 290.0)


@dataclass(frozen=True)
class HeadReading:
    """What one frame shows in each lamp slot, in the order of ``lamp_order()``."""

    lamps: tuple[SignalState, ...]
    housing_level: float  # grey level of the head's housing
    lens_levels: tuple[float, ...]  # grey level of each lamp's lens
    hues_deg: tuple[float | None, ...]  # hue of each lit lens's light; None if colourless or dark
    # Slots holding the centre of a blooming lamp's core (clipped, or the head's one brightest
    # region), largest core first, and the slots that those cores reach into.
    core_slots: tuple[int, ...] = ()
    glare_slots: frozenset[int] = frozenset()

    def lit_lamps(self) -> list[int]:
        """Slots whose lens is lit, brightest first; empty when the head is dark.

        Where lamps bloom, the slots of their cores: the housing lit by the halo hides
        every lamp from the contrast test, and spill makes neighbours look lit too (even
        brighter than the lamp's own slot, when the roi sits off the head).
        """
        lit = _lit_slots(self.housing_level, self.lens_levels)
        cores = list(self.core_slots)
        if cores and all(slot in cores or self._is_spill(slot) for slot in lit):
            return cores
        return lit

    def _is_spill(self, slot: int) -> bool:
        """The slot's light comes from a blooming core: the core reaches into its lens, or its
        halo lights the lens in the core lamp's colour, no brighter than the core's own lens."""
        if slot in self.glare_slots:
            return True
        hue = self.hues_deg[slot]
        return hue is not None and any(
            _named_lamp(hue, list(LAMP_COLOURS)) == self.lamps[core]
            and self.lens_levels[slot] <= self.lens_levels[core]
            for core in self.core_slots
        )

    def state(self) -> SignalState:
        """This frame's lamp state, ``OFF`` when dark, ``UNKNOWN`` when contradictory."""
        lit = self.lit_lamps()
        if not lit:
            return SignalState.OFF
        states = {self.lamps[i] for i in lit if _hue_fits(self.lamps[i], self.hues_deg[i])}
        if states == {SignalState.RED, SignalState.AMBER}:
            return SignalState.RED
        if len(states) == 1:
            return states.pop()
        brightest_rise = self.lens_levels[lit[0]] - self.housing_level
        if brightest_rise < _PHANTOM_RISE_FACTOR * _CONTRAST_FLOOR:
            return SignalState.OFF  # dim unlit lenses showing alike (sun phantom): nothing is lit
        return SignalState.UNKNOWN


def read_head(crop_bgr: np.ndarray, lamps: list[SignalState], layout: str) -> HeadReading:
    """Measure each lamp slot of a head crop; ``layout`` is ``vertical`` or ``horizontal``."""
    if layout == "horizontal":
        crop_bgr = crop_bgr.transpose(1, 0, 2)  # slots then run down the rows in both layouts
    hsv = cv2.cvtColor(np.ascontiguousarray(crop_bgr), cv2.COLOR_BGR2HSV_FULL)
    hsv = hsv[:, _lens_columns(hsv[..., 2])]
    brightness = hsv[..., 2]  # V is the brightest channel: a red lamp is bright in red alone
    housing = _percentile(brightness, _HOUSING_PERCENTILE)
    cores = [_middle(hsv.shape[0], len(lamps), index, _CORE_ALONG) for index in range(len(lamps))]
    levels = tuple(_percentile(brightness[core], _LENS_PERCENTILE) for core in cores)
    core_slots, glare_slots = _bloom_cores(hsv, lamps, cores, housing)
    lit = set(_lit_slots(housing, levels)) | set(core_slots)
    hues = tuple(
        _light_hue(hsv[core], housing, level) if index in lit else None
        for index, (core, level) in enumerate(zip(cores, levels, strict=True))
    )
    return HeadReading(tuple(lamps), housing, levels, hues, core_slots, glare_slots)


def _bloom_cores(
    hsv: np.ndarray, lamps: list[SignalState], cores: list[slice], housing: float
) -> tuple[tuple[int, ...], frozenset[int]]:
    """The slots of blooming lamp cores (see the module docstring), largest first, and the slots
    whose lens cores those cores reach into."""
    brightness = hsv[..., 2]
    peak = float(brightness.max())
    clipped = peak >= _CLIPPED_LEVEL
    level = _CLIPPED_LEVEL if clipped else peak - _CORE_DEPTH * (peak - housing)
    count, labels, stats, centroids = cv2.connectedComponentsWithStats(
        (brightness >= level).astype(np.uint8), connectivity=8
    )
    core_area = (cores[0].stop - cores[0].start) * hsv.shape[1]
    blobs = [
        i for i in range(1, count) if stats[i, cv2.CC_STAT_AREA] >= _MIN_CORE_SHARE * core_area
    ]
    lamp_like = peak - housing >= max(_CONTRAST_FLOOR, _CORE_RISE_RATIO * housing)
    if not clipped and (len(blobs) != 1 or not lamp_like):
        return (), frozenset()  # no brightest region that stands alone: lenses alike, or dark
    slot_px = hsv.shape[0] / len(lamps)
    found: list[tuple[int, int]] = []
    glare: set[int] = set()
    kernel = np.ones((2 * _HALO_PX + 1, 2 * _HALO_PX + 1), np.uint8)
    for label in blobs:
        core = labels == label
        halo = hsv[cv2.dilate(core.astype(np.uint8), kernel).astype(bool) & ~core]
        halo = halo.astype(np.float32)
        if halo.size == 0 or _percentile(halo[:, 1] * halo[:, 2] / 255, 75) < _CONTRAST_FLOOR:
            continue
        top = stats[label, cv2.CC_STAT_TOP]
        bottom = top + stats[label, cv2.CC_STAT_HEIGHT]
        reached = {i for i, rows in enumerate(cores) if rows.start < bottom and top < rows.stop}
        position = float(centroids[label][1]) / slot_px
        slot = _slot_by_hue(lamps, position, _chroma_weighted_hue(halo), reached)
        if slot not in {known for _, known in found}:
            found.append((int(stats[label, cv2.CC_STAT_AREA]), slot))
        glare |= reached
    return tuple(slot for _, slot in sorted(found, reverse=True)), frozenset(glare)


def _slot_by_hue(
    lamps: list[SignalState], position: float, hue: float | None, reached: set[int]
) -> int:
    """The slot at ``position`` (in slots along the head); when the core reaches into the lenses
    of two lamps of different colours on either side of a boundary near it, the slot of the one
    whose colour the halo has."""
    slot = min(int(position), len(lamps) - 1)
    boundary = round(position)
    pair = (boundary - 1, boundary)
    if hue is None or abs(position - boundary) > _BOUNDARY_BAND or not set(pair) <= reached:
        return slot
    named = _named_lamp(hue, [lamps[index] for index in pair])
    return pair[0] if lamps[pair[0]] == named else pair[1]


def _named_lamp(hue_deg: float, lamps: list[SignalState]) -> SignalState:
    """The lamp among ``lamps`` whose light's hue is nearest this one around the hue circle."""
    return min(lamps, key=lambda lamp: abs((hue_deg - _LAMP_HUE_DEG[lamp] + 180) % 360 - 180))


def _lit_slots(housing: float, levels: tuple[float, ...]) -> list[int]:
    rise = np.asarray(levels) - housing
    brightest = float(rise.max())
    if brightest < max(_CONTRAST_FLOOR, _LIT_RATIO * housing):
        return []
    lit = np.flatnonzero(rise >= _RIVAL_FRACTION * brightest)
    return sorted(lit.tolist(), key=lambda i: -rise[i])


def _lens_columns(brightness: np.ndarray) -> slice:
    """The middle of the housing across the head, even when the roi takes in sky or road beside it.

    Along the head the housing is dark in most rows whichever lamp is lit, so its columns have a
    dark median; background beside the head by day has a light one. At night it is the other way
    round: the halo lights the housing, and the sky beside it stays darker.
    """
    middle_row = brightness.shape[0] // 2
    column_levels = np.partition(brightness, middle_row, axis=0)[middle_row].astype(np.float32)
    darkest, lightest = float(column_levels.min()), float(column_levels.max())
    if lightest - darkest < _CONTRAST_FLOOR:
        return _middle(brightness.shape[1], 1, 0, _CORE_ACROSS)
    housing = np.flatnonzero(column_levels <= (darkest + lightest) / 2)
    first, stop = int(housing[0]), int(housing[-1] + 1)
    narrow = stop - first < _MIN_HOUSING_WIDTH * brightness.shape[1]
    if narrow and not first <= _brightest_column(brightness) < stop:
        # A roi is drawn around the head: a narrow darker strip beside the roi's brightest light
        # is night sky beside a housing lit by its own lamp's halo.
        return _middle(brightness.shape[1], 1, 0, _CORE_ACROSS)
    span = _middle(stop - first, 1, 0, _CORE_ACROSS)
    return slice(first + span.start, first + span.stop)


def _brightest_column(brightness: np.ndarray) -> int:
    """Where the brightest light is across the roi: blurred over a quarter of its width, so a
    lamp or its bloom counts, not a thin glint on the mast arm."""
    light = cv2.blur(brightness, (max(1, brightness.shape[1] // 4),) * 2)
    return int(np.argmax(light) % brightness.shape[1])


def _middle(length: int, slots: int, index: int, fraction: float) -> slice:
    """The middle ``fraction`` of slot ``index`` of ``slots`` equal slots along ``length``."""
    size = length / slots
    margin = size * (1 - fraction) / 2
    start = int(round(index * size + margin))
    return slice(start, max(start + 1, int(round((index + 1) * size - margin))))


def _light_hue(hsv: np.ndarray, housing: float, level: float) -> float | None:
    """Chroma-weighted mean hue of a lens's lit pixels, or None when the light is colourless."""
    lit = hsv[hsv[..., 2] >= housing + 0.5 * (level - housing)].astype(np.float32)
    chroma = lit[:, 1] * lit[:, 2] / 255  # max - min channel
    if chroma.size == 0 or _percentile(chroma, 75) < _COLOURED_FRACTION * (level - housing):
        return None
    return _chroma_weighted_hue(lit)


def _chroma_weighted_hue(pixels: np.ndarray) -> float | None:
    """Mean hue in degrees of HSV_FULL pixels, each weighted by its chroma; None if grey."""
    chroma = pixels[:, 1] * pixels[:, 2] / 255
    if chroma.sum() <= 0:
        return None
    angles = np.deg2rad(pixels[:, 0] * (360 / 256))
    mean = np.arctan2((chroma * np.sin(angles)).sum(), (chroma * np.cos(angles)).sum())
    return float(np.rad2deg(mean) % 360)


def _percentile(values: np.ndarray, percent: float) -> float:
    # np.percentile costs ~0.1 ms in overhead; a partial sort of a few hundred pixels is ~100x less.
    flat = values.ravel()
    rank = int(round(percent / 100 * (flat.size - 1)))
    return float(np.partition(flat, rank)[rank])


def _hue_fits(lamp: SignalState, hue_deg: float | None) -> bool:
    if hue_deg is None:
        return True
    is_cool = _COOL_HUE_DEG[0] <= hue_deg < _COOL_HUE_DEG[1]
    return is_cool == (lamp not in _WARM_LAMPS)
