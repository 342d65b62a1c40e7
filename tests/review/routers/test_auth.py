import threading
from datetime import UTC, datetime, timedelta

import httpx
from fastapi.testclient import TestClient

from analytics.decisions.security_log import recent_entries
from analytics.decisions.store import store_session, to_text
from review.app import create_app
from review.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE

PASSWORD = "correct horse 42"


def csrf_token(html):
    return html.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_logging_in_sets_an_http_only_same_site_session_cookie(client, log_in_with):
    response = log_in_with(client, "li", PASSWORD)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Max-Age=28800" in cookie
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused(client, log_in_with):
    response = log_in_with(client, "li", "guess")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert SESSION_COOKIE not in client.cookies
    assert client.get("/").status_code == 303


def test_the_login_form_needs_its_csrf_token(client, page_token):
    client.get("/login")
    form = {"username": "li", "password": PASSWORD, "csrf_token": "forged"}
    assert client.post("/login", data=form).status_code == 403
    del form["csrf_token"]
    assert client.post("/login", data=form).status_code == 403
    assert SESSION_COOKIE not in client.cookies


def test_five_failures_lock_that_account_from_every_address(app, client, log_in_with):
    for _ in range(5):
        assert log_in_with(client, "li", "guess").status_code == 401
    locked = log_in_with(client, "li", PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "登录失败次数过多" in locked.text
    assert SESSION_COOKIE not in client.cookies
    # The account is locked wherever the guesses come from; other users are not.
    elsewhere = TestClient(app, follow_redirects=False, client=("198.51.100.9", 50000))
    assert log_in_with(elsewhere, "li", PASSWORD).status_code == 429
    assert log_in_with(client, "wang", PASSWORD).status_code == 303


def test_spraying_one_password_over_many_names_locks_the_source(settings, accounts, log_in_with):
    app = create_app(settings.model_copy(update={"login_max_failures_per_source": 4}))
    with TestClient(app, follow_redirects=False, client=("203.0.113.50", 1)) as sprayer:
        codes = [
            log_in_with(sprayer, f"user{index}", "Winter2025!").status_code for index in range(6)
        ]
        assert codes == [401, 401, 401, 401, 429, 429]
        assert log_in_with(sprayer, "li", PASSWORD).status_code == 429
    with TestClient(app, follow_redirects=False, client=("203.0.113.51", 1)) as colleague:
        assert log_in_with(colleague, "li", PASSWORD).status_code == 303


def test_thirty_parallel_wrong_passwords_get_at_most_five_401s_the_rest_429(app, accounts, serve):
    """The burst of the security test, over real sockets: the limit's check and the record of
    an attempt are one transaction, so parallel guesses cannot all pass it."""
    base = serve(app)
    tokens = []
    for _ in range(30):  # each guess with its own login page (CSRF cookie and token)
        with httpx.Client(base_url=base) as browser:
            page = browser.get("/login")
            tokens.append((page.cookies[LOGIN_CSRF_COOKIE], csrf_token(page.text)))
    start = threading.Barrier(30)
    codes = []

    def guess(cookie, token):
        with httpx.Client(base_url=base, cookies={LOGIN_CSRF_COOKIE: cookie}) as browser:
            start.wait()
            form = {"username": "li", "password": "wrong guess", "csrf_token": token}
            codes.append(browser.post("/login", data=form).status_code)

    threads = [threading.Thread(target=guess, args=pair) for pair in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(codes) == 30 and set(codes) <= {401, 429}
    assert codes.count(401) <= 5
    assert codes.count(401) + codes.count(429) == 30


def test_a_rotated_x_forwarded_for_from_an_untrusted_peer_changes_nothing(app, accounts, serve):
    base = serve(app)

    def attempt(password, forwarded_for):
        with httpx.Client(base_url=base) as browser:
            token = csrf_token(browser.get("/login").text)
            form = {"username": "li", "password": password, "csrf_token": token}
            headers = {"X-Forwarded-For": forwarded_for}
            return browser.post("/login", data=form, headers=headers).status_code

    codes = [attempt("guess", f"198.51.100.{index}") for index in range(15)]
    assert codes == [401] * 5 + [429] * 10
    assert attempt(PASSWORD, "192.0.2.1") == 429  # the right password waits as well
    with store_session(app.state.settings.warehouse) as conn:
        entries = recent_entries(conn)
    assert {e.client_ip for e in entries if e.action.startswith("login")} == {"127.0.0.1"}


def test_a_trusted_proxy_names_the_client_whose_guesses_then_count_per_source(
    settings, accounts, serve
):
    trusting = settings.model_copy(
        update={"trusted_proxies": ("127.0.0.1",), "login_max_failures_per_source": 2}
    )
    base = serve(create_app(trusting))

    def attempt(name, forwarded_for):
        with httpx.Client(base_url=base) as browser:
            token = csrf_token(browser.get("/login").text)
            form = {"username": name, "password": "guess", "csrf_token": token}
            headers = {"X-Forwarded-For": forwarded_for}
            return browser.post("/login", data=form, headers=headers).status_code

    assert [attempt(f"u{i}", "198.51.100.1") for i in range(3)] == [401, 401, 429]
    assert attempt("u9", "198.51.100.2") == 401  # another client behind the proxy


def test_a_large_or_multipart_body_is_refused_before_it_is_read(client):
    huge = client.post(
        "/login", content=b"x" * (1024 * 1024), headers={"content-type": "multipart/form-data"}
    )
    assert huge.status_code == 413
    upload = client.post("/login", files={"f": ("a.bin", b"123")})
    assert upload.status_code == 415

    def chunks():
        for _ in range(100):
            yield b"a=" + b"x" * 4096 + b"&"

    streamed = client.post(
        "/login", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413
    for refusal in (huge, upload, streamed):  # refused like any page: no cache, no framing
        assert refusal.headers["cache-control"] == "no-store"
        assert refusal.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in refusal.headers["content-security-policy"]


def test_logins_and_failures_are_in_the_security_log(warehouse, client, log_in_with):
    log_in_with(client, "li", "guess")
    log_in_with(client, "li", PASSWORD)
    with store_session(warehouse) as conn:
        entries = [(entry.action, entry.username) for entry in recent_entries(conn)]
    assert entries[:2] == [("login", "li"), ("login_failed", "li")]


def test_logging_out_everywhere_ends_the_users_other_sessions(login, page_token):
    office, phone = login("li"), login("li")
    colleague = login("zhou")
    token = page_token(phone.get("/").text)
    assert phone.post("/logout/everywhere", data={"csrf_token": token}).status_code == 303
    assert office.get("/").status_code == 303
    assert phone.get("/").status_code == 303
    assert colleague.get("/").status_code == 200


def test_a_session_left_idle_sends_the_browser_to_login(warehouse, login):
    browser = login("li")
    idle_since = datetime.now(UTC) - timedelta(minutes=31)
    with store_session(warehouse) as conn:
        conn.execute("update sessions set last_seen_at = ?", [to_text(idle_since)])
    assert browser.get("/").status_code == 303


def test_a_missing_warehouse_is_a_clear_error_page_not_a_wrong_password(tmp_path, log_in_with):
    from review.settings import ReviewSettings

    gone = tmp_path / "moved-away"
    app = create_app(ReviewSettings(warehouse=gone, sync_enabled=False))
    with TestClient(app, follow_redirects=False) as browser:
        page = browser.get("/login")
        assert page.status_code == 503
        assert "审核库不可用" in page.text and str(gone) in page.text
        form = {"username": "li", "password": PASSWORD, "csrf_token": "x"}
        assert browser.post("/login", data=form).status_code == 503
    assert not gone.exists()


def test_logging_out_ends_the_session_on_the_server(login, page_token):
    browser = login("li")
    stolen_cookie = browser.cookies[SESSION_COOKIE]
    token = page_token(browser.get("/").text)
    response = browser.post("/logout", data={"csrf_token": token})
    assert response.headers["location"] == "/login"
    browser.cookies.set(SESSION_COOKIE, stolen_cookie)
    assert browser.get("/").status_code == 303


def test_an_expired_session_sends_the_browser_to_login(warehouse, login):
    browser = login("li")
    with store_session(warehouse) as conn:
        conn.execute(
            "update sessions set expires_at = ?", [to_text(datetime(2000, 1, 1, tzinfo=UTC))]
        )
    response = browser.get("/events/x?camera=cam-01")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fevents%2Fx%3Fcamera%3Dcam-01"


def test_after_login_the_browser_returns_where_it_was_going_on_this_site_only(client, page_token):
    page = client.get("/login?next=/board")
    form = {"username": "li", "password": PASSWORD, "csrf_token": page_token(page.text)}
    assert client.post("/login", data={**form, "next": "/board"}).headers["location"] == "/board"


def test_an_offsite_next_goes_home(client, page_token):
    page = client.get("/login")
    form = {"username": "li", "password": PASSWORD, "csrf_token": page_token(page.text)}
    response = client.post("/login", data={**form, "next": "//evil.example/"})
    assert response.headers["location"] == "/"


def test_each_login_gets_a_new_session(login):
    first = login("li").cookies[SESSION_COOKIE]
    second = login("li").cookies[SESSION_COOKIE]
    assert first != second


def test_the_login_csrf_cookie_is_strict_and_dropped_after_login(client, log_in_with):
    page = client.get("/login")
    cookie = page.headers["set-cookie"]
    assert LOGIN_CSRF_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert 'name="username"' in page.text


def test_a_logged_in_visitor_of_the_login_page_goes_on(login):
    assert login("li").get("/login").status_code == 303
