"""``camera``: onboarding a camera file before the pipeline meets it (mounted by ``civility``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from civility.terminal import JsonFlag, console, print_json, reports_input_errors

camera_app = typer.Typer(
    name="camera",
    help="Camera files (shared/spec/camera-config.md): check one against its footage.",
    no_args_is_help=True,
    add_completion=False,
)


@camera_app.command()
@reports_input_errors
def check(
    camera: Annotated[Path, typer.Argument(help="The camera YAML to check.")],
    clip: Annotated[
        Path | None, typer.Argument(help="A clip of this camera, to see the layout on it.")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="PNG to draw the zones and lamp ROIs into (needs CLIP)."),
    ] = None,
    at: Annotated[float, typer.Option("--at", min=0, help="Seconds into the clip to draw.")] = 0.0,
    seconds: Annotated[
        float, typer.Option("--seconds", min=0.5, help="Seconds of the clip to read lamps over.")
    ] = 5.0,
    as_json: JsonFlag = False,
) -> None:
    """Validate a camera file (exit 2 naming each wrong field and its fix); with a clip, draw
    its crosswalks, lanes and lamp ROIs over a frame (--out) and print what the engine reads
    from its lamps over the first seconds. Put the file into $CIVILITY_CAMERAS once it passes:
    clips quarantined for this camera are then ingested again by themselves."""
    import cv2

    from detectors.config.check import check_camera
    from detectors.config.errors import InputError

    if out is not None and clip is None:
        raise InputError("--out draws over a frame of a clip: pass the clip after the camera file")
    result = check_camera(camera, clip, at, seconds)
    if out is not None and result.image is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        if not cv2.imwrite(str(out), result.image):
            raise InputError(f"{out}: cannot write a PNG there; give a path ending in .png")
    summary = _summary(result, out if result.image is not None else None)
    if as_json:
        print_json(summary)
    else:
        _show(summary)


def _summary(result: Any, image: Path | None) -> dict[str, Any]:
    camera = result.camera
    lamps: dict[str, list[dict[str, Any]]] = {}
    for segment in result.lamps:
        lamps.setdefault(segment.signal_id, []).append(
            {
                "from_s": round(segment.from_s, 2),
                "to_s": round(segment.to_s, 2),
                "state": str(segment.state),
            }
        )
    return {
        "camera_id": camera.camera_id,
        "name": camera.name,
        "timezone": camera.timezone,
        "frame_size": list(camera.frame_size),
        "count_crosswalks": len(camera.crosswalks),
        "count_lanes": len(camera.lanes),
        "signals": {signal.id: signal.source for signal in camera.signals},
        "clip": None if result.clip is None else str(result.clip.path),
        "clip_size": None if result.clip is None else [result.clip.width, result.clip.height],
        "frame_at_s": result.frame_at_s,
        "image": image,
        "read_s": round(result.read_s, 2),
        "lamps": lamps,
        "notes": result.notes,
    }


def _show(summary: dict[str, Any]) -> None:
    console.print(
        f"camera {summary['camera_id']} ({summary['name']}): valid; "
        f"{summary['count_crosswalks']} crosswalk(s), {summary['count_lanes']} lane(s), "
        f"{len(summary['signals'])} signal(s), time zone {summary['timezone']}"
    )
    if summary["clip"] is None:
        return
    width, height = summary["clip_size"]
    console.print(f"clip {width}x{height}:")
    console.print(summary["clip"])
    if summary["image"]:
        console.print(f"zones and lamp ROIs drawn over the frame at {summary['frame_at_s']:.1f} s:")
        console.print(str(summary["image"]))
    console.print(f"signals over the first {summary['read_s']:.1f} s:")
    for signal_id, source in summary["signals"].items():
        stretches = ", ".join(
            f"{s['state']} {s['from_s']:.1f}-{s['to_s']:.1f} s"
            for s in summary["lamps"].get(signal_id, [])
        )
        console.print(f"  {signal_id} ({source}): {stretches}")
    for note in summary["notes"]:
        console.print(f"[yellow]note:[/] {note}")
