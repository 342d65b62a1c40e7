from review.deps import LOGIN_CSRF_COOKIE


def test_the_login_pages_token_opens_no_other_form(client, page_token):
    token = page_token(client.get("/login").text)
    client.cookies.set(LOGIN_CSRF_COOKIE, token)
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 403


def test_a_reviewer_is_kept_out_of_admin_pages_with_a_message(login):
    page = login("li").get("/users")
    assert page.status_code == 403
    assert "您的账号没有权限访问此页面" in page.text


def test_a_post_without_a_session_is_refused_before_anything_else(client, events):
    response = client.post(f"/events/{events[0]['event_id']}/decision", data={"action": "confirm"})
    assert response.status_code == 403
