import json

from analytics.decisions.synthetic import synthetic_event

SCRIPT = "<script>alert('x')</script>"


def test_the_event_page_shows_clip_stills_facts_and_why_by_display_names(login, events):
    event = events[0]  # a red-light crossing
    page = login("li").get(f"/events/{event['event_id']}")
    assert page.status_code == 200
    html = page.text
    folder = "/evidence/" + event["evidence_path"]
    assert f'<video id="evidence-video" src="{folder}/clip.mp4"' in html
    for still in ("frame_1_before.jpg", "frame_2_at.jpg", "frame_3_after.jpg", "closeup.jpg"):
        assert f'src="{folder}/{still}"' in html
    assert "✓ 证据与入库记录一致（6 个文件，SHA-256 校验）" in html
    assert '<dd id="signal">行人信号灯（北）：红灯</dd>' in html
    assert '<dd id="zone">西侧人行横道 z0</dd>' in html
    assert '<dd id="place">幸福路口 cam-00</dd>' in html
    assert (
        "行人双脚从人行横道「西侧人行横道 z0」外进入时，信号灯「行人信号灯（北）」为红灯。" in html
    )
    assert 'name="version" value="0"' in html
    # raw ids only in the details panel
    main, details = html.split('<details class="raw" id="raw-ids">', 1)
    assert "ped-00" not in main and "ped-00" in details
    assert "<dt>区域编号</dt><dd>z0</dd>" in details


def test_a_wrong_way_event_shows_the_detected_platform_and_its_confidence(login, events):
    page = login("li").get(f"/events/{events[1]['event_id']}")
    assert '<dd id="detected-platform">美团外卖（置信度 0.70）</dd>' in page.text
    assert '<option value="meituan" >' in page.text  # offered, not chosen for the reviewer


def test_no_platform_detected_reads_unknown_without_a_confidence(login, queue_events):
    from analytics.decisions.synthetic import synthetic_event

    queue_events([{**synthetic_event(7), "courier_confidence": 0.0}])  # nothing detected
    page = login("li").get(f"/events/{synthetic_event(7)['event_id']}").text
    assert '<dd id="detected-platform">未识别</dd>' in page
    assert '<option value="unknown" selected>无法辨认</option>' in page


def test_opening_an_event_holds_it_for_the_reviewer(login, events):
    event_id = events[0]["event_id"]
    assert 'id="decision-form"' in login("li").get(f"/events/{event_id}").text
    other = login("zhou").get(f"/events/{event_id}").text
    assert "该事件正由 <strong>li</strong> 审核" in other
    assert 'id="decision-form"' not in other


def test_the_form_offers_the_rules_penalty_schedule(login, events):
    page = login("li").get(f"/events/{events[1]['event_id']}").text  # wrong-way
    for code, name in (("warning", "警告"), ("fine", "罚款"), ("education", "教育")):
        assert f'value="{code}"' in page and name in page
    assert '<input type="radio" name="disposition" value="warning" checked>' in page
    assert 'min="5" max="50"' in page
    assert "依据：《中华人民共和国道路交通安全法》第三十五条、第八十九条" in page
    assert "该类违法实行双人复核" in page


def test_event_text_with_markup_is_shown_as_text_never_run(login, queue_events):
    hostile = {
        **synthetic_event(0),
        "event_id": "evil-1",
        "zone_id": SCRIPT,
        "camera_id": 'cam"><img src=x onerror=alert(1)>',
        "district": SCRIPT,
        "details_json": json.dumps({"why": SCRIPT, SCRIPT: SCRIPT}),
    }
    queue_events([hostile])
    browser = login("li")
    for page in (browser.get("/events/evil-1"), browser.get("/")):
        assert page.status_code == 200
        assert "<script>alert" not in page.text
        assert "<img src=x" not in page.text
    html = browser.get("/events/evil-1").text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "script-src 'self'" in browser.get("/events/evil-1").headers["content-security-policy"]


def test_an_unknown_event_is_a_chinese_404(login, events):
    page = login("li").get("/events/no-such-event")
    assert page.status_code == 404
    assert "该事件不存在" in page.text


def test_previous_and_next_follow_the_filtered_queue(login, events):
    page = login("li").get(f"/events/{events[1]['event_id']}?sort=oldest")
    assert f'data-next="/events/{events[2]["event_id"]}?sort=oldest"' in page.text
    assert f'data-previous="/events/{events[0]["event_id"]}?sort=oldest"' in page.text


def test_pages_are_not_cached(login, events):
    page = login("li").get(f"/events/{events[0]['event_id']}")
    assert page.headers["cache-control"] == "no-store"
