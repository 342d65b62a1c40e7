import json

from typer.testing import CliRunner

import review.cli
import review.serving
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


def test_add_user_limits_a_user_to_districts(warehouse):
    arguments = ["add-user", "li", "--role", "reviewer", "--warehouse", str(warehouse)]
    districts = ["--district", "朝阳区", "--district", "海淀区"]
    result = runner.invoke(review_app, arguments + districts, input="long enough\n")
    assert result.exit_code == 0, result.output
    with store_session(warehouse) as conn:
        assert authenticate(conn, "li", "long enough").districts == ("朝阳区", "海淀区")


def test_add_user_names_a_missing_warehouse_and_creates_nothing(tmp_path):
    arguments = ["add-user", "li", "--role", "reviewer", "--warehouse", str(tmp_path / "typo")]
    result = runner.invoke(review_app, arguments, input="long enough\n")
    assert result.exit_code == 2
    assert "no warehouse here" in result.output
    assert not (tmp_path / "typo").exists()


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
    monkeypatch.setattr(
        review.serving, "serve", lambda app, host, port: served.update(app=app, port=port)
    )
    arguments = [
        "serve",
        "--port",
        "8123",
        "--warehouse",
        str(warehouse),
        "--secure-cookies",
        "--trusted-proxy",
        "10.0.0.0/24",
    ]
    result = runner.invoke(review_app, arguments)
    assert result.exit_code == 0, result.output
    assert served["port"] == 8123
    settings = served["app"].state.settings
    assert (settings.warehouse, settings.secure_cookies) == (warehouse, True)
    assert settings.trusted_proxies == ("10.0.0.0/24",)


def test_serve_names_a_bad_trusted_proxy(warehouse):
    arguments = ["serve", "--warehouse", str(warehouse), "--trusted-proxy", "proxy.local"]
    result = runner.invoke(review_app, arguments)
    assert result.exit_code == 2
    assert "'proxy.local' is not an IP address" in result.output


def test_serve_names_a_corrupt_store(warehouse):
    (warehouse / "review").mkdir()
    (warehouse / "review" / "review.sqlite").write_bytes(b"garbage" * 200)
    result = runner.invoke(review_app, ["serve", "--warehouse", str(warehouse)])
    assert result.exit_code == 2
    assert "review.sqlite: the review store cannot be read" in result.output


def test_uvicorn_is_told_not_to_believe_forwarded_headers():
    config = review.serving.server_config(object(), "127.0.0.1", 8000)
    assert config.proxy_headers is False


def test_serve_names_a_missing_warehouse(tmp_path):
    result = runner.invoke(review_app, ["serve", "--warehouse", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no warehouse here" in result.output


def test_sync_reports_what_it_copied(warehouse, monkeypatch):
    monkeypatch.setattr(
        "analytics.decisions.queue_sync.sync_from_warehouse", lambda root: SyncReport(2, 1, 37)
    )
    result = runner.invoke(review_app, ["sync", "--warehouse", str(warehouse), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "count_clips_synced": 2,
        "count_clips_removed": 1,
        "count_events_written": 37,
    }


def test_sync_names_a_corrupt_warehouse_file(tmp_path, make_clip_outputs):
    from analytics.warehouse import load_clip

    root = tmp_path / "warehouse"
    loaded = load_clip(root, make_clip_outputs(events=[{"rule": "wrong_way", "t_s": 3.0}]))
    broken = loaded.folder / "events.parquet"
    broken.write_bytes(broken.read_bytes()[:100])
    result = runner.invoke(review_app, ["sync", "--warehouse", str(root)])
    assert result.exit_code == 2
    assert str(broken) in result.output.replace("\n", "")
    assert "Load that clip again" in result.output.replace("\n", " ")
