from analytics.decisions.store import store_session
from analytics.decisions.users import authenticate


def test_only_an_admin_sees_the_users_page(login):
    assert login("zhao").get("/users").status_code == 200
    for name in ("li", "wang"):
        page = login(name).get("/users")
        assert page.status_code == 403
        assert "没有权限" in page.text


def test_an_admin_adds_a_user(login, page_token, warehouse):
    admin = login("zhao")
    token = page_token(admin.get("/users").text)
    form = {"csrf_token": token, "username": "Sun", "role": "supervisor", "password": "long enough"}
    assert admin.post("/users", data=form).status_code == 303
    with store_session(warehouse) as conn:
        assert authenticate(conn, "sun", "long enough").role == "supervisor"
    assert "<td>sun</td>" in admin.get("/users").text


def test_a_bad_new_user_is_explained(login, page_token):
    admin = login("zhao")
    token = page_token(admin.get("/users").text)
    form = {"csrf_token": token, "username": "sun", "role": "reviewer", "password": "short"}
    page = admin.post("/users", data=form)
    assert page.status_code == 422
    assert "无法保存：密码太短，至少 8 位。" in page.text
    assert "too short" not in page.text  # the English detail stays in the CLI


def test_stopping_a_user_ends_their_session(login, page_token):
    reviewer = login("li")
    admin = login("zhao")
    token = page_token(admin.get("/users").text)
    assert (
        admin.post("/users/li/active", data={"csrf_token": token, "is_active": "false"}).status_code
        == 303
    )
    assert reviewer.get("/").status_code == 303
    assert "<td>停用</td>" in admin.get("/users").text


def test_an_admin_cannot_stop_their_own_account(login, page_token):
    admin = login("zhao")
    token = page_token(admin.get("/users").text)
    page = admin.post("/users/zhao/active", data={"csrf_token": token, "is_active": "false"})
    assert page.status_code == 422
    assert admin.get("/users").status_code == 200


def test_stopping_an_unknown_user_is_404(login, page_token):
    admin = login("zhao")
    token = page_token(admin.get("/users").text)
    page = admin.post("/users/ghost/active", data={"csrf_token": token, "is_active": "false"})
    assert page.status_code == 404


def test_an_admin_limits_a_user_to_districts(login, page_token, warehouse):
    admin = login("zhao")
    token = page_token(admin.get("/users").text)
    form = {"csrf_token": token, "districts": "朝阳区，海淀区"}
    assert admin.post("/users/li/districts", data=form).status_code == 303
    with store_session(warehouse) as conn:
        assert authenticate(conn, "li", "correct horse 42").districts == ("朝阳区", "海淀区")
    assert 'value="朝阳区，海淀区"' in admin.get("/users").text


def test_the_last_admin_cannot_be_demoted(login, page_token):
    admin = login("zhao")
    token = page_token(admin.get("/users").text)
    form = {"csrf_token": token, "username": "zhao", "role": "reviewer", "password": "long enough"}
    page = admin.post("/users", data=form)
    assert page.status_code == 422
    assert "最后一个启用的管理员账号" in page.text


def test_the_security_log_is_for_admins_and_in_chinese(login, page_token):
    admin = login("zhao")
    token = page_token(admin.get("/users").text)
    admin.post("/users/li/active", data={"csrf_token": token, "is_active": "false"})
    log = admin.get("/users/log")
    assert log.status_code == 200
    assert "<td>停用账号</td>" in log.text and "<td>登录</td>" in log.text
    assert login("wang").get("/users/log").status_code == 403
