import pytest

from analytics.decisions.policy import DISPOSITIONS, load_policy
from detectors.config.errors import ConfigError


def test_the_shipped_policy_reviews_wrong_way_twice_and_fines_within_the_law():
    policy = load_policy()
    assert policy.for_rule("wrong_way").second_review
    assert not policy.for_rule("pedestrian_red_light").second_review
    for rule in ("wrong_way", "pedestrian_red_light"):
        entry = policy.for_rule(rule)
        assert set(entry.dispositions) == set(DISPOSITIONS)
        assert (entry.fine_yuan.min, entry.fine_yuan.max) == (5, 50)
        assert "道路交通安全法" in entry.legal_basis


def test_a_fine_is_checked_against_the_schedule():
    entry = load_policy().for_rule("wrong_way")
    assert entry.fine_problem("fine", 50) is None
    assert entry.fine_problem("fine", 51) == "fine_out_of_range"
    assert entry.fine_problem("warning", None) is None
    assert entry.fine_problem(None, None) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("rules: {}", "have no policy"),
        (
            "rules:\n  wrong_way: {dispositions: [fine], default_disposition: fine}\n"
            "  pedestrian_red_light: {dispositions: [warning], default_disposition: warning}",
            "needs fine_yuan",
        ),
        (
            "rules:\n  wrong_way: {dispositions: [warning], default_disposition: fine}\n"
            "  pedestrian_red_light: {dispositions: [warning], default_disposition: warning}",
            "not among dispositions",
        ),
        (
            "rules:\n  wrong_way: {dispositions: [warning], default_disposition: warning, "
            "second_reviw: true}\n"
            "  pedestrian_red_light: {dispositions: [warning], default_disposition: warning}",
            "did you mean 'second_review'",
        ),
    ],
)
def test_a_bad_policy_file_is_named_with_the_fix(tmp_path, text, problem):
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=problem) as caught:
        load_policy(path)
    assert str(path) in str(caught.value)


def test_the_policy_file_may_come_from_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "office.yaml"
    path.write_text(
        "rules:\n  wrong_way: {dispositions: [warning], default_disposition: warning}\n"
        "  pedestrian_red_light: {dispositions: [education], default_disposition: education}",
        encoding="utf-8",
    )
    monkeypatch.setenv("CIVILITY_REVIEW_POLICY", str(path))
    assert load_policy().for_rule("wrong_way").dispositions == ("warning",)
