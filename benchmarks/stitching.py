"""Track stitching's right and wrong joins, measured on the dev set's own tracks.

    python -m benchmarks.stitching [SET ...] [--json FILE]

Each clip of the sets (default: ``eval/dev/tune`` and ``eval/dev/check``; derived clips made
first, ``civility derive-clips eval/dev/derived``) is analysed by the engine with every frame's
tracked boxes recorded (what ``--explain`` records), and the tracker's own tracks are rebuilt
from them, before any stitching. Then:

- **as tracked**: how many of those tracks the stitcher joins to a later one. Each is either a
  repaired fragment or two road users taken for one; the clips do not say which.
- **cut on purpose**: every track seen for at least 3 s is cut in its middle by a gap (its boxes
  there dropped, as behind an occluder) of 0.3, 0.7 and 1.2 s, and the stitcher runs over the
  clip's tracks with the two pieces: **right** (the first piece joined to its own second piece),
  **wrong** (joined to another road user's track, or its second piece taken by another lost
  track), **missed** (not joined). Wrong joins are the risk: each can invent an entry or a
  wrong-way stretch.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.table import Table

from detectors.config.camera import load_camera
from detectors.defaults import DEFAULT_ANALYSIS_FPS
from detectors.detections.detector import Detector, DetectorSettings, default_model
from detectors.evaluation.eval_set import load_eval_set
from detectors.evaluation.explain import FrameLog, recorded_tracks
from detectors.frames.binding import bind_clip
from detectors.pipeline import analyse_clip
from detectors.tracks.history import Track
from detectors.tracks.stitching import StitchSettings, best_successor

CHECKOUT = Path(__file__).resolve().parents[1]
DEFAULT_SETS = [CHECKOUT / "eval" / "dev" / "tune", CHECKOUT / "eval" / "dev" / "check"]
GAPS_S = (0.3, 0.7, 1.2)
MIN_CUT_TRACK_S = 3.0


def clip_tracks(video: Path, camera_path: Path, detector: Detector) -> list[Track]:
    camera = load_camera(camera_path)
    log = FrameLog()
    result = analyse_clip(
        video,
        camera,
        detector,
        DEFAULT_ANALYSIS_FPS,
        clip_start=bind_clip(video, camera.timezone).start,
        frame_log=log,
    )
    return list(recorded_tracks(log, result.signal_timeline).values())


def joins_as_tracked(tracks: list[Track], settings: StitchSettings) -> int:
    """Tracks the stitcher would carry on into a later track."""
    return sum(
        best_successor(lost, _born_after(tracks, lost, settings), settings) is not None
        for lost in tracks
    )


def cut_outcomes(tracks: list[Track], gap_s: float, settings: StitchSettings) -> Counter:
    """right / wrong / missed over every long track cut by ``gap_s`` in its middle."""
    outcomes: Counter = Counter()
    for track in tracks:
        obs = track.observations
        if obs[-1].t_s - obs[0].t_s < MIN_CUT_TRACK_S:
            continue
        middle = (obs[0].t_s + obs[-1].t_s) / 2
        before = replace(track, observations=[o for o in obs if o.t_s < middle])
        after = replace(
            track,
            track_id=-track.track_id,
            observations=[o for o in obs if o.t_s >= middle + gap_s],
        )
        others = [t for t in tracks if t is not track]
        chosen = best_successor(before, [*_born_after(others, before, settings), after], settings)
        taken = any(
            best_successor(lost, [after, *_born_after(others, lost, settings)], settings) is after
            for lost in others
            if 0 < after.observations[0].t_s - lost.observations[-1].t_s <= settings.max_gap_s
        )
        if chosen is after and not taken:
            outcomes["right"] += 1
        elif chosen is not None or taken:
            outcomes["wrong"] += 1
        else:
            outcomes["missed"] += 1
    return outcomes


def _born_after(tracks: list[Track], lost: Track, settings: StitchSettings) -> list[Track]:
    """The tracks that could carry ``lost`` on: born within the stitcher's gap after it."""
    end = lost.observations[-1].t_s
    return [t for t in tracks if 0 < t.observations[0].t_s - end <= settings.max_gap_s]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    settings = StitchSettings()
    detector = Detector(DetectorSettings(default_model()))
    rows = []
    seen = set()
    for set_dir in args.sets:
        for clip in load_eval_set(set_dir):
            if (clip.video, clip.camera) in seen:
                continue
            seen.add((clip.video, clip.camera))
            tracks = clip_tracks(clip.video, clip.camera, detector)
            row = {
                "clip": clip.video.name,
                "camera": clip.camera_id,
                "tracks": len(tracks),
                "joined_as_tracked": joins_as_tracked(tracks, settings),
            }
            for gap_s in GAPS_S:
                row[f"cut_{gap_s}"] = dict(cut_outcomes(tracks, gap_s, settings))
            rows.append(row)
    table = Table(
        "clip", "tracks", "joined as tracked", *(f"cut {g} s: right/wrong/missed" for g in GAPS_S)
    )
    for row in rows:
        cuts = [row[f"cut_{g}"] for g in GAPS_S]
        table.add_row(
            f"{row['clip']} ({row['camera']})",
            str(row["tracks"]),
            str(row["joined_as_tracked"]),
            *(f"{c.get('right', 0)}/{c.get('wrong', 0)}/{c.get('missed', 0)}" for c in cuts),
        )
    Console().print(table)
    for gap_s in GAPS_S:
        total = sum((Counter(row[f"cut_{gap_s}"]) for row in rows), Counter())
        cut = sum(total.values())
        print(
            f"gap {gap_s} s: {cut} tracks cut, right {total['right']}, wrong {total['wrong']} "
            f"({total['wrong'] / max(cut, 1):.1%}), missed {total['missed']}"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
