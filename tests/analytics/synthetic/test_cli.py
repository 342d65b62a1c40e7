"""``civility synthetic warehouse``."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from analytics.synthetic.cli import synthetic_app


def test_writes_a_small_synthetic_warehouse(tmp_path):
    app = typer.Typer()
    app.add_typer(synthetic_app, name="synthetic")  # as the civility command mounts it
    result = CliRunner().invoke(
        app,
        ["synthetic", "warehouse", "--warehouse", str(tmp_path), "--cameras", "2", "--weeks", "1",
         "--no-accidents", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    written = json.loads(result.stdout)
    assert written["accidents"] is None
    assert written["synthetic"]["count_clips"] > 0 and len(written["synthetic"]["weeks"]) >= 1
    assert any(tmp_path.glob("compacted/week=*/gen=*/events.parquet"))
