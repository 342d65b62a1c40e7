"""``civility``: the command line of traffic-civility.

Every command turns bad input (a clip that will not decode, a camera file with a wrong field)
into one clear message and exit status 2, never a traceback.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from civility.terminal import (
    JsonFlag,
    clip_progress,
    console,
    errors,
    print_json,
    progress_bar,
    reports_input_errors,
    table,
)
from detectors.config.errors import InputError
from detectors.defaults import DEFAULT_ANALYSIS_FPS, DEFAULT_IMAGE_SIZE

app = typer.Typer(
    name="civility",
    help=(
        "Civil-traffic capture analytics: finds pedestrians crossing on red and two-wheelers "
        "riding the wrong way in intersection camera clips, with evidence for police review."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="YOLO model: a path (e.g. an OpenVINO export folder) or a name. "
        "Default: $CIVILITY_MODEL, else yolo11n.pt (downloads need internet).",
    ),
]
FpsOption = Annotated[
    float,
    typer.Option(
        "--fps",
        min=0.5,
        help="Frames analysed per second of video (more: slower, "
        "follows fast riders better). See docs/accuracy-vs-speed.md.",
    ),
]
ImageSizeOption = Annotated[
    int,
    typer.Option(
        "--imgsz",
        min=160,
        help="Detector input size in pixels (larger finds smaller, farther road users, slower).",
    ),
]


def _detector(model: str | None, image_size: int):
    os.environ.setdefault("YOLO_OFFLINE", "1")
    from detectors.detections.detector import Detector, DetectorSettings, default_model

    return Detector(DetectorSettings(model=model or default_model(), image_size=image_size))


@app.command()
@reports_input_errors
def detect(
    clip: Annotated[
        Path, typer.Argument(help="Video clip from an intersection camera (MP4, ...).")
    ],
    camera: Annotated[Path, typer.Option("--camera", help="Camera YAML (zones, lanes, signals).")],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for this clip's results; replaced whole.")
    ],
    model: ModelOption = None,
    fps: FpsOption = DEFAULT_ANALYSIS_FPS,
    imgsz: ImageSizeOption = DEFAULT_IMAGE_SIZE,
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="Wall-clock start of the clip, ISO 8601 "
            "(default: from the sidecar CLIP.json or the file name).",
        ),
    ] = None,
    platforms: Annotated[
        Path | None,
        typer.Option(
            "--platforms", help="Courier platform profiles YAML (default: the shipped profiles)."
        ),
    ] = None,
    after: Annotated[
        Path | None,
        typer.Option(
            "--after",
            help="Output folder of the camera's previous clip: carry on from where it ended "
            "(used when it ended within 2 s of this clip's start; see docs/clips.md).",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Analyse one clip for pedestrians crossing on red and two-wheelers riding the wrong way.

    Writes, into --out, each violation's evidence (annotated stills, close-up, short clip,
    event.json with SHA-256 of every file), the exposure counts (pedestrians crossing, two-wheelers
    passing each lane) and the signal timeline, as Parquet tables for the warehouse.
    """
    summary = detect_clip(clip, camera, out, model, fps, imgsz, start, platforms, after)
    if as_json:
        print_json(summary)
    else:
        _print_clip_summary(summary)


def detect_clip(
    clip: Path,
    camera: Path,
    out: Path,
    model: str | None,
    fps: float = DEFAULT_ANALYSIS_FPS,
    imgsz: int = DEFAULT_IMAGE_SIZE,
    start: str | None = None,
    platforms: Path | None = None,
    after: Path | None = None,
) -> dict[str, Any]:
    from detectors.config.camera import load_camera
    from detectors.continuity import read_state
    from detectors.frames.binding import bind_clip, parse_start
    from detectors.frames.source import probe_clip
    from detectors.process import process_clip

    camera_config = load_camera(camera)
    info = probe_clip(clip)
    binding = bind_clip(clip, camera_config.timezone)
    if binding.camera_id and binding.camera_id != camera_config.camera_id:
        raise InputError(
            f"clip {clip} is bound to camera '{binding.camera_id}' (sidecar or file name) "
            f"but --camera {camera} is '{camera_config.camera_id}'; pass that camera's file"
        )
    clip_start = parse_start(start, camera_config.timezone, "--start") if start else binding.start
    previous = read_state(after) if after else None
    with clip_progress(f"detect {clip.name}", info.duration_s) as progress:
        detector = _detector(model, imgsz)
        processed = process_clip(
            clip,
            camera_config,
            out,
            detector,
            platforms,
            fps,
            clip_start,
            progress=progress,
            after=previous,
        )
    return clip_summary(processed)


