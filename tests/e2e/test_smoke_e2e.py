def test_login_page_renders(page, live_server, shot):
    page.goto(live_server.url + "/login")
    assert page.locator("h1").inner_text() == "登录"
    shot(page, "login")
