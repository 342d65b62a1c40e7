"""Where the camera looks: analysed frames registered to the camera's reference view.

Zones, lanes and lamp rois are drawn on one view of the scene: the camera file's
``reference_image``, else the clip's first frame. Five times a second the frame, shrunk to
``REGISTER_WIDTH_PX`` and grey, is registered to that view's *static scene*, and the zones move
with it; when the scene is no longer in the picture the view has *changed* (a PTZ preset, a
knocked camera) until it comes back.

**The static scene.** What the reference shows of the road, kerbs, markings and buildings, not
its traffic: the median of frames moved back into the reference view, a sample a second over
the last ``BACKGROUND_SAMPLES`` (traffic passes, the scene stays). The picture is cut into a
grid of regions, each judged on its own. A region *shows the scene* when its gradients (signed,
blurred) correlate with the scene's by ``REGION_AGREEMENT``: brightness, contrast and
compression do not count, and unrelated structure hardly ever agrees (after a switch to another
view, 99% of the regions stay below 0.3). A *landmark* is a textured region that showed the
scene in at least ``LANDMARK_RELIABILITY`` of the registrations of the last few seconds; the
regions of a first frame earn it over ``LEARN_S`` (those holding its traffic soon stop
agreeing), those of a reference image start with it.

**Following** (a pole's wobble, a drifting mount). Candidate views: each agreeing region
registered on its own (their median), the landmark regions registered together (phase
correlation weighted to them), the whole frame, and when in doubt a zoom and turn
(Fourier-Mellin). A small correction (at most ``MAX_STEP`` of the width) is taken when the
regions that showed the scene under both views agree better under it; traffic moving as a
platoon can make its own regions agree under a shift, never the scene around it. A jump is
taken when it shows ``MIN_REGIONS`` more landmarks than the last view (the camera moved).
(ECC, tried first, followed platoons of motorbikes; ORB features landed on vehicles.)

**A change** is confirmed when for ``CONFIRM_S`` fewer than ``LOST_SHARE`` of the landmarks
showed the scene in any registration, or the followed view lay beyond ``VIEW_TOLERANCE`` of the
width (the largest shift of a frame corner), and the picture is steady again (a bus driving
past the lens hides every landmark, but its picture does not hold still). When a landmark kept
showing the scene through it (a vehicle standing in front of the rest, a caption burnt into the
picture) the change needs ``CONFIRM_WEAK_S``. It is dated at its start. **The view is back**
once for ``CONFIRM_S`` every registration, within half the tolerance of the reference, shows
the landmarks about as well as they usually showed (``RETURN_FRACTION``); it is trusted again
from then on.

The pipeline issues no events and reads no lamps inside the changed stretches (``ViewReport``).
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import cv2
import numpy as np

from detectors.config.errors import InputError

if TYPE_CHECKING:
    from detectors.config.camera import CameraConfig

REGISTER_WIDTH_PX = 320
REGISTER_INTERVAL_S = 0.2  # 5 registrations per second of video
VIEW_TOLERANCE = 0.06  # of the frame width: 77 px on a 1280 px frame
CONFIRM_S = 1.0
CONFIRM_WEAK_S = 5.0
GRID_COLUMNS, GRID_ROWS = 6, 4  # regions of a sixth of the width by a quarter of the height
REGION_AGREEMENT = 0.5  # gradient correlation at which a region shows the scene
# RMS gradient (Sobel of grey levels, blurred) below which a region has no structure to judge:
# flat asphalt, sky or a border measure 2-7, markings, kerbs and buildings 10-50.
MIN_TEXTURE = 8.0
MIN_REGIONS = 3  # "several regions": no decision rests on fewer
LANDMARK_RELIABILITY = 0.35
LANDMARK_MEMORY_S = 5.0
LEARN_S = 2.0  # a first frame's landmarks are learnt over this long before any judgement
LOST_SHARE = 0.15  # of the landmarks, all registrations of CONFIRM_S taken together
RETURN_SHARE = 0.3  # of the landmarks in one registration: the view is in doubt below it
RETURN_FRACTION = 0.7  # of the usual share, for a return
STEADY_SHARE = 0.3  # of the landmark regions agreeing with the last registration's picture
MAX_STEP = 0.03  # of the width between two registrations, for a small correction
MIN_GAIN = 0.003  # of mean agreement, for a small correction (a zebra's stripes repeat)
BACKGROUND_EVERY_S = 1.0
BACKGROUND_SAMPLES = 9
BOOTSTRAP_EVERY_S = 0.4  # the first samples come faster, so the scene is known sooner
BOOTSTRAP_SAMPLES = 3
_USUAL_WINDOW = 25  # registrations that set the usual share of landmarks shown
_GRADIENT_BLUR_PX = 1.5  # at REGISTER_WIDTH_PX: structure a pixel or two apart still agrees
_SPECTRUM_PX = 128  # side of the spectra that measure a zoom or turn


@dataclass(frozen=True)
class ViewTransform:
    """A similarity transform from reference-view pixels to frame pixels (2x3, row-major)."""

    matrix: tuple[float, float, float, float, float, float] = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)

    @property
    def is_identity(self) -> bool:
        return self.matrix == IDENTITY.matrix

    def _array(self) -> np.ndarray:
        return np.asarray(self.matrix, dtype=np.float64).reshape(2, 3)

    def to_frame(self, points: np.ndarray) -> np.ndarray:
        """Reference-view points (n, 2) -> where they appear in the frame."""
        matrix = self._array()
        return np.asarray(points, dtype=np.float64) @ matrix[:, :2].T + matrix[:, 2]

    def to_reference(self, points: np.ndarray) -> np.ndarray:
        """Frame points (n, 2) -> the same scene points in the reference view."""
        inverse = cv2.invertAffineTransform(self._array())
        return np.asarray(points, dtype=np.float64) @ inverse[:, :2].T + inverse[:, 2]

    def box_to_reference(
        self, xyxy: tuple[float, float, float, float]
    ) -> tuple[float, float, float, float]:
        """A frame box in the reference view: its centre and bottom-centre move with the view,
        its size stays (a similarity of a degree or two barely turns a box)."""
        if self.is_identity:
            return xyxy
        x1, y1, x2, y2 = xyxy
        (fx, fy), (cx, cy) = self.to_reference(np.array([[(x1 + x2) / 2, y2], [x1, y1]]))
        half_w, height = (x2 - x1) / 2, y2 - y1
        return (fx - half_w, fy - height, fx + half_w, fy)

    def roi_to_frame(self, roi: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """A reference-view box [x, y, w, h] (a lamp roi) moved with its centre, same size."""
        if self.is_identity:
            return roi
        x, y, w, h = roi
        ((cx, cy),) = self.to_frame(np.array([[x + w / 2, y + h / 2]]))
        return round(cx - w / 2), round(cy - h / 2), w, h

    def shift_px(self, width: int, height: int) -> float:
        """How far the view moved: the largest displacement of a frame corner, in pixels."""
        corners = np.array([[0, 0], [width, 0], [0, height], [width, height]], dtype=np.float64)
        return float(np.abs(self.to_frame(corners) - corners).max())


IDENTITY = ViewTransform()


def load_reference(camera: CameraConfig) -> np.ndarray | None:
    """The camera's reference image (BGR), or None when the clip's first frame is the view."""
    if camera.reference_image is None:
        return None
    image = cv2.imread(camera.reference_image, cv2.IMREAD_COLOR)
    if image is None:
        raise InputError(
            f"camera '{camera.camera_id}': reference_image {camera.reference_image} cannot be "
            "read as an image; give a PNG or JPEG still of the camera's view, or remove the field"
        )
    return image


@dataclass(frozen=True)
class ViewChange:
    """A stretch of the clip in which the camera looked elsewhere: from ``start_s`` until it was
    back on the reference view at ``end_s`` (None: to the end of the clip)."""

    start_s: float
    end_s: float | None = None

    def covers(self, t_s: float) -> bool:
        return self.start_s <= t_s and (self.end_s is None or t_s < self.end_s)


@dataclass
class ViewReport:
    """What registration found over a clip; filled in while streaming."""

    changes: list[ViewChange] = field(default_factory=list)
    max_shift_px: float = 0.0  # largest shift of the view that was followed
    registrations: int = 0
    registration_ms: float = 0.0  # time spent registering (one thread: its CPU cost), all of them

    @property
    def changed_at_s(self) -> float | None:
        """When the view first changed; None when it never did."""
        return self.changes[0].start_s if self.changes else None

    def changed_at(self, t_s: float) -> bool:
        """Whether the camera looked elsewhere at ``t_s``."""
        return any(change.covers(t_s) for change in self.changes)

    def changed_s(self, duration_s: float) -> float:
        """Seconds of a clip of ``duration_s`` in which the camera looked elsewhere."""
        return sum(
            max(0.0, min(duration_s, change.end_s or duration_s) - change.start_s)
            for change in self.changes
        )

    def next_change_s(self, t_s: float) -> float | None:
        """When the first change after ``t_s`` began, if any."""
        return next((c.start_s for c in self.changes if c.start_s > t_s), None)


@dataclass
class _Pending:
    """A suspected change of state, waiting for its confirmation."""

    since_s: float
    hits: np.ndarray  # per region: in how many registrations since then it showed the scene
    registrations: int = 1


@dataclass
class ViewRegistrar:
    """Registers the analysed frames of one clip to the reference view (module docstring)."""

    frame_size: tuple[int, int]  # width, height of the clip's frames
    reference_bgr: np.ndarray | None = None  # None: the clip's first frame
    report: ViewReport = field(default_factory=ViewReport)

    def __post_init__(self) -> None:
        self._scale = REGISTER_WIDTH_PX / self.frame_size[0]
        self._scene: _Scene | None = None
        self._samples: deque[np.ndarray] = deque(maxlen=BACKGROUND_SAMPLES)
        self._next_sample_s = 0.0
        # Per region: how often it showed the scene lately (its landmark standing).
        self._reliability = np.ones((GRID_ROWS, GRID_COLUMNS), np.float32)
        self._updates = 0
        self._usual: deque[float] = deque(maxlen=_USUAL_WINDOW)
        self._matrix = np.eye(2, 3, dtype=np.float32)  # in registration pixels
        self._transform = IDENTITY
        self._previous: tuple[np.ndarray, np.ndarray] | None = None  # last picture's gradients
        self._next_s = 0.0
        self._pending: _Pending | None = None
        if self.reference_bgr is not None:
            self._scene = _Scene(self._grey(self._fitted(self.reference_bgr)))

    @property
    def changed(self) -> bool:
        """The camera looks elsewhere now (a change confirmed, and no return confirmed yet)."""
        return bool(self.report.changes) and self.report.changes[-1].end_s is None

    def update(self, t_s: float, frame_bgr: np.ndarray) -> ViewTransform:
        """The view of the frame at ``t_s``; registers it when one is due."""
        if t_s + 1e-9 < self._next_s:
            return self._transform
        started = time.perf_counter()
        self._next_s = t_s + REGISTER_INTERVAL_S
        grey = self._grey(frame_bgr)
        if self._scene is None:  # the first frame is the reference view
            self._scene = _Scene(grey)
            self._reliability[:] = 0.0
            self._learn(t_s, grey)
        else:
            self._register(t_s, grey)
        self.report.registrations += 1
        self.report.registration_ms += (time.perf_counter() - started) * 1000
        return self._transform

    def _fitted(self, image_bgr: np.ndarray) -> np.ndarray:
        width, height = self.frame_size
        if image_bgr.shape[1] != width or image_bgr.shape[0] != height:
            return cv2.resize(image_bgr, (width, height), interpolation=cv2.INTER_AREA)
        return image_bgr

    def _grey(self, frame_bgr: np.ndarray) -> np.ndarray:
        size = (REGISTER_WIDTH_PX, max(1, round(frame_bgr.shape[0] * self._scale)))
        small = cv2.resize(frame_bgr, size, interpolation=cv2.INTER_AREA)
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(np.float32)
        return cv2.GaussianBlur(grey, (0, 0), 1.0)

    def _register(self, t_s: float, grey: np.ndarray) -> None:
        scene = self._scene
        assert scene is not None
        learning = self.reference_bgr is None and t_s < LEARN_S
        landmarks = scene.textured & (self._reliability >= LANDMARK_RELIABILITY)
        held = self._follow(scene, grey, landmarks, learning)
        previous, self._previous = self._previous, held.gradients
        steady = previous is None or bool(
            ((scene.agreement(held.gradients, previous) >= REGION_AGREEMENT) & landmarks).sum()
            >= STEADY_SHARE * landmarks.sum()
        )
        self._transform = self._to_clip_pixels(self._matrix)
        shift_px = self._transform.shift_px(*self.frame_size)
        beyond = shift_px > VIEW_TOLERANCE * self.frame_size[0]
        seen = held.agreeing & landmarks & (not beyond)
        share = seen.sum() / landmarks.sum() if landmarks.sum() >= MIN_REGIONS else None
        if not beyond and not self.changed:
            self.report.max_shift_px = max(self.report.max_shift_px, shift_px)
        if share is None or learning:
            self._pending = None  # too little of the scene (yet) to judge either way
        elif self.changed:
            usual = statistics.median(self._usual) if self._usual else 1.0
            near = shift_px <= VIEW_TOLERANCE * self.frame_size[0] / 2
            self._judge_return(t_s, near and share >= max(RETURN_SHARE, RETURN_FRACTION * usual))
        else:
            away = beyond or share < LOST_SHARE
            self._judge_change(t_s, seen, int(landmarks.sum()), away, steady)
        if self.changed or self._pending is not None or beyond:
            return
        if learning or share is None or share >= RETURN_SHARE:  # the view is sure: learn from it
            if share is not None:
                self._usual.append(float(share))
            self._updates += 1
            memory = max(1 / self._updates, REGISTER_INTERVAL_S / LANDMARK_MEMORY_S)
            self._reliability += memory * (held.agreeing - self._reliability)
            self._learn(t_s, grey)

    def _follow(
        self, scene: _Scene, grey: np.ndarray, landmarks: np.ndarray, learning: bool
    ) -> _Support:
        """Moves the followed view to the best candidate fit; the support of the view kept. A
        changed view is not followed, only found again by a jump."""
        held, aligned = scene.support(grey, self._matrix)
        fits = (
            []
            if self.changed
            else [
                scene.refined(aligned, held, self._matrix),
                scene.landmark_fit(aligned, landmarks, self._matrix),
            ]
        )
        if (held.agreeing & landmarks).sum() < RETURN_SHARE * landmarks.sum():  # in doubt
            fits.append(scene.fit(grey))
            if not learning:  # a first frame's landmarks are not known well enough for it
                fits.append(scene.similarity_fit(grey))
        for fit in fits:
            if fit is None:
                continue
            fitted, _ = scene.support(grey, fit)
            step = _moved(fit, self._matrix, grey.shape) <= MAX_STEP * REGISTER_WIDTH_PX
            if _better(fitted, held, landmarks, step=step, jump=not learning):
                self._matrix, held = fit, fitted
        return held

    def _judge_change(
        self, t_s: float, seen: np.ndarray, landmarks: int, away: bool, steady: bool
    ) -> None:
        pending = self._pending
        if pending is None:
            if away:
                self._pending = _Pending(t_s, seen.astype(np.int32))
            return
        pending.hits += seen
        pending.registrations += 1
        if (pending.hits > 0).sum() >= LOST_SHARE * landmarks:
            self._pending = None  # the scene showed through meanwhile: traffic hid it
            return
        holding = bool((2 * pending.hits >= pending.registrations).any())
        confirm_s = CONFIRM_WEAK_S if holding else CONFIRM_S
        if steady and t_s - pending.since_s >= confirm_s - 1e-9:
            self.report.changes.append(ViewChange(pending.since_s))
            self._pending = None

    def _judge_return(self, t_s: float, back: bool) -> None:
        if not back:
            self._pending = None
            return
        if self._pending is None:
            self._pending = _Pending(t_s, np.zeros(0, np.int32))
        if t_s - self._pending.since_s >= CONFIRM_S - 1e-9:
            self.report.changes[-1] = ViewChange(self.report.changes[-1].start_s, t_s)
            self._pending = None

    def _learn(self, t_s: float, grey: np.ndarray) -> None:
        """Adds the frame, moved back into the reference view, to the scene's samples."""
        if t_s + 1e-9 < self._next_sample_s:
            return
        assert self._scene is not None
        self._samples.append(self._scene.moved_back(grey, self._matrix))
        young = len(self._samples) < BOOTSTRAP_SAMPLES
        self._next_sample_s = t_s + (BOOTSTRAP_EVERY_S if young else BACKGROUND_EVERY_S)
        if not young:
            self._scene = _Scene(np.median(np.stack(self._samples), axis=0))

    def _to_clip_pixels(self, matrix: np.ndarray) -> ViewTransform:
        scaled = matrix.astype(np.float64).copy()
        scaled[:, 2] /= self._scale
        return ViewTransform(tuple(float(v) for v in scaled.ravel()))  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Support:
    """Which regions of the scene a frame shows under a view."""

    agreement: np.ndarray  # per region: gradient correlation, 1 = the same structure
    agreeing: np.ndarray  # per region: textured and agreeing at least REGION_AGREEMENT
    gradients: tuple[np.ndarray, np.ndarray]  # of the frame moved back into the reference view

    @property
    def count(self) -> int:
        return int(self.agreeing.sum())


