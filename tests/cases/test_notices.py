import csv

from cases.notices import write_notices
from cases.sheet import case_number


def test_each_platform_gets_its_riders_cases_with_repeat_riders_flagged(case_warehouse, tmp_path):
    root, ids = case_warehouse
    [notice] = write_notices(root, "2026-W47", tmp_path / "notices")
    assert (notice.platform, notice.platform_name) == ("meituan", "美团外卖")
    assert (notice.count_cases, notice.count_riders, notice.count_repeat_riders) == (2, 1, 1)
    folder = tmp_path / "notices" / "meituan"
    assert sorted(path.name for path in folder.iterdir()) == [
        "notice.csv",
        "notice.html",
        "notice.pdf",
    ]
    with open(folder / "notice.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(row["rider_code"], row["repeat"], row["rule_name"]) for row in rows] == [
        ("MT-0042", "本周 2 次", "非机动车逆行"),
        ("MT-0042", "本周 2 次", "非机动车逆行"),
    ]
    assert rows[0]["evidence_link"] == f"../cases/{case_number(ids[2], '2026-W47')}/case.html"
    html = (folder / "notice.html").read_text(encoding="utf-8")
    assert "外卖骑手交通违法情况通报（美团外卖）" in html and "2026-11-16 至 2026-11-22" in html
    assert (folder / "notice.pdf").read_bytes().startswith(b"%PDF")


def test_evidence_links_may_point_at_the_offices_case_portal(case_warehouse, tmp_path):
    root, ids = case_warehouse
    write_notices(root, "2026-W47", tmp_path / "notices", "https://cases.example/2026-W47/")
    html = (tmp_path / "notices" / "meituan" / "notice.html").read_text(encoding="utf-8")
    assert (
        f'href="https://cases.example/2026-W47/{case_number(ids[3], "2026-W47")}/case.html"' in html
    )


def test_a_week_without_courier_cases_writes_no_notice(case_warehouse, tmp_path):
    root, _ = case_warehouse
    assert write_notices(root, "2026-W30", tmp_path / "notices") == []
