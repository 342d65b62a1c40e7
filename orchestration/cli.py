"""``clips``: the pipeline's clip store seen by an operator (mounted by ``civility``).

The locations are the pipeline's own ($CIVILITY_DATA, $CIVILITY_CLIP_STORE ..., docs/airflow.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import typer

from civility.terminal import JsonFlag, console, print_json, reports_input_errors, table
from detectors.config.errors import InputError

clips_app = typer.Typer(
    name="clips",
    help="Registered clips: what is due, what failed; have clips analysed again.",
    no_args_is_help=True,
    add_completion=False,
)


@clips_app.command()
@reports_input_errors
def reanalyse(
    camera: Annotated[
        list[str] | None, typer.Option("--camera", help="Camera id (repeat for several).")
    ] = None,
    clip: Annotated[list[str] | None, typer.Option("--clip", help="Clip id (repeat).")] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Footage starting at or after this, ISO 8601 (2026-11-16 or "
            "2026-11-16T08:00:00+08:00); without an offset, in each camera's local time.",
        ),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="... and starting before this, same format.")
    ] = None,
    reason: Annotated[
        str, typer.Option("--reason", help="Why, kept with the request.")
    ] = "requested by an operator",
    as_json: JsonFlag = False,
) -> None:
    """Have clips analysed again by the next clip_analysis run (within 30 minutes, or trigger
    it); the new results replace the old ones in the warehouse."""
    from orchestration.settings import Locations
    from orchestration.store import ClipStore

    if not camera and not clip:
        raise InputError("name the clips to analyse again: --camera ID and/or --clip ID")
    first, last = _moment(since, "--since"), _moment(until, "--until")
    store = ClipStore(Locations.from_env().store)
    records = store.records()
    chosen = [
        r
        for r in records
        if (r.camera_id in (camera or []) or r.clip_id in (clip or []))
        and _within(r.started_at, first, last)
    ]
    if not chosen:
        known = sorted({r.camera_id for r in records}) or ["none registered"]
        raise InputError(
            f"no registered clip matches in {store.root}; cameras there: {', '.join(known)}"
        )
    request = {"requested_at": datetime.now(UTC).isoformat(), "reason": reason}
    for record in chosen:
        store.request_reanalysis(record.clip_id, request)
    ids = [record.clip_id for record in chosen]
    if as_json:
        print_json({"clip_ids": ids, **request})
        return
    console.print(f"{len(ids)} clip(s) will be analysed again by the next clip_analysis run:")
    for record in chosen:
        console.print(f"  {record.clip_id}  {record.camera_id}  {record.started_at.isoformat()}")


@clips_app.command()
@reports_input_errors
def status(as_json: JsonFlag = False) -> None:
    """What the store holds: clips registered and analysed, due now (and why), failed (with
    their errors), quarantined (by reason)."""
    from collections import Counter

    from detectors.detections.detector import default_model, model_version
    from orchestration.ingest import clip_quarantine
    from orchestration.quarantine import quarantined
    from orchestration.settings import Locations
    from orchestration.store import ClipStore
    from orchestration.sweep import due_clips

    locations = Locations.from_env()
    store = ClipStore(locations.store)
    records = store.records()
    due = due_clips(store, locations.cameras, model_version(default_model()))
    refusals = Counter(
        e.reason.get("refusal", "invalid") for e in quarantined(clip_quarantine(locations))
    )
    report: dict[str, Any] = {
        "count_registered": len(records),
        "count_analysed": sum(store.analysed(r.clip_id) is not None for r in records),
        "due": dict(Counter(clip.reason for clip in due)),
        "failed": [
            {"clip_id": clip_id, **failure} for clip_id, failure in store.failures().items()
        ],
        "quarantined": dict(refusals),
    }
    if as_json:
        print_json(report)
        return
    console.print(
        f"{report['count_registered']} clip(s) registered, {report['count_analysed']} analysed; "
        f"due now: {_counts(report['due'])}; quarantined: {_counts(report['quarantined'])}"
    )
    if report["failed"]:
        failed = table("clip", "stage", "error", "failed at", title="failed clips")
        for failure in report["failed"]:
            failed.add_row(
                failure["clip_id"],
                failure.get("stage"),
                failure.get("error"),
                failure.get("failed_at"),
            )
        console.print(failed)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {name}" for name, count in sorted(counts.items())) or "none"


def _within(started_at: datetime, since: datetime | None, until: datetime | None) -> bool:
    """Whether the clip starts in [since, until); a bound without an offset is read in the
    clip's own local time."""

    def local(bound: datetime) -> datetime:
        return bound if bound.tzinfo else bound.replace(tzinfo=started_at.tzinfo)

    return (since is None or started_at >= local(since)) and (
        until is None or started_at < local(until)
    )


def _moment(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise InputError(
            f"{option} {text!r} is not ISO 8601; write e.g. 2026-11-16 or 2026-11-16T08:00:00+08:00"
        ) from None
