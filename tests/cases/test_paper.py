import re

from cases.paper import A4_PX, Paper, wrap
from detectors.evidence.fonts import cjk_font


def test_text_wraps_within_the_width_at_any_character():
    face = cjk_font(22)
    text = "行人双脚从人行横道外进入时信号灯为红灯" * 5 + " 0123456789abcdef" * 6
    lines = wrap(text, face, 400)
    assert len(lines) > 3
    assert all(face.getlength(line) <= 400 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_newlines_start_new_lines():
    assert wrap("甲\n乙", cjk_font(22), 400) == ["甲", "乙"]


def test_content_flows_onto_new_pages_and_is_saved_as_one_pdf(tmp_path):
    paper = Paper(footer="测试")
    paper.title("标题")
    paper.table(("甲", "乙"), [(f"第 {index} 行", "内容") for index in range(80)], (0.5, 0.5))
    assert len(paper.pages) >= 2
    assert all(page.size == A4_PX for page in paper.pages)
    paper.pdf(tmp_path / "out.pdf")
    data = (tmp_path / "out.pdf").read_bytes()
    assert (
        data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") >= 2
    )


def test_a_latin_word_moves_whole_to_the_next_line():
    lines = wrap("可用 civility cases verify 核验，" * 4, cjk_font(22), 300)
    assert len(lines) > 2
    for line in lines:
        assert set(re.findall("[A-Za-z]+", line)) <= {"civility", "cases", "verify"}
