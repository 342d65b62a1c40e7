"""``civility``: the command line of traffic-civility.

Every command turns bad input (a clip that will not decode, a camera file with a wrong field)
into one clear message and exit status 2, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from civility.terminal import console, progress_bar, reports_input_errors
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
) -> None:
    """Analyse one clip for pedestrians crossing on red and two-wheelers riding the wrong way.

    Writes, into --out, each violation's evidence (annotated stills, close-up, short clip,
    event.json with SHA-256 of every file), the exposure counts (pedestrians crossing, two-wheelers
    passing each lane) and the signal timeline, as Parquet tables for the warehouse.
    """
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
    detector = _detector(model, imgsz)
    with progress_bar() as bar:
        task = bar.add_task(f"detect {clip.name}", total=round(info.duration_s, 1))
        processed = process_clip(
            clip,
            camera_config,
            out,
            detector,
            platforms,
            fps,
            clip_start,
            progress=lambda t: bar.update(task, completed=t),
            after=previous,
        )
        bar.update(task, completed=info.duration_s)
    _print_clip_summary(processed)


def _print_clip_summary(processed: Any) -> None:
    result = processed.result
    table = Table(title=f"{result.clip.path.name}: {len(result.violations)} violation(s)")
    for column in ("time", "rule", "zone", "track", "signal", "courier", "evidence"):
        table.add_column(column)
    for violation in result.violations:
        manifest = processed.evidence.get(violation.event_id)
        courier = (
            violation.courier.platform if violation.courier and violation.courier.platform else "-"
        )
        table.add_row(
            f"{violation.t_s:6.2f} s",
            violation.rule,
            violation.zone_id,
            str(violation.track_id),
            violation.signal_state or "-",
            courier,
            str(manifest.folder) if manifest else "-",
        )
    console.print(table)
    pedestrians = sum(1 for p in result.passages if p.zone_kind == "crosswalk")
    two_wheelers = sum(1 for p in result.passages if p.zone_kind == "lane")
    partial = " [yellow](partial: the clip is truncated)[/]" if result.decode.is_partial else ""
    if result.continued:
        console.print(f"carried on from clip {result.continued.clip_id} (boundary state)")
    elif result.not_continued_because:
        console.print(f"[yellow]started fresh: {result.not_continued_because}[/]")
    console.print(
        f"analysed {result.analysed_duration_s:.1f} s of video in {result.runtime_s:.1f} s "
        f"({result.analysed_duration_s / max(result.runtime_s, 1e-9):.1f}x real time){partial}; "
        f"exposure: {pedestrians} pedestrian crossing(s), "
        f"{two_wheelers} two-wheeler lane pass(es)\n"
        f"outputs: {processed.out_dir}"
    )


@app.command()
@reports_input_errors
def evaluate(
    set_dir: Annotated[Path, typer.Argument(help="Evaluation set folder (with index.yaml).")],
    json_path: Annotated[
        Path | None, typer.Option("--json", help="Write the report JSON here.")
    ] = None,
    model: ModelOption = None,
    fps: FpsOption = DEFAULT_ANALYSIS_FPS,
    imgsz: ImageSizeOption = DEFAULT_IMAGE_SIZE,
) -> None:
    """Score the detector against an evaluation set (shared/spec/ground-truth.md)."""
    from detectors.evaluation import evaluate_set, load_eval_set, render_report, write_report_json
    from detectors.evaluation.engine import engine_detect
    from detectors.frames.source import probe_clip

    load_eval_set(set_dir)  # a broken set is reported before the model loads
    detector = _detector(model, imgsz)

    with progress_bar() as bar:

        def clip_progress(video: Path):
            task = bar.add_task(
                f"evaluate {video.name}", total=round(probe_clip(video).duration_s, 1)
            )
            return lambda t: bar.update(task, completed=t)

        detect_clip = engine_detect(detector, fps, progress_for=clip_progress)
        report = evaluate_set(set_dir, detect_clip)
    console.print(render_report(report))
    if json_path:
        write_report_json(report, json_path)
        console.print(f"report: {json_path}")


@app.command()
@reports_input_errors
def sample(
    out: Annotated[Path, typer.Argument(help="Folder to write the sample clip set into.")],
) -> None:
    """Render the bundled synthetic intersection clip with its camera YAML and ground truth."""
    from sample_video import write_sample

    files = write_sample(out)
    console.print(f"sample written: {files}")


@app.command()
@reports_input_errors
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo's files.")] = Path(
        "out/demo"
    ),
    model: ModelOption = None,
) -> None:
    """The whole chain on the bundled sample: render the clip, find its violations, load them
    into a warehouse beside a synthetic year of results and accidents, publish the week's board."""
    from analytics.demo import publish_demo_board
    from sample_video import write_sample

    files = write_sample(out / "sample")
    results = out / "results" / files.clip.stem
    detect(files.clip, camera=files.camera, out=results, model=model)
    with console.status("loading the warehouse and publishing the board (synthetic year) ..."):
        board = publish_demo_board(out / "warehouse", results)
    warehouse = out / "warehouse"
    console.print(f"warehouse: {warehouse}   (query it: civility sql --warehouse {warehouse} ...)")
    console.print(f"board: {board / 'index.html'}")


def _mount_other_steps() -> None:
    # The warehouse and board commands live beside their code in analytics/.
    from analytics.accidents.cli import accidents_app
    from analytics.board.cli import board_app
    from analytics.cli import sql, warehouse_app
    from analytics.synthetic.cli import synthetic_app
    from review.cli import review_app

    app.add_typer(warehouse_app, name="warehouse")
    app.command("sql")(reports_input_errors(sql))
    app.add_typer(accidents_app, name="accidents")
    app.add_typer(board_app, name="board")
    app.add_typer(synthetic_app, name="synthetic")
    app.add_typer(review_app, name="review")


_mount_other_steps()

if __name__ == "__main__":
    app()