def _moved(matrix: np.ndarray, other: np.ndarray, shape: tuple[int, int]) -> float:
    """How far two views lie apart: the largest distance of a frame corner between them."""
    height, width = shape
    corners = np.array([[0, 0, 1], [width, 0, 1], [0, height, 1], [width, height, 1]], np.float32)
    return float(np.abs(corners @ matrix.T - corners @ other.T).max())


def _better(
    fitted: _Support, held: _Support, landmarks: np.ndarray, step: bool, jump: bool
) -> bool:
    """Whether to follow a fit rather than the last view (module docstring, "Following")."""
    regained = int((fitted.agreeing & landmarks).sum())
    kept = int((held.agreeing & landmarks).sum())
    if jump and regained >= kept + MIN_REGIONS:
        return True
    if not step or fitted.count < max(MIN_REGIONS, held.count):
        return False
    both = fitted.agreeing & held.agreeing
    if both.sum() < MIN_REGIONS or 2 * both.sum() < held.count:
        return False
    return float((fitted.agreement[both] - held.agreement[both]).mean()) >= MIN_GAIN


class _Scene:
    """The reference view's static scene at registration size, cut into a grid of regions."""

    def __init__(self, grey: np.ndarray):
        self.grey = grey.astype(np.float32)
        height, width = grey.shape
        self.tile_h, self.tile_w = height // GRID_ROWS, width // GRID_COLUMNS
        self.gradients = _gradients(self.grey)
        energy = self._sums(self.gradients[0] ** 2 + self.gradients[1] ** 2)
        self.textured = np.sqrt(energy / (self.tile_h * self.tile_w)) >= MIN_TEXTURE
        self.window = cv2.createHanningWindow((width, height), cv2.CV_32F)
        self.tile_window = cv2.createHanningWindow((self.tile_w, self.tile_h), cv2.CV_32F)

    def _sums(self, image: np.ndarray) -> np.ndarray:
        """Per region, the sum of ``image``."""
        height, width = self.tile_h * GRID_ROWS, self.tile_w * GRID_COLUMNS
        tiles = image[:height, :width].reshape(GRID_ROWS, self.tile_h, GRID_COLUMNS, self.tile_w)
        return tiles.sum(axis=(1, 3))

    def support(self, grey: np.ndarray, matrix: np.ndarray) -> tuple[_Support, np.ndarray]:
        """How the frame, moved back by ``matrix``, shows the scene; and the frame moved back."""
        height, width = self.grey.shape
        flags = cv2.INTER_LINEAR + cv2.WARP_INVERSE_MAP
        aligned = cv2.warpAffine(
            grey, matrix, (width, height), flags=flags, borderMode=cv2.BORDER_REPLICATE
        )
        inside = cv2.warpAffine(np.ones_like(grey), matrix, (width, height), flags=flags) > 0.5
        gradients = _gradients(aligned)
        agreement = self.agreement(gradients, self.gradients, inside)
        return _Support(
            agreement, (agreement >= REGION_AGREEMENT) & self.textured, gradients
        ), aligned

    def agreement(
        self,
        ours: tuple[np.ndarray, np.ndarray],
        theirs: tuple[np.ndarray, np.ndarray],
        inside: np.ndarray | None = None,
    ) -> np.ndarray:
        """Per region, the correlation of two pictures' gradients; regions the frame covers
        less than half of (``inside``) agree not at all."""
        mask = np.ones(ours[0].shape, np.float32) if inside is None else inside.astype(np.float32)
        gx, gy = ours[0] * mask, ours[1] * mask
        sx, sy = theirs
        dot = self._sums(gx * sx + gy * sy)
        own = self._sums(gx * gx + gy * gy)
        other = self._sums((sx * sx + sy * sy) * mask)
        with np.errstate(invalid="ignore", divide="ignore"):
            agreement = np.nan_to_num(dot / np.sqrt(own * other))
        agreement[self._sums(mask) < 0.5 * self.tile_h * self.tile_w] = 0.0
        return agreement

    def refined(self, aligned: np.ndarray, held: _Support, matrix: np.ndarray) -> np.ndarray | None:
        """``matrix`` corrected by how far the regions showing the scene moved: each registered
        on its own, the median of their shifts (traffic in one region does not pull it)."""
        if held.count < MIN_REGIONS:
            return None
        shifts = []
        for row, column in zip(*np.nonzero(held.agreeing), strict=True):
            rows = slice(row * self.tile_h, (row + 1) * self.tile_h)
            columns = slice(column * self.tile_w, (column + 1) * self.tile_w)
            shifts.append(
                _shift(self.grey[rows, columns], aligned[rows, columns], self.tile_window)
            )
        return _corrected(matrix, np.median(np.array(shifts), axis=0))

    def landmark_fit(
        self, aligned: np.ndarray, landmarks: np.ndarray, matrix: np.ndarray
    ) -> np.ndarray:
        """``matrix`` corrected by the shift of the landmark regions registered together: phase
        correlation weighted to them, so that the traffic elsewhere does not pull it."""
        height, width = self.grey.shape
        grid = (self.tile_w * GRID_COLUMNS, self.tile_h * GRID_ROWS)
        weight = cv2.resize(landmarks.astype(np.float32), grid, interpolation=cv2.INTER_NEAREST)
        weight = cv2.copyMakeBorder(
            weight, 0, height - grid[1], 0, width - grid[0], cv2.BORDER_REPLICATE
        )
        weight = cv2.GaussianBlur(weight, (0, 0), self.tile_h / 4) * self.window
        return _corrected(matrix, _shift(self.grey, aligned, weight))

    def fit(self, grey: np.ndarray) -> np.ndarray:
        """The shift from the scene to the frame, by phase correlation of the whole picture."""
        dx, dy = _shift(self.grey, grey, self.window)
        return np.array([[1, 0, dx], [0, 1, dy]], dtype=np.float32)

    def similarity_fit(self, grey: np.ndarray) -> np.ndarray:
        """The zoom and turn from the scene to the frame (Fourier-Mellin: the log-polar
        magnitude spectra of the two shift by them), then the shift."""
        angle, scale = _rotation_scale(self.grey, grey)
        height, width = self.grey.shape
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, scale).astype(np.float32)
        turned = cv2.warpAffine(self.grey, matrix, (width, height), borderMode=cv2.BORDER_REFLECT)
        dx, dy = _shift(turned, grey, self.window)
        matrix[:, 2] += (dx, dy)
        return matrix

    def moved_back(self, grey: np.ndarray, matrix: np.ndarray) -> np.ndarray:
        """The frame in the reference view; where it does not reach, the scene as it was."""
        height, width = self.grey.shape
        return cv2.warpAffine(
            grey,
            matrix,
            (width, height),
            dst=self.grey.copy(),
            flags=cv2.INTER_LINEAR + cv2.WARP_INVERSE_MAP,
            borderMode=cv2.BORDER_TRANSPARENT,
        )