def clip_summary(processed: Any) -> dict[str, Any]:
    """What ``detect`` did, as plain data: its violations with their evidence folders, the
    exposure it counted and where its outputs are."""
    result = processed.result
    violations = []
    for violation in result.violations:
        manifest = processed.evidence.get(violation.event_id)
        courier = violation.courier.platform if violation.courier else None
        violations.append(
            {
                "event_id": violation.event_id,
                "t_s": round(violation.t_s, 3),
                "rule": violation.rule,
                "zone": violation.zone_id,
                "track": violation.track_id,
                "signal": violation.signal_state,
                "courier": courier or None,
                "evidence": str(manifest.folder) if manifest else None,
            }
        )
    return {
        "clip": str(result.clip.path),
        "outputs": str(processed.out_dir),
        "violations": violations,
        "count_pedestrian_crossings": sum(p.zone_kind == "crosswalk" for p in result.passages),
        "count_two_wheeler_passages": sum(p.zone_kind == "lane" for p in result.passages),
        "analysed_s": round(result.analysed_duration_s, 3),
        "runtime_s": round(result.runtime_s, 3),
        "is_partial": result.decode.is_partial,
        "continued_from_clip_id": result.continued.clip_id if result.continued else None,
        "not_continued_because": result.not_continued_because,
    }


def _print_clip_summary(summary: dict[str, Any]) -> None:
    violations = summary["violations"]
    found = table(
        "time",
        "rule",
        "zone",
        "track",
        "signal",
        "courier",
        title=f"{Path(summary['clip']).name}: {len(violations)} violation(s)",
    )
    for violation in violations:
        found.add_row(
            f"{violation['t_s']:6.2f} s",
            violation["rule"],
            violation["zone"],
            str(violation["track"]),
            violation["signal"] or "-",
            violation["courier"] or "-",
        )
    console.print(found)
    # Evidence folders get lines of their own: they are what people copy.
    for violation in violations:
        console.print(f"evidence {violation['t_s']:6.2f} s: {violation['evidence'] or '-'}")
    if summary.get("continued_from_clip_id"):
        console.print(f"carried on from clip {summary['continued_from_clip_id']} (boundary state)")
    elif summary.get("not_continued_because"):
        console.print(f"[yellow]started fresh: {summary['not_continued_because']}[/]")
    partial = " [yellow](partial: the clip is truncated)[/]" if summary["is_partial"] else ""
    speed = summary["analysed_s"] / max(summary["runtime_s"], 1e-9)
    console.print(
        f"analysed {summary['analysed_s']:.1f} s of video in {summary['runtime_s']:.1f} s "
        f"({speed:.1f}x real time){partial}; exposure: "
        f"{summary['count_pedestrian_crossings']} pedestrian crossing(s), "
        f"{summary['count_two_wheeler_passages']} two-wheeler lane pass(es)"
    )
    console.print(f"outputs: {summary['outputs']}")


@app.command()
@reports_input_errors
def evaluate(
    set_dir: Annotated[Path, typer.Argument(help="Evaluation set folder (with index.yaml).")],
    json_path: Annotated[
        Path | None,
        typer.Option("--json", help="Write the report JSON to this file, or print it with '-'."),
    ] = None,
    explain: Annotated[
        Path | None,
        typer.Option(
            "--explain",
            help="Folder for explain.md: each missed and false event, the stage that lost it "
            "and annotated frames.",
        ),
    ] = None,
    model: ModelOption = None,
    fps: FpsOption = DEFAULT_ANALYSIS_FPS,
    imgsz: ImageSizeOption = DEFAULT_IMAGE_SIZE,
) -> None:
    """Score the detector against an evaluation set (shared/spec/ground-truth.md)."""
    from detectors.evaluation import evaluate_set, load_eval_set, render_report, write_report_json
    from detectors.evaluation.engine import engine_detect
    from detectors.frames.source import probe_clip

    _derive_missing_clips(set_dir)
    load_eval_set(set_dir)  # a broken set is reported before the model loads
    detector = _detector(model, imgsz)

    with progress_bar() as bar:

        def clip_progress(video: Path):
            task = bar.add_task(
                f"evaluate {video.name}", total=round(probe_clip(video).duration_s, 1)
            )
            return lambda t: bar.update(task, completed=t)

        detect_clip = engine_detect(
            detector, fps, progress_for=clip_progress, record_frames=explain is not None
        )
        report = evaluate_set(set_dir, detect_clip, explain_dir=explain)
    if json_path == Path("-"):
        print_json(report)
        return
    console.print(render_report(report))
    if explain:
        console.print(f"missed and false events explained: {report['explain']}")
    if json_path:
        write_report_json(report, json_path)
        console.print(f"report: {json_path}")


