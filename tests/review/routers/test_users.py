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
    assert "无法保存" in page.text and "too short" in page.text


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
