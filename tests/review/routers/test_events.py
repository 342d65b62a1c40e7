import json

from analytics.decisions.synthetic import synthetic_event

SCRIPT = "<script>alert('x')</script>"


def test_the_event_page_shows_clip_stills_facts_and_why(login, events):
    event = events[0]  # a red-light crossing
    page = login("li").get(f"/events/{event['event_id']}")
    assert page.status_code == 200
    html = page.text
    folder = "/evidence/" + event["evidence_path"]
    assert f'<video id="evidence-video" src="{folder}/clip.mp4"' in html
    for still in ("frame_1_before.jpg", "frame_2_at.jpg", "frame_3_after.jpg", "closeup.jpg"):
        assert f'src="{folder}/{still}"' in html
    assert html.count("✓ 与存证一致") == 5  # the clip and four pictures
    assert '<dd id="signal">ped-00 红灯</dd>' in html
    assert '<dd id="zone">z0</dd>' in html
    assert "行人双脚从人行横道「z0」外进入时，信号灯「ped-00」为红灯。" in html
    assert 'name="version" value="0"' in html


def test_a_wrong_way_event_shows_the_detected_platform_and_its_confidence(login, events):
    page = login("li").get(f"/events/{events[1]['event_id']}")
    assert '<dd id="detected-platform">美团外卖，置信度 0.70</dd>' in page.text
    assert '<option value="meituan" selected>' in page.text


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