def _derive_missing_clips(set_dir: Path) -> None:
    from detectors.evaluation.derive import derive_clips, missing_clips

    missing = missing_clips(set_dir)
    for folder in sorted({clip.parent for clip in missing}):
        with errors.status(f"making the derived clips of {folder} (once: they are kept there)"):
            derive_clips(folder, only=missing)


@app.command("derive-clips")
@reports_input_errors
def derive_clips(
    folder: Annotated[
        Path, typer.Argument(help="Folder of derived clips, holding derive.yaml (the recipes).")
    ],
) -> None:
    """Make (again) the clips an evaluation set derives from shared footage: played backwards,
    or with the camera drifting (recipes in FOLDER/derive.yaml)."""
    from detectors.evaluation.derive import derive_clips as make

    with errors.status("making derived clips") as status:
        made = make(folder, progress=lambda clip: status.update(f"making {clip}"))
    console.print(f"{len(made)} derived clip(s) made in {folder}")


@app.command()
@reports_input_errors
def sample(
    out: Annotated[Path, typer.Argument(help="Folder to write the sample clip set into.")],
    as_json: JsonFlag = False,
) -> None:
    """Render the bundled synthetic intersection clip with its camera YAML and ground truth."""
    from sample_video import write_sample

    files = write_sample(out)
    if as_json:
        print_json(files)
        return
    for name, path in dataclasses.asdict(files).items():
        console.print(f"{name}: {path}")


@app.command()
@reports_input_errors
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo's files.")] = Path(
        "out/demo"
    ),
    model: ModelOption = None,
    as_json: JsonFlag = False,
) -> None:
    """The whole chain on the bundled sample: render the clip, find its violations, load them
    into a warehouse beside a synthetic year of results and accidents, publish the week's board."""
    from analytics.demo import publish_demo_board
    from sample_video import write_sample

    files = write_sample(out / "sample")
    results = out / "results" / files.clip.stem
    detected = detect_clip(files.clip, files.camera, results, model)
    if not as_json:
        _print_clip_summary(detected)
    with errors.status("loading the warehouse and publishing the board (synthetic year) ..."):
        board = publish_demo_board(out / "warehouse", results)
    warehouse = out / "warehouse"
    if as_json:
        print_json({"detect": detected, "warehouse": warehouse, "board": board / "index.html"})
        return
    console.print(f"warehouse: {warehouse}")
    console.print(f"  query it: civility sql --warehouse {warehouse} ...")
    console.print(f"board: {board / 'index.html'}")


def _mount_other_steps() -> None:
    # The warehouse, board, review and case commands live beside their code; their modules
    # import what a command needs when it runs, so that any command (an analyst's query above
    # all) starts in a fraction of a second.
    from analytics.accidents.cli import accidents_app
    from analytics.board.cli import board_app
    from analytics.cli import sql, warehouse_app
    from analytics.synthetic.cli import synthetic_app
    from cases.cli import cases_app
    from detectors.config.cli import camera_app
    from orchestration.cli import clips_app
    from review.cli import review_app

    app.add_typer(warehouse_app, name="warehouse")
    app.command("sql")(reports_input_errors(sql))
    app.add_typer(accidents_app, name="accidents")
    app.add_typer(board_app, name="board")
    app.add_typer(synthetic_app, name="synthetic")
    app.add_typer(review_app, name="review")
    app.add_typer(cases_app, name="cases")
    app.add_typer(camera_app, name="camera")
    app.add_typer(clips_app, name="clips")


_mount_other_steps()

if __name__ == "__main__":
    app()
