import asyncio
import os

import pytest

from review.deps import SESSION_COOKIE

PAGE_FILES = (
    "frame_1_before.jpg",
    "frame_2_at.jpg",
    "frame_3_after.jpg",
    "closeup.jpg",
    "clip.mp4",
)


@pytest.fixture
def clip_url(events):
    return f"/evidence/{events[0]['evidence_path']}/clip.mp4"


@pytest.fixture
def secrets(warehouse):
    """Files beside the evidence store that must never be served."""
    (warehouse.parent / "outside.jpg").write_bytes(b"outside")
    (warehouse / "evidence" / "stray.parquet").write_bytes(b"parquet")
    return warehouse.parent / "outside.jpg"


def test_a_still_and_the_clip_are_served_to_a_logged_in_user(login, events, clip_url):
    browser = login("li")
    still = browser.get(f"/evidence/{events[0]['evidence_path']}/frame_2_at.jpg")
    assert (still.status_code, still.headers["content-type"]) == (200, "image/jpeg")
    assert still.content[:2] == b"\xff\xd8"
    clip = browser.get(clip_url)
    assert (clip.status_code, clip.headers["content-type"]) == (200, "video/mp4")
    assert clip.headers["cache-control"] == "no-store"  # like the pages: nothing stays behind


def test_fetching_an_evidence_file_is_in_the_security_log(login, events, clip_url, warehouse):
    from analytics.decisions.security_log import recent_entries
    from analytics.decisions.store import store_session

    browser = login("li")
    browser.get(clip_url)
    browser.get(clip_url, headers={"Range": "bytes=100-199"})  # the player seeking: same view
    browser.get(f"/events/{events[1]['event_id']}")
    with store_session(warehouse) as conn:
        viewed = [
            (e.username, e.target) for e in recent_entries(conn) if e.action == "evidence_viewed"
        ]
    assert viewed == [("li", events[1]["event_id"]), ("li", clip_url.removeprefix("/evidence/"))]


def test_an_event_page_and_the_files_it_shows_are_one_view_in_the_security_log(
    login, events, warehouse
):
    from analytics.decisions.security_log import recent_entries
    from analytics.decisions.store import store_session

    event = events[0]
    files = [f"/evidence/{event['evidence_path']}/{name}" for name in PAGE_FILES]
    li, zhou = login("li"), login("zhou")
    li.get(f"/events/{event['event_id']}")
    assert [li.get(url).status_code for url in files] == [200] * len(files)
    zhou.get(files[0])  # a still fetched without its page is a view of its own
    with store_session(warehouse) as conn:
        viewed = [
            (e.username, e.target) for e in recent_entries(conn) if e.action == "evidence_viewed"
        ]
    assert viewed == [("zhou", files[0].removeprefix("/evidence/")), ("li", event["event_id"])]


def test_the_clip_answers_byte_ranges_so_the_player_can_seek(login, clip_url):
    part = login("li").get(clip_url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert len(part.content) == 100


def test_no_evidence_without_a_session(client, clip_url):
    response = client.get(clip_url)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")
    assert b"ftyp" not in response.content


@pytest.mark.parametrize(
    "path",
    [
        "/evidence/evidence/%2e%2e/review/review.sqlite",
        "/evidence/%2e%2e/outside.jpg",
        "/evidence/evidence/%2E%2E/%2E%2E/outside.jpg",
        "/evidence/evidence%2f..%2f..%2foutside.jpg",
        "/evidence//etc/passwd",
        "/evidence/%2Fetc%2Fpasswd",
        "/evidence/evidence/stray.parquet",
        "/evidence/review/review.sqlite",
    ],
)
def test_encoded_traversal_and_absolute_paths_are_refused(login, events, secrets, path):
    response = login("li").get(path)
    assert response.status_code == 404
    assert b"outside" not in response.content


@pytest.mark.parametrize(
    "raw_path",
    ["/evidence/evidence/../../outside.jpg", "/evidence/../review/review.sqlite"],
)
def test_literal_dot_dot_that_a_client_did_not_normalise_is_refused(
    app, login, events, secrets, raw_path
):
    cookie = login("li").cookies[SESSION_COOKIE]
    status, body = asyncio.run(_asgi_get(app, raw_path, f"{SESSION_COOKIE}={cookie}"))
    assert status == 404
    assert b"outside" not in body


def test_a_symbolic_link_out_of_the_store_is_refused(login, events, secrets, warehouse):
    folder = warehouse / events[0]["evidence_path"]
    os.symlink(secrets, folder / "sneaky.jpg")
    response = login("li").get(f"/evidence/{events[0]['evidence_path']}/sneaky.jpg")
    assert response.status_code == 404


async def _asgi_get(app, path: str, cookie: str) -> tuple[int, bytes]:
    """A GET sent to the app as-is: HTTP clients resolve '..' before sending, a raw socket
    need not."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver"), (b"cookie", cookie.encode())],
        "client": ("203.0.113.7", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body
