from datetime import UTC, datetime

from analytics.decisions.store import store_session, to_text
from review.deps import LOGIN_CSRF_COOKIE, SESSION_COOKIE

PASSWORD = "correct horse 42"


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


def test_five_failures_lock_that_user_from_that_address(app, client, log_in_with):
    for _ in range(5):
        assert log_in_with(client, "li", "guess").status_code == 401
    locked = log_in_with(client, "li", PASSWORD)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0
    assert "登录失败次数过多" in locked.text
    assert SESSION_COOKIE not in client.cookies
    # Another user from the same address, and the same user elsewhere, are not locked out.
    assert log_in_with(client, "wang", PASSWORD).status_code == 303


def test_the_lock_is_per_address(app, login, client, log_in_with):
    for _ in range(5):
        log_in_with(client, "li", "guess")
    assert login("li", client_ip="198.51.100.9").get("/").status_code == 200


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
