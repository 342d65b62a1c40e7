from analytics.decisions.models import REASON_CODES
from analytics.decisions.policy import DISPOSITIONS
from review import labels


def test_every_reason_code_has_its_chinese_name():
    assert [labels.REASONS[code] for code in REASON_CODES] == [
        "非违法",
        "骑车人非行人",
        "信号误判",
        "重复",
        "画面不清",
        "其他",
    ]


def test_platforms_offer_each_livery_the_brands_by_their_names_and_no_courier():
    names = labels.platforms()
    assert names["meituan"] == "美团外卖"
    assert (names["grab"], names["lineman"]) == ("Grab", "LINE MAN")  # the green livery's brands
    assert names["shansong"] == "闪送"  # named by reviewers, not found by colour
    assert names["none"] == "非外卖骑手"
    assert all(name != code for code, name in names.items() if code not in ("foodpanda",))


def test_every_disposition_status_and_stage_has_its_chinese_name():
    assert [labels.DISPOSITIONS[code] for code in DISPOSITIONS] == [
        "罚款",
        "警告",
        "教育",
        "仅曝光",
    ]
    assert labels.STATUSES["awaiting_second"] == "待复核"
    assert labels.audit_value("stage", "disputed").startswith("复核意见不一致")
    assert labels.audit_value("disposition", "exposure_only") == "仅曝光"


def test_a_platform_name_for_every_value():
    assert labels.platform(None) == "未识别"
    assert labels.platform("unknown") == "未识别"
    assert labels.platform("eleme") == "饿了么"
    assert labels.platform("newcomer") == "newcomer"


def test_audit_values_read_as_words():
    assert labels.audit_value("decision", "rejected") == "驳回"
    assert labels.audit_value("reason_code", "bad_footage") == "画面不清"
    assert labels.audit_value("courier_platform", "jd") == "京东"
    assert labels.audit_value("rider_code", None) == "（空）"
    assert labels.audit_value("comment", "看错了") == "看错了"


def test_an_unknown_problem_still_gets_a_chinese_message():
    assert labels.problem("reason_required") == "驳回须选择驳回理由。"
    assert labels.problem("something_new") == labels.PROBLEM_FALLBACK


def test_a_place_is_named_by_its_evidence_record_else_by_fallbacks():
    event = {"camera_name": "东门", "rule": "pedestrian_red_light", "signal_state": "red"}
    named = labels.place(event, {"camera": "人民路口", "zone": "北侧斑马线", "signal": "北灯"})
    assert named == labels.Place("人民路口", "人行横道", "北侧斑马线", "北灯：红灯")
    unnamed = labels.place(event, {"camera": None, "zone": None, "signal": None})
    assert unnamed == labels.Place("东门", "人行横道", "（未命名）", "行人信号灯：红灯")
    lane = {"camera_name": None, "rule": "wrong_way", "signal_state": None}
    assert labels.place(lane, {"camera": None, "zone": None, "signal": None}) == labels.Place(
        "（未命名摄像头）", "车道", "（未命名）", None
    )
