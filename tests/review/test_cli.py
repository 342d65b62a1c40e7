import json

import uvicorn
from typer.testing import CliRunner

import review.cli
from analytics.decisions.queue_sync import SyncReport
from analytics.decisions.store import store_session
from analytics.decisions.users import authenticate
from review.cli import review_app

runner = CliRunner()


def test_add_user_reads_the_password_from_stdin(warehouse):
    result = runner.invoke(
        review_app,
        ["add-user", "Wang", "--role", "supervisor", "--warehouse", str(warehouse)],
        input="long enough\n",
    )
    assert result.exit_code == 0, result.output
    assert "user wang (supervisor) saved" in result.output
    with store_session(warehouse) as conn:
        assert authenticate(conn, "wang", "long enough").role == "supervisor"


def test_add_user_refuses_an_unknown_role(warehouse):
    result = runner.invoke(
        review_app, ["add-user", "wang", "--role", "chief", "--warehouse", str(warehouse)]
    )
    assert result.exit_code == 2
    assert "reviewer" in result.output


def test_add_user_refuses_a_short_or_missing_password(warehouse):
    arguments = ["add-user", "wang", "--role", "reviewer", "--warehouse", str(warehouse)]
    short = runner.invoke(review_app, arguments, input="short\n")
    assert short.exit_code == 2
    assert "password is too short; use at least 8" in short.output
    missing = runner.invoke(review_app, arguments, input="")
    assert missing.exit_code == 2
    assert "no password on stdin" in missing.output


def test_serve_runs_the_app_over_the_warehouse(warehouse, monkeypatch):
    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, host, port: served.update(app=app, port=port))
    arguments = ["serve", "--port", "8123", "--warehouse", str(warehouse), "--secure-cookies"]
    result = runner.invoke(review_app, arguments)
    assert result.exit_code == 0, result.output
    assert served["port"] == 8123
    settings = served["app"].state.settings
    assert (settings.warehouse, settings.secure_cookies) == (warehouse, True)


def test_serve_names_a_missing_warehouse(tmp_path):
    result = runner.invoke(review_app, ["serve", "--warehouse", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no warehouse here" in result.output


def test_sync_reports_what_it_copied(warehouse, monkeypatch):
    monkeypatch.setattr(review.cli, "sync_from_warehouse", lambda root: SyncReport(2, 1, 37))
    result = runner.invoke(review_app, ["sync", "--warehouse", str(warehouse), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "count_clips_synced": 2,
        "count_clips_removed": 1,
        "count_events_written": 37,
    }