def _corrected(matrix: np.ndarray, shift: tuple[float, float] | np.ndarray) -> np.ndarray:
    """``matrix`` after the frame moved back by it was found shifted by ``shift`` (reference
    pixels) from the scene."""
    corrected = matrix.copy()
    corrected[:, 2] += matrix[:, :2] @ np.asarray(shift, np.float32)
    return corrected


def _gradients(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    blur = (0, 0)
    gx = cv2.GaussianBlur(cv2.Sobel(grey, cv2.CV_32F, 1, 0), blur, _GRADIENT_BLUR_PX)
    gy = cv2.GaussianBlur(cv2.Sobel(grey, cv2.CV_32F, 0, 1), blur, _GRADIENT_BLUR_PX)
    return gx, gy


def _shift(reference: np.ndarray, grey: np.ndarray, window: np.ndarray) -> tuple[float, float]:
    """The shift from ``reference`` to ``grey`` by phase correlation. (OpenCV 5's
    phaseCorrelate multiplies its inputs by the window in place: it is given products.)"""
    (dx, dy), _ = cv2.phaseCorrelate(reference * window, grey * window)
    return dx, dy


def _rotation_scale(reference: np.ndarray, grey: np.ndarray) -> tuple[float, float]:
    """The angle (degrees, counter-clockwise) and scale that turn ``reference`` into ``grey``
    about the centre, from their central squares' log-polar magnitude spectra."""
    (dx, dy), _ = cv2.phaseCorrelate(_polar_spectrum(reference), _polar_spectrum(grey))
    angle = (dy * 360.0 / _SPECTRUM_PX + 90.0) % 180.0 - 90.0  # a spectrum is symmetric
    return -angle, float(np.exp(-dx * np.log(_SPECTRUM_PX / 2) / _SPECTRUM_PX))


def _polar_spectrum(grey: np.ndarray) -> np.ndarray:
    height, width = grey.shape
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = cv2.resize(grey[top : top + side, left : left + side], (_SPECTRUM_PX,) * 2)
    window = cv2.createHanningWindow((_SPECTRUM_PX,) * 2, cv2.CV_32F)
    spectrum = np.abs(np.fft.fftshift(np.fft.fft2(square * window))).astype(np.float32)
    # Frequencies weighed by their radius: the lowest (the lighting) would decide alone.
    half = _SPECTRUM_PX // 2
    yy, xx = np.mgrid[-half:half, -half:half]
    radius = np.minimum(np.hypot(xx, yy) / half, 1.0).astype(np.float32)
    flags = cv2.WARP_POLAR_LOG + cv2.INTER_LINEAR
    return cv2.warpPolar(
        np.log1p(spectrum) * radius, (_SPECTRUM_PX,) * 2, (half, half), half, flags
    )
