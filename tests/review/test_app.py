import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from analytics.decisions.store import store_session
from review.app import create_app
from review.settings import ReviewSettings

SAMPLE_PARAMETERS = {"event_id": "e1", "requested": "evidence/x/clip.mp4", "username": "li"}


def routes(app, method):
    return [r for r in app.routes if isinstance(r, APIRoute) and method in r.methods]


def concrete(path):
    return re.sub(r"{(\w+)(:path)?}", lambda m: SAMPLE_PARAMETERS[m.group(1)], path)


def test_every_page_but_login_needs_a_session(app, client, events):
    pages = [route.path for route in routes(app, "GET") if route.path != "/login"]
    assert len(pages) >= 5
    for path in pages:
        response = client.get(concrete(path))
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next="), path


@pytest.mark.parametrize("token", [None, "", "forged", "令牌"])
def test_every_post_needs_the_sessions_csrf_token(app, login, events, warehouse, token):
    browser = login("zhao")  # an admin may reach every form
    posts = [route.path for route in routes(app, "POST") if route.path != "/login"]
    assert len(posts) >= 4
    form = {"version": "0", "action": "confirm", "username": "x1", "role": "admin"}
    form.update({"password": "long enough", "is_active": "false"})
    if token is not None:
        form["csrf_token"] = token
    for path in posts:
        response = browser.post(concrete(path), data=form)
        assert response.status_code == 403, path
        assert "安全校验未通过" in response.text
    assert browser.get("/").status_code == 200  # the logout did not happen either
    with store_session(warehouse) as conn:
        assert conn.execute("select count(*) from decisions").fetchone()[0] == 0
        assert conn.execute("select count(*) from users where username = 'x1'").fetchone()[0] == 0


def test_another_sessions_token_does_not_open_this_sessions_forms(login, events, page_token):
    other_token = page_token(login("li").get("/").text)
    browser = login("wang")
    response = browser.post(
        f"/events/{events[0]['event_id']}/decision",
        data={"csrf_token": other_token, "version": "0", "action": "confirm"},
    )
    assert response.status_code == 403


def test_pages_carry_the_security_headers(client):
    response = client.get("/login")
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/openapi.json", "/no/such/page"])
def test_no_api_documentation_and_a_chinese_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "页面不存在" in response.text


def test_the_static_files_are_public_but_hold_no_data(client):
    assert client.get("/static/review.js").status_code == 200
    assert client.get("/static/review.css").status_code == 200


def test_the_queue_sync_runs_at_start_up_when_enabled(warehouse):
    calls = []
    settings = ReviewSettings(warehouse=warehouse, sync_interval_s=0)
    with TestClient(create_app(settings, sync=lambda: calls.append("synced"))):
        pass
    assert calls == ["synced"]


def test_no_sync_when_disabled(settings):
    calls = []
    with TestClient(create_app(settings, sync=lambda: calls.append("synced"))):
        pass
    assert calls == []
