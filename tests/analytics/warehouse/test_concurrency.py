"""The pipeline loading clips, a reviewer deciding and an analyst querying, all at once, in
separate processes: nobody sees a lock error and no write is lost."""

import json
import subprocess
import sys
from pathlib import Path

from analytics.warehouse import connect, load_clip

ACTORS = Path(__file__).with_name("concurrent_actors.py")
CLIPS = 12


def start(role: str, root: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ACTORS), role, str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_pipeline_reviewer_and_analyst_work_at_the_same_time(tmp_path, make_clip_outputs):
    root = tmp_path / "wh"
    outputs = [
        make_clip_outputs(
            f"clip{index}",
            clip_id=f"{index:016x}",
            events=[{"rule": "wrong_way", "t_s": 1.0}, {"rule": "wrong_way", "t_s": 9.0}],
            passages=[{"zone_kind": "lane", "road_user": "two_wheeler", "entered_s": 1.0}],
        )
        for index in range(CLIPS)
    ]
    load_clip(root, outputs[0])
    to_review = [
        row[0] for row in connect(root).sql("select event_id from fct_violations").fetchall()
    ]

    actors = [
        start("analyst", root, "20"),
        start("pipeline", root, *map(str, outputs)),
        start("reviewer", root, *to_review),
    ]
    analyst, pipeline, reviewer = (finish(actor) for actor in actors)

    con = connect(root)
    by_status = con.sql(
        "select review_status, count(*), count(distinct clip_id) from fct_violations group by 1"
    ).fetchall()
    assert sorted(by_status) == [("confirmed", 2, 1), ("pending", 2 * CLIPS - 2, CLIPS - 1)]
    assert reviewer == {"decided": 2} and pipeline == {"loads": 2 * CLIPS}
    assert analyst["queries"] >= 3
    # Each snapshot is whole: clips only ever appear, never vanish or double.
    counts = analyst["clip_counts"]
    assert counts == sorted(counts) and counts[-1] <= CLIPS
    assert any(1 < count < CLIPS for count in counts), "no query ran while clips were loading"
