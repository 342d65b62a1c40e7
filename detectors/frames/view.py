"""Where the camera looks: analysed frames registered to the camera's reference view.

Zones, lanes and lamp rois are drawn on one view of the scene: the camera file's
``reference_image``, else the clip's first frame. A pole-mounted camera wobbles and drifts, so a
few times a second the frame is registered to that view: phase correlation finds the shift of
the grey frame, shrunk to ``REGISTER_WIDTH_PX``, against the reference (a pole camera's wobble
pans and tilts it; it hardly rolls). Moving traffic spreads over the spectrum, so the peak comes
from the static scene. The shift is followed only where the frame's edges then agree with the
reference's (``MIN_TRUSTED_AGREEMENT``, ``MIN_GAIN``). Frames between two registrations keep the
last shift. The rules judge road users in the reference view, and lamp rois move with it.
(ECC, tried first, followed platoons of motorbikes on the Thai footbridge clip and drifted by
tens of pixels; ORB features landed on vehicles and failed on three of the dev clips.)

The view has *changed* (a PTZ preset recalled, a knocked camera) when either

- the fitted view sits more than ``VIEW_TOLERANCE`` of the frame width away from the reference
  (the largest shift of a frame corner) for ``CONFIRM_S``; or
- the picture jumps: the structure (blurred edges) of two registrations in a row agrees less than
  ``JUMP_FRACTION`` of how well consecutive registrations usually agree, and for ``CONFIRM_S``
  after it the frame, registered as well as it can be, agrees with the reference less than
  ``LOST_FRACTION`` of how well it agreed just before. Traffic that slowly fills the view lowers
  the agreement with the reference without a jump; a bus passing the lens jumps, but the view
  agrees again once it has passed.

From the first registration of a confirmed change on, the camera's zones are not trusted: the
pipeline issues no events and reads no lamps after it, and records the time as ``view_changed``.
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
JUMP_FRACTION = 0.6
LOST_FRACTION = 0.6
# A fit is followed only where, under it, the frame's edges agree with the reference's at least
# this well (normalised cross-correlation): below it traffic hides the static scene, and a fit
# would follow the traffic. The last trusted view is then kept.
MIN_TRUSTED_AGREEMENT = 0.3
# ... and only where it agrees better than the last view by this much: a repeating pattern (zebra
# stripes, lane marks) lets a fit one period away agree as well as the right one.
MIN_GAIN = 0.003
# How many recent registrations set the usual agreement between consecutive ones.
_USUAL_WINDOW = 25
_EDGE_BLUR_PX = 2.0  # at REGISTER_WIDTH_PX: edges a pixel or two apart still agree


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


@dataclass
class ViewReport:
    """What registration found over a clip; filled in while streaming."""

    changed_at_s: float | None = None  # the view changed here; nothing is trusted after it
    max_shift_px: float = 0.0  # largest shift of the view that was followed
    registrations: int = 0
    registration_ms: float = 0.0  # time spent registering (one thread: its CPU cost), all of them

    @property
    def ms_per_registration(self) -> float | None:
        return self.registration_ms / self.registrations if self.registrations else None


@dataclass
class _Pending:
    """A suspected change waiting for ``CONFIRM_S`` of evidence."""

    since_s: float
    jump: bool  # began with a jump (else: moved beyond tolerance)
    agreement_before: float


@dataclass
class ViewRegistrar:
    """Registers the analysed frames of one clip to the reference view (module docstring)."""

    frame_size: tuple[int, int]  # width, height of the clip's frames
    reference_bgr: np.ndarray | None = None  # None: the clip's first frame
    report: ViewReport = field(default_factory=ViewReport)

    def __post_init__(self) -> None:
        self._scale = REGISTER_WIDTH_PX / self.frame_size[0]
        self._reference: np.ndarray | None = None
        self._reference_edges: np.ndarray | None = None
        self._previous_edges: np.ndarray | None = None
        self._matrix = np.eye(2, 3, dtype=np.float32)  # in registration pixels
        self._transform = IDENTITY
        self._next_s = 0.0
        self._steps: deque[float] = deque(maxlen=_USUAL_WINDOW)
        self._agreement = 1.0  # with the reference, at the last registration
        self._pending: _Pending | None = None
        if self.reference_bgr is not None:
            self._set_reference(self.reference_bgr)

    @property
    def changed(self) -> bool:
        return self.report.changed_at_s is not None

    def update(self, t_s: float, frame_bgr: np.ndarray) -> ViewTransform:
        """The view of the frame at ``t_s``; registers it when one is due."""
        if self.changed or t_s + 1e-9 < self._next_s:
            return self._transform
        started = time.perf_counter()
        self._next_s = t_s + REGISTER_INTERVAL_S
        if self._reference is None:
            self._set_reference(frame_bgr)
            self._previous_edges = self._reference_edges
        else:
            self._register(t_s, frame_bgr)
        self.report.registrations += 1
        self.report.registration_ms += (time.perf_counter() - started) * 1000
        return self._transform

    def _set_reference(self, reference_bgr: np.ndarray) -> None:
        width, height = self.frame_size
        if reference_bgr.shape[1] != width or reference_bgr.shape[0] != height:
            reference_bgr = cv2.resize(reference_bgr, (width, height), interpolation=cv2.INTER_AREA)
        self._reference = self._grey(reference_bgr)
        self._reference_edges = _edges(self._reference)
        self._window = cv2.createHanningWindow(self._reference.shape[::-1], cv2.CV_32F)

    def _grey(self, frame_bgr: np.ndarray) -> np.ndarray:
        size = (REGISTER_WIDTH_PX, max(1, round(frame_bgr.shape[0] * self._scale)))
        small = cv2.resize(frame_bgr, size, interpolation=cv2.INTER_AREA)
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(np.float32)
        return cv2.GaussianBlur(grey, (0, 0), 1.0)

    def _register(self, t_s: float, frame_bgr: np.ndarray) -> None:
        assert self._reference is not None and self._reference_edges is not None
        grey = self._grey(frame_bgr)
        edges = _edges(grey)
        step = _agreement(self._previous_edges, edges)
        usual = statistics.median(self._steps) if len(self._steps) >= 3 else None
        jumped = usual is not None and step < JUMP_FRACTION * usual
        self._previous_edges = edges
        if not jumped:
            self._steps.append(step)
        agreement_before = self._agreement
        matrix = _fit(self._reference, grey, self._window)
        held = _aligned_agreement(self._reference_edges, grey, self._matrix)
        fitted = _aligned_agreement(self._reference_edges, grey, matrix)
        if fitted >= MIN_TRUSTED_AGREEMENT and fitted >= held + MIN_GAIN:
            self._matrix = matrix
        self._agreement = max(held, fitted)
        self._transform = self._to_clip_pixels(self._matrix)
        shift_px = self._transform.shift_px(*self.frame_size)
        beyond = shift_px > VIEW_TOLERANCE * self.frame_size[0]
        if not beyond:
            self.report.max_shift_px = max(self.report.max_shift_px, shift_px)
        self._judge(t_s, jumped, beyond, agreement_before)

    def _judge(self, t_s: float, jumped: bool, beyond: bool, agreement_before: float) -> None:
        pending = self._pending
        if pending is None:
            if jumped or beyond:
                self._pending = _Pending(
                    t_s, jump=jumped and not beyond, agreement_before=(agreement_before)
                )
            return
        lost = self._agreement < LOST_FRACTION * pending.agreement_before
        still = beyond or (pending.jump and lost)
        if not still:
            self._pending = None
        elif t_s - pending.since_s >= CONFIRM_S - 1e-9:
            self.report.changed_at_s = pending.since_s

    def _to_clip_pixels(self, matrix: np.ndarray) -> ViewTransform:
        scaled = matrix.astype(np.float64).copy()
        scaled[:, 2] /= self._scale
        return ViewTransform(tuple(float(v) for v in scaled.ravel()))  # type: ignore[arg-type]


def _edges(grey: np.ndarray) -> np.ndarray:
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1)
    return cv2.GaussianBlur(cv2.magnitude(gx, gy), (0, 0), _EDGE_BLUR_PX)


def _agreement(a: np.ndarray | None, b: np.ndarray) -> float:
    """Normalised cross-correlation of two edge maps (1: the same structure)."""
    if a is None or a.shape != b.shape:
        return 1.0
    a, b = a - a.mean(), b - b.mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / denominator if denominator > 0 else 0.0


def _aligned_agreement(reference_edges: np.ndarray, grey: np.ndarray, matrix: np.ndarray) -> float:
    height, width = reference_edges.shape
    flags = cv2.INTER_LINEAR + cv2.WARP_INVERSE_MAP
    aligned = cv2.warpAffine(grey, matrix, (width, height), flags=flags)
    inside = cv2.warpAffine(np.ones_like(grey), matrix, (width, height), flags=flags) > 0.5
    if inside.sum() < 0.25 * inside.size:
        return 0.0  # the views barely overlap
    return _agreement(reference_edges[inside], _edges(aligned)[inside])


def _fit(reference: np.ndarray, grey: np.ndarray, window: np.ndarray) -> np.ndarray:
    """The shift from ``reference`` to ``grey`` by phase correlation: the peak comes from what
    the two share, the static scene, while moving traffic spreads over the spectrum. (OpenCV 5's
    phaseCorrelate multiplies its inputs by the window in place: it is given products.)"""
    (dx, dy), _ = cv2.phaseCorrelate(reference * window, grey * window)
    return np.array([[1, 0, dx], [0, 1, dy]], dtype=np.float32)
